package io.wasmudf.engine.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Runs the leading iterations of a recognised byte-scan loop (see {@code compile.ScanLoops}) as a
 * plain counted Java loop: C2 hoists its bounds and drops its safepoint poll (strip-mined), which
 * it does for none of this as the Wasm loop is compiled, since a scan that stops at a hit is not a
 * counted loop there; and it tests two iterations' 32 bytes at once (C2 does not unroll a loop
 * that exits early): with one 256-bit vector compare ({@link VectorScan}) where {@code
 * jdk.incubator.vector} is present and compiled, else with SWAR on four longs. The compiled loop
 * body then runs the iteration this stopped at (the hit, the bound, the trap) as before, so every
 * Wasm effect stays where it was.
 */
public final class SimdScanLoop {
    private SimdScanLoop() {}

    private static final long U32 = 0xFFFF_FFFFL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH = 0x8080_8080_8080_8080L;
    private static final boolean RAW = Mem.raw() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** Whether {@link VectorScan} may be used ({@link VectorWarmup#USABLE}); it is once {@link Warmup} is ready. */
    private static final boolean USABLE = VectorWarmup.USABLE;
    /**
     * From this many iterations on the vector loop runs once ready: the first block by SWAR and at
     * least one 32-byte vector after it (from 48 bytes on it was ahead of the SWAR loops: 128 bytes
     * with the match in the last block 9.3 ns against 14.2; nanoTime over a loop of calls, load 2).
     */
    private static final int VECTOR_MIN = 3;
    /** Iterations (16 bytes each) of one warm-up call: compiled, well under 5 ns each. */
    private static final int WARM = 128;

    /** {@link VectorScan#skip}'s warm-up: until it is ready, the SWAR loops run. Loaded only where {@link #USABLE}. */
    private static final class Warmup extends VectorWarmup {
        static final Warmup INSTANCE = new Warmup();
        private final byte[] m = new byte[WARM * 16];

        Warmup() {
            super("scan", WARM * 5);
            java.util.Arrays.fill(m, (byte) 1);
        }

        @Override
        boolean supported() {
            return VectorScan.supported();
        }

        @Override
        void callOnce() {
            sink = VectorScan.skip(m, 0, m.length, 0, 0);
        }
    }

    /** Keeps the warm-up's result live. */
    static volatile int sink;

    /**
     * Starts the vector loop's warm-up once per JVM where it may be used (later calls do nothing):
     * the compiler calls it when it first emits a recognised scan loop.
     */
    public static void warmUp() {
        if (USABLE) {
            Warmup.INSTANCE.start();
        }
    }

    /** Waits up to {@code millis} for the vector loop to be ready (tests, benchmarks); whether it is. */
    public static boolean awaitVector(long millis) throws InterruptedException {
        return USABLE && Warmup.INSTANCE.await(millis);
    }

    /**
     * How many of at most {@code max} iterations j = 0, 1, ... load 16 in-bounds bytes at address
     * {@code address + 16 j} (offset {@code offset}, bounded as {@link Mem#at} bounds an access) none
     * of which equals the same byte of the needle {@code lo:hi}: the iterations a scan loop can skip.
     */
    public static int scan(int address, byte[] m, int bound, int offset, long lo, long hi, int max) {
        long start = (address & U32) + offset;
        long last = (long) Math.min(bound, m.length) - 16; // where the last in-bounds vector starts
        if (start > last || max <= 0) {
            return 0;
        }
        int n = (int) Math.min(max, (last - start) / 16 + 1);
        int s = (int) start;
        int e = s + 16 * n; // at most the memory's size: no overflow
        int i;
        if (n >= VECTOR_MIN && USABLE && Warmup.INSTANCE.ready()) {
            // 32 bytes a compare with jdk.incubator.vector; it only skips blocks with no match, so
            // the loop below decides the count as it does without it. The first block is tested
            // here first: many scans end in it (strlen of a short string), and there this test
            // costs less than the vector loop's set-up (2.3-4.4 ns a call against 6.7, 5.2 on
            // the SWAR loops alone; docs/ENGINE.md "Scan loops as vector code")
            if (any16(m, s, lo, hi)) {
                return 0;
            }
            i = VectorScan.skip(m, s + 16, e, lo, hi);
        } else {
            if (n >= VECTOR_MIN && USABLE) {
                Warmup.INSTANCE.start(); // code from the code cache: no compile started the warm-up
            }
            // SWAR, 32 bytes per test first (the iterations in pairs), then 16 from the block that
            // matched: one branch, loop update and mask per 32 bytes. 32, not 64: with 8 words live
            // C2 ran out of registers and kept the index and the array in XMM registers, and the
            // loop was slower than this one (thread CPU, both engines in one JVM). A needle with
            // equal halves (any splat) is one register, and strlen's zero needle needs no xor: each
            // loop is its own method, compiled with its needle's shape (one shared loop would xor
            // in all three).
            int e32 = s + 32 * (n >>> 1);
            i = lo != hi ? skip32(m, s, e32, lo, hi) : lo != 0 ? skip32(m, s, e32, lo) : skip32(m, s, e32);
        }
        for (; i < e; i += 16) {
            if (any16(m, i, lo, hi)) {
                return (i - s) >>> 4;
            }
        }
        return n;
    }

    /**
     * The first 32-byte block from {@code i} (stepping to {@code end}) holding a byte equal to its
     * lane's byte of the needle {@code lo:hi}, or {@code end}.
     */
    private static int skip32(byte[] m, int i, int end, long lo, long hi) {
        for (; i < end; i += 32) {
            if (any32(m, i, lo, hi)) {
                break;
            }
        }
        return i;
    }

    /** {@link #skip32(byte[], int, int, long, long)} for a needle whose halves are both {@code x}. */
    private static int skip32(byte[] m, int i, int end, long x) {
        for (; i < end; i += 32) {
            if (any32(m, i, x, x)) {
                break;
            }
        }
        return i;
    }

    /** {@link #skip32(byte[], int, int, long, long)} for the zero needle (strlen's). */
    private static int skip32(byte[] m, int i, int end) {
        for (; i < end; i += 32) {
            if (any32(m, i, 0, 0)) {
                break;
            }
        }
        return i;
    }

    /** Whether some byte of the 16 at {@code i} equals its lane's byte of {@code lo:hi}. */
    private static boolean any16(byte[] m, int i, long lo, long hi) {
        return SimdScan.anyZeroByte(word(m, i, 0) ^ lo, word(m, i, 8) ^ hi);
    }

    /** Whether some byte of the 32 at {@code i} equals its lane's byte of {@code lo:hi} (twice over). */
    private static boolean any32(byte[] m, int i, long lo, long hi) {
        return ((zeroBytes(word(m, i, 0) ^ lo) | zeroBytes(word(m, i, 8) ^ hi) | zeroBytes(word(m, i, 16) ^ lo)
                | zeroBytes(word(m, i, 24) ^ hi)) & HIGH) != 0;
    }

    /**
     * Non-zero in the top bits ({@link #HIGH}) exactly when some byte of z is zero ({@code (z - 0x01..)
     * & ~z}; its false positives sit above a true zero byte only), so several words' tests are
     * ORed and masked once.
     */
    private static long zeroBytes(long z) {
        return (z - ONES) & ~z;
    }

    /** The little-endian word at {@code i + k} (in bounds: the caller's range is); Unsafe where {@link Mem} uses it. */
    private static long word(byte[] m, int i, int k) {
        // the displacement added in long: C2 folds it into the load's address
        return RAW ? Mem.U.getLong(m, Mem.BASE + i + k) : (long) View.LONG.get(m, i + k);
    }

    /** The array view where Unsafe is not used, made only when first needed. */
    private static final class View {
        static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * How many consecutive iterations j = 0, 1, ... certainly satisfy {@code x + j dx <= y} as
     * unsigned 32-bit values ({@code < y} when {@code strict}), {@code dx >= 0}: those before the
     * sum passes y, counted without wrapping (an answer too small only leaves iterations to the
     * compiled body, which tests them itself).
     */
    public static int below(int x, int dx, int y, boolean strict) {
        long limit = (y & U32) - (strict ? 1 : 0);
        long from = x & U32;
        if (from > limit) {
            return 0;
        }
        if (dx == 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.min((limit - from) / dx + 1, Integer.MAX_VALUE);
    }

    /**
     * How many more iterations of a loop costing {@code cost} per iteration the fuel left covers
     * (the loop header charged the current one already, so the fuel is not negative).
     */
    public static int fuelIterations(ModuleInstance self, int cost) {
        return (int) Math.min(self.fuel / cost, Integer.MAX_VALUE);
    }

    /** Charges {@code iterations} skipped loop iterations of {@code cost} each (covered: see {@link #fuelIterations}). */
    public static void spend(ModuleInstance self, int iterations, int cost) {
        self.fuel -= (long) iterations * cost;
    }
}
