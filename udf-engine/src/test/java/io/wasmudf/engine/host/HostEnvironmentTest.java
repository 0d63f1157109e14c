package io.wasmudf.engine.host;

import static io.wasmudf.engine.host.HostTestSupport.UNTRUSTED;
import static io.wasmudf.engine.host.HostTestSupport.call;
import static io.wasmudf.engine.host.HostTestSupport.memory;
import static io.wasmudf.engine.host.HostTestSupport.module;
import static io.wasmudf.engine.host.HostTestSupport.probe;
import static io.wasmudf.engine.host.HostTestSupport.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Grants;
import io.wasmudf.engine.GuestRaisedException;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.LinkException;
import io.wasmudf.engine.OutputSink;
import io.wasmudf.engine.ProcExitException;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.UnsatisfiedImportsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HostEnvironment} end to end: instantiation, limits on output and sleep, exits, AssemblyScript and wasmudf imports. */
class HostEnvironmentTest {
    private final HostTestSupport.Lines out = new HostTestSupport.Lines();

    @Test
    void gigabyteToStdoutIsBoundedPerCallAndPerUnit() {
        HostedInstance h = probe(Grants.NONE, out);
        long t0 = System.nanoTime();
        assertEquals(0, call(h, "flood", 16384), "1 GiB written, every fd_write succeeds");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, out.lines.size(), out.lines.size() + " lines");
        assertEquals("STDOUT: " + "a".repeat(65536), out.lines.get(0), "the first 64 KiB");
        assertEquals("TRUNCATED: output truncated: more than 65536 bytes in one call; the rest is dropped", out.lines.get(1));
        assertEquals(65536, memory(h).readInt(8), "each write reports all its bytes written");
        assertTrue(ms < 20_000, "took " + ms + " ms");
        // per unit: 20 calls of 64 KiB each reach the 1 MiB unit limit at the 16th
        out.lines.clear();
        h.beginUnit();
        for (int i = 0; i < 20; i++) {
            call(h, "flood", 1);
        }
        assertEquals(17, out.lines.size());
        assertEquals("TRUNCATED: output truncated: more than 1048576 bytes in this statement; the rest is dropped", out.lines.get(16));
        h.beginUnit();
        call(h, "flood", 1);
        assertEquals(18, out.lines.size(), "a new unit has its budget again");
    }

    /**
     * An embedder calling through {@code exportHandleForCalls} (no entry bookkeeping, as the SQL
     * bridges do) and marking calls with {@code beginCall()}: a {@code call_indirect} into a function
     * behind the guest boundary moves the call epoch inside the call (wasi-libc's stdio writes that
     * way), which must not restart the per-call output budget.
     */
    @Test
    void callMarksOfTheEmbedderWinOverEpochsMovedInsideACall() throws Throwable {
        byte[] wasm = io.wasmudf.engine.Wat.toBinary("""
                (module
                  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (table 1 funcref)
                  (elem (i32.const 0) $write)
                  (type $w (func (param i32)))
                  (func $write (param $n i32)
                    (loop $again
                      (i32.store (i32.const 0) (i32.const 64))
                      (i32.store (i32.const 4) (i32.const 1000))
                      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                      (br_if $again (i32.gt_s (local.tee $n (i32.sub (local.get $n) (i32.const 1))) (i32.const 0)))))
                  (func (export "flood") (param $times i32) (result i32)
                    (loop $more
                      (call_indirect (type $w) (i32.const 1) (i32.const 0))
                      (br_if $more (i32.gt_s (local.tee $times (i32.sub (local.get $times) (i32.const 1))) (i32.const 0))))
                    (i32.const 0)))""");
        io.wasmudf.engine.CompiledModule m = UNTRUSTED.compile(wasm);
        HostedInstance h = HostEnvironment.builder().output(out).build().instantiate(m, UNTRUSTED.defaultLimits());
        java.lang.invoke.MethodHandle flood = m.exportHandleForCalls("flood");
        h.instance().beginCalls();
        h.beginUnit();
        h.beginCall();
        int r = (int) flood.invokeExact(200, h.instance());
        assertEquals(0, r);
        h.flushOutput();
        assertEquals(2, out.lines.size(), "200,000 bytes in one call: the first 64 KiB, then the note");
        assertEquals("TRUNCATED: output truncated: more than 65536 bytes in one call; the rest is dropped", out.lines.get(1));
        out.lines.clear();
        h.beginCall();
        r = (int) flood.invokeExact(1, h.instance());
        h.flushOutput();
        assertEquals(1, out.lines.size(), "the next call has its budget again");
    }

    @Test
    void sleepingForeverStopsAtTheDeadline() {
        HostedInstance h = probe(Grants.ALL, out);
        long t0 = System.nanoTime();
        h.instance().setTimeout(Duration.ofMillis(100));
        Trap t = assertThrows(Trap.class, () -> h.call("sleep", 1, -1L, 0));
        assertEquals(TrapKind.TIMEOUT, t.kind());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 100 && ms < 5_000, "stopped after " + ms + " ms");
    }

    @Test
    void sleepingForeverStopsOnInterrupt() throws Exception {
        HostedInstance h = probe(Grants.ALL, out);
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            h.instance().interrupt();
        });
        canceller.start();
        Trap t = assertThrows(Trap.class, () -> h.call("sleep", 1, -1L, 0));
        canceller.join();
        assertEquals(TrapKind.INTERRUPTED, t.kind());
    }

    @Test
    void anEngineThatCannotBeInterruptedRefusesToSleep() {
        HostEnvironment env = HostEnvironment.builder().grants(Grants.ALL).build();
        HostedInstance h = env.instantiate(Engine.create().compile(HostTestSupport.bytes("probe.wasm")), Engine.create().defaultLimits());
        assertEquals(0, call(h, "sleep", 1, -1L, 0));
        assertEquals(58, memory(h).readShort(520), "ENOTSUP in the event: nothing could stop the sleep");
    }

    @Test
    void reactorInitializesOnceAndItsOutputIsDelivered() {
        HostEnvironment env = HostEnvironment.builder().output(out).build();
        try (HostedInstance h = env.instantiate(module("init.wasm"), UNTRUSTED.defaultLimits())) {
            assertEquals(1, call(h, "runs"));
            assertEquals(1, call(h, "runs"));
            assertEquals(List.of("STDOUT: initialized"), out.lines);
        }
    }

    @Test
    void commandRunsStartAndAZeroExitIsNormal() {
        HostEnvironment env = HostEnvironment.builder().output(out).build();
        HostedInstance h = env.instantiate(module("command.wasm"), UNTRUSTED.defaultLimits());
        assertTrue(h.usable(), "exit(0) from _start ended main normally");
        assertEquals(1, call(h, "started"));
        assertEquals(List.of("STDOUT: main ran"), out.lines);
        ProcExitException e = assertThrows(ProcExitException.class, () -> env.instantiate(module("command-fail.wasm"), UNTRUSTED.defaultLimits()));
        assertEquals(3, e.exitCode());
        assertEquals("the module called proc_exit(3) in _start", e.getMessage());
    }

    @Test
    void exitDuringInitializationFailsInstantiation() {
        HostEnvironment env = HostEnvironment.builder().build();
        ProcExitException e = assertThrows(ProcExitException.class, () -> env.instantiate(module("exit-in-init.wasm"), UNTRUSTED.defaultLimits()));
        assertEquals(7, e.exitCode());
        assertEquals("the module called proc_exit(7) in _initialize", e.getMessage());
        e = assertThrows(ProcExitException.class, () -> env.instantiate(module("exit-in-start.wasm"), UNTRUSTED.defaultLimits()));
        assertEquals("the module called proc_exit(5) in the start function", e.getMessage());
    }

    @Test
    void everyUnsatisfiedImportIsListedInOneMessage() {
        HostEnvironment env = HostEnvironment.builder().build();
        var m = module("unsatisfied.wasm");
        UnsatisfiedImportsException e = assertThrows(UnsatisfiedImportsException.class, () -> env.checkImports(m));
        assertEquals(5, e.imports().size());
        assertEquals("module imports 5 names the host does not provide: "
                + "env.host_log (unknown import, a function (i32) -> ()), "
                + "wasi_snapshot_preview1.fd_read (imported as (i32) -> i32 but the host provides (i32, i32, i32, i32) -> i32), "
                + "wasi_snapshot_preview1.path_open_v2 (unknown import, a function () -> ()), "
                + "env.memory (unknown import, a memory), "
                + "spectest.print (unknown import, a function () -> ())", e.getMessage());
        assertTrue(e instanceof LinkException);
        assertThrows(UnsatisfiedImportsException.class, () -> env.instantiate(m, UNTRUSTED.defaultLimits()));
    }

    @Test
    void assemblyScriptAbortTracesAndSeed() {
        HostedInstance h = probe(Grants.NONE, out);
        int msg = asString(h, 1000, "value too löng");
        int file = asString(h, 2000, "assembly/index.ts");
        Trap t = assertThrows(Trap.class, () -> h.call("abort", msg, file, 12, 5));
        assertEquals(TrapKind.ABORT, t.kind());
        assertEquals("abort: value too löng at assembly/index.ts:12:5", t.getMessage());
        t = assertThrows(Trap.class, () -> h.call("abort", 0, 0, 0, 0));
        assertEquals("abort: (no message) at (unknown):0:0", t.getMessage());
        t = assertThrows(Trap.class, () -> h.call("abort", 0x7FFF_0000, 0, 0, 0));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind(), "a wild string pointer");
        memory(h).writeInt(3000 - 4, 0x7FFF_FFF0);
        t = assertThrows(Trap.class, () -> h.call("abort", 3000, 0, 0, 0));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind(), "a wild string length");
        h.call("trace", msg, 2, 1.0, 2.5, 0.0, 0.0, 0.0);
        h.call("trace", msg, 0, 1.0, 2.5, 0.0, 0.0, 0.0);
        assertEquals(List.of("TRACE: trace: value too löng 1, 2.5", "TRACE: trace: value too löng"), out.lines);
        t = assertThrows(Trap.class, () -> h.call("seed"));
        assertEquals("host function failed: env.seed: random numbers are not granted to this function", t.getMessage());
        HostedInstance d = probe(Grants.DETERMINISTIC, out);
        double s = (double) d.call("seed")[0];
        assertEquals(s, (double) d.call("seed")[0], "seeded: the same each call");
        assertTrue(s >= 0 && s < 1);
    }

    /** Writes an AssemblyScript string object's payload at {@code at} with its rtSize header; returns the pointer. */
    private static int asString(HostedInstance h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_16LE);
        memory(h).writeInt(at - 4, b.length);
        memory(h).write(at, b, 0, b.length);
        return at;
    }

    @Test
    void wasmudfRaiseErrorNoticeAndWarning() {
        HostedInstance h = probe(Grants.NONE, out);
        int st = put(h, 1000, "22023");
        int msg = put(h, 2000, "bad value: ü");
        GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> h.call("raise_error", 1000, st, 2000, msg));
        assertEquals("22023", e.sqlState());
        assertEquals("bad value: ü", e.getMessage());
        assertTrue(h.usable(), "an error ends the call, not the instance");
        put(h, 1000, "01000");
        e = assertThrows(GuestRaisedException.class, () -> h.call("raise_error", 1000, 5, 2000, msg));
        assertEquals("38000", e.sqlState());
        assertEquals("invalid SQLSTATE \"01000\" passed to wasmudf.raise_error (class 01 is not an error): bad value: ü", e.getMessage());
        put(h, 1000, "2202x");
        e = assertThrows(GuestRaisedException.class, () -> h.call("raise_error", 1000, 5, 2000, msg));
        assertEquals("38000", e.sqlState());
        Trap t = assertThrows(Trap.class, () -> h.call("raise_error", 1000, 5, 2000, -1));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        assertEquals("out of bounds memory access: wasmudf.raise_error: the message (2000, 4294967295) is outside linear memory", t.getMessage());
        h.call("notice", 2000, msg);
        h.call("warning", 2000, 3);
        assertEquals(List.of("NOTICE: bad value: ü", "WARNING: bad"), out.lines);
        assertThrows(Trap.class, () -> h.call("notice", -16, 32));
    }

    @Test
    void longMessagesAreCut() {
        HostEnvironment env = HostEnvironment.builder().maxMessageBytes(16).build();
        HostedInstance h = env.instantiate(module("probe.wasm"), UNTRUSTED.defaultLimits());
        put(h, 1000, "P0001");
        int n = put(h, 2000, "x".repeat(1000));
        GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> h.call("raise_error", 1000, 5, 2000, n));
        assertEquals("x".repeat(16) + "…", e.getMessage());
    }

    @Test
    void grantsParseAndPrint() {
        assertEquals(Grants.DETERMINISTIC, Grants.parse("clock=fixed, random=SEEDED", Grants.NONE));
        assertEquals(Grants.ALL, Grants.parse(" all ", Grants.NONE));
        assertEquals(new Grants(Grants.ClockGrant.REAL, Grants.RandomGrant.SEEDED), Grants.parse("clock=real", Grants.DETERMINISTIC));
        assertEquals(Grants.DETERMINISTIC, Grants.parse(Grants.DETERMINISTIC.toString(), Grants.NONE));
        assertEquals("clock=real,random=denied", new Grants(Grants.ClockGrant.REAL, Grants.RandomGrant.DENIED).toString());
        assertEquals("invalid value \"sometimes\" for grant clock (denied, fixed, real)",
                assertThrows(IllegalArgumentException.class, () -> Grants.parse("clock=sometimes", Grants.NONE)).getMessage());
        assertEquals("unknown grant \"network\" (known: clock, random)",
                assertThrows(IllegalArgumentException.class, () -> Grants.parse("network=real", Grants.NONE)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Grants.parse("clock", Grants.NONE));
    }

    @Test
    void hostStateServesOneInstance() {
        HostedInstance a = probe(Grants.NONE, out);
        HostedInstance b = probe(Grants.NONE, out);
        put(a, 1000, "from a\n");
        put(b, 1000, "from b\n");
        HostTestSupport.iovec(a, 0, 1000, 7);
        HostTestSupport.iovec(b, 0, 1000, 7);
        call(b, "fd_write", 1, 0, 1, 8);
        call(a, "fd_write", 1, 0, 1, 8);
        assertEquals(List.of("STDOUT: from b", "STDOUT: from a"), out.lines, "each instance's host functions read its own memory");
        a.close();
        assertFalse(a.usable());
        assertThrows(IllegalStateException.class, () -> a.call("sched_yield"));
    }

    @Test
    void outputSinkDiscardIsTheDefault() {
        HostedInstance h = HostEnvironment.builder().build().instantiate(module("probe.wasm"), UNTRUSTED.defaultLimits());
        assertEquals(0, call(h, "flood", 2));
        assertEquals(OutputSink.DISCARD, OutputSink.DISCARD);
    }
}
