package io.wasmudf.engine.internal.host;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.OutputSink;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.internal.runtime.ModuleInstance;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The host side of one instance: its memory as host functions see it (every pointer checked),
 * its output, the granted clocks and random source, and whether it exited. One per instance, used
 * by the thread that runs it.
 *
 * <p>A "call" starts when the instance's call epoch moves (each outermost call from the host on
 * engines with checks, each {@code Instance.beginCalls()}) or when the embedder says so
 * ({@link #beginCall()}); per-call budgets, the fixed clock and the seeded random stream restart
 * then. Once the embedder has marked a call itself, only its marks count: an embedder that calls
 * through {@code CompiledModule.exportHandleForCalls} (no entry bookkeeping) would otherwise see
 * the epoch move inside one call, at every {@code call_indirect} into a function that enters the
 * boundary (wasi-libc's stdio calls its write function that way), and the per-call output limit
 * would restart at each {@code fwrite}.
 */
public final class HostState {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final SecureRandom SECURE = new SecureRandom();
    private static final long SEED = 0x5EED_0F_3A5D_0DA7L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    final HostSettings settings;
    final Grants grants;
    final GuestOutput output;
    private ModuleInstance state;
    private final boolean interruptible;
    private int epochSeen;
    /** The embedder marks calls ({@link #beginCall()}); epochs are not looked at any more. */
    private boolean explicitCalls;
    private SplittableRandom seeded;
    /** Nanoseconds the current call has slept under a {@link Grants.ClockGrant#FIXED} clock. */
    long virtualNanos;
    private final long monotonicOrigin = System.nanoTime();
    private Integer exitCode;
    /** Which of fds 0-2 the guest closed. */
    final boolean[] closed = new boolean[3];
    /** The rights each of fds 0-2 still has ({@code fd_fdstat_set_rights} may only drop some). */
    final long[] rights = {Wasi.STDIN_RIGHTS, Wasi.STDOUT_RIGHTS, Wasi.STDOUT_RIGHTS};

    public HostState(HostSettings settings, boolean interruptible) {
        this.settings = settings;
        this.grants = settings.grants();
        this.output = new GuestOutput(settings.sink(), settings.maxOutputPerCall(), settings.maxOutputPerUnit());
        this.interruptible = interruptible;
    }

    /** Binds to the instance whose imports these are, before any of its code runs. */
    public void bind(ModuleInstance instance) {
        if (state != null) {
            throw new IllegalStateException("host functions serve one instance; make a new HostState per instance");
        }
        this.state = instance;
        this.epochSeen = instance.callEpoch;
    }

    // ---- calls and units ----------------------------------------------------------------------

    /** Starts a call explicitly (for embedders whose calls do not move the instance's epoch). */
    public void beginCall() {
        explicitCalls = true;
        startCall();
    }

    /** Starts a call without taking over the call marks (one call through {@code HostedInstance.call}). */
    public void startCall() {
        epochSeen = state.callEpoch;
        newCall();
    }

    /** Starts a unit (an SQL statement): output budgets restart, and a call starts. */
    public void beginUnit() {
        epochSeen = state.callEpoch;
        output.beginUnit();
        seeded = null;
        virtualNanos = 0;
    }

    /** Delivers unfinished output lines to the sink. */
    public void flushOutput() {
        output.flush();
    }

    /** Called by host functions whose behaviour depends on the call: notices a new one. */
    void enter() {
        if (!explicitCalls && state.callEpoch != epochSeen) {
            epochSeen = state.callEpoch;
            newCall();
        }
    }

    private void newCall() {
        output.beginCall();
        seeded = null;
        virtualNanos = 0;
    }

    // ---- exit -----------------------------------------------------------------------------------

    void exited(int code) {
        exitCode = code;
    }

    /** Forgets an exit (a command's {@code _start} that ended with {@code exit(0)}). */
    public void clearExit() {
        exitCode = null;
    }

    /** The code passed to {@code proc_exit}, or null while the guest has not exited. */
    public Integer exitCode() {
        return exitCode;
    }

    // ---- interruption -------------------------------------------------------------------------

    boolean interruptible() {
        return interruptible;
    }

    /** Throws the trap an interrupt or a passed deadline calls for, if one is pending. */
    void checkInterrupt() {
        if (state.interruptFlags != 0) {
            state.checkInterrupt();
        }
    }

    // ---- clocks and random ----------------------------------------------------------------------

    /** The time on clock {@code id} in nanoseconds, or -1 for an unknown clock; the grant is checked by the caller. */
    long now(int id) {
        if (grants.clock() == Grants.ClockGrant.FIXED) {
            return id >= 0 && id <= 3 ? virtualNanos : -1;
        }
        switch (id) {
            case 0: {
                Instant t = Instant.now();
                return t.getEpochSecond() * 1_000_000_000L + t.getNano();
            }
            case 1: return System.nanoTime() - monotonicOrigin;
            case 2:
            case 3: return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime() - monotonicOrigin;
            default: return -1;
        }
    }

    void randomBytes(byte[] out) {
        if (grants.random() == Grants.RandomGrant.REAL) {
            SECURE.nextBytes(out);
            return;
        }
        if (seeded == null) {
            seeded = new SplittableRandom(SEED);
        }
        for (int i = 0; i < out.length; i += 8) {
            long r = seeded.nextLong();
            for (int j = i; j < Math.min(out.length, i + 8); j++) {
                out[j] = (byte) r;
                r >>>= 8;
            }
        }
    }

    /** A double in [0, 1) from the granted source (AssemblyScript's seed). */
    double randomDouble() {
        byte[] b = new byte[8];
        randomBytes(b);
        return ((long) LONG.get(b, 0) >>> 11) * 0x1.0p-53;
    }

    // ---- guest memory -------------------------------------------------------------------------

    private byte[] buffer() {
        Memory m = state.memory;
        if (m == null) {
            throw Fault.INSTANCE;
        }
        return m.buffer();
    }

    /** Checks that {@code [addr, addr+len)} (unsigned 32-bit values) is inside memory and returns its start. */
    int check(byte[] mem, int addr, long len) {
        long a = Integer.toUnsignedLong(addr);
        if (len < 0 || a + len > mem.length) {
            throw Fault.INSTANCE;
        }
        return (int) a;
    }

    /** The current memory array; re-read after anything that may grow memory. */
    byte[] memory() {
        return buffer();
    }

    int readI32(int addr) {
        byte[] m = buffer();
        return (int) INT.get(m, check(m, addr, 4));
    }

    long readI64(int addr) {
        byte[] m = buffer();
        return (long) LONG.get(m, check(m, addr, 8));
    }

    int readU8(int addr) {
        byte[] m = buffer();
        return m[check(m, addr, 1)] & 0xFF;
    }

    int readU16(int addr) {
        byte[] m = buffer();
        return (short) SHORT.get(m, check(m, addr, 2)) & 0xFFFF;
    }

    void writeI32(int addr, int v) {
        byte[] m = buffer();
        INT.set(m, check(m, addr, 4), v);
    }

    void writeI64(int addr, long v) {
        byte[] m = buffer();
        LONG.set(m, check(m, addr, 8), v);
    }

    void writeU8(int addr, int v) {
        byte[] m = buffer();
        m[check(m, addr, 1)] = (byte) v;
    }

    void writeU16(int addr, int v) {
        byte[] m = buffer();
        SHORT.set(m, check(m, addr, 2), (short) v);
    }

    void fill(int addr, int len, byte v) {
        byte[] m = buffer();
        int a = check(m, addr, Integer.toUnsignedLong(len));
        java.util.Arrays.fill(m, a, a + len, v);
    }

    void write(int addr, byte[] bytes, int len) {
        byte[] m = buffer();
        System.arraycopy(bytes, 0, m, check(m, addr, len), len);
    }

    /** Decodes UTF-8 at {@code (addr, len)}, keeping at most {@code max} bytes (a wild length is a fault, not an allocation). */
    String utf8(int addr, int len, int max) {
        byte[] m = buffer();
        int a = check(m, addr, Integer.toUnsignedLong(len));
        int n = (int) Math.min(Integer.toUnsignedLong(len), max);
        String s = new String(m, a, n, StandardCharsets.UTF_8);
        return n < Integer.toUnsignedLong(len) ? s + "…" : s;
    }

    /** An out-of-bounds trap for host functions that have no errno to return. */
    static Trap outOfBounds(String function, String what) {
        return new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, function + ": " + what + " is outside linear memory");
    }
}
