package io.wasmudf.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.GuestRaisedException;
import io.wasmudf.engine.ProcExitException;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.udfs.guest.Guest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Modules built with each toolchain's ordinary libraries (wasi-libc, Rust's std, AssemblyScript's
 * runtime) doing what a sandboxed UDF must not get away with: open /etc/passwd, read HOME, use a
 * socket, flood stdout, sleep forever, exit, pass wild pointers. Each gets WASI's answer (an errno,
 * or a bounded stop), and nothing outside the instance is touched. Errnos: 8 EBADF, 21 EFAULT,
 * 58 ENOTSUP, 76 ENOTCAPABLE.
 */
class HostileModulesTest {
    // ---- C with wasi-libc ---------------------------------------------------------------------

    @Test
    void cannotOpenHostFilesReadTheEnvironmentOrUseSockets() {
        try (Guest c = new Guest("test-wasi-hostile", Grants.ALL)) {
            assertEquals(-76, c.i32("open_passwd"), "open(\"/etc/passwd\"): ENOTCAPABLE, no preopened directory matches");
            assertEquals(8, c.i32("path_open_raw", 3), "path_open on fd 3: EBADF");
            assertEquals(76, c.i32("path_open_raw", 1), "path_open on stdout: ENOTCAPABLE");
            assertEquals(0, c.i32("read_home"), "HOME is not set, the environment is empty");
            assertEquals(5858, c.i32("socket_errnos"), "send and sock_accept: ENOTSUP");
            assertEquals(2121, c.i32("wild_pointers"), "wild iovec array and buffer: EFAULT, no host exception");
            assertTrue(c.hosted().usable());
        }
    }

    @Test
    void aGigabyteToStdoutIsBounded() {
        try (Guest c = new Guest("test-wasi-hostile", Grants.NONE)) {
            long t0 = System.nanoTime();
            assertEquals(1L << 30, c.i64("flood", 1024), "fwrite saw every byte written");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 30_000, ms + " ms");
            assertEquals(2, c.output.size());
            assertEquals(8 + 65536, c.output.get(0).length(), "64 KiB kept");
            assertEquals("TRUNCATED: output truncated: more than 65536 bytes in one call; the rest is dropped", c.output.get(1));
        }
    }

    @Test
    void sleepingForeverEndsAtTheDeadline() {
        try (Guest c = new Guest("test-wasi-hostile", Grants.ALL)) {
            c.hosted().instance().setTimeout(Duration.ofMillis(200));
            Trap t = assertThrows(Trap.class, () -> c.i32("sleep_forever"));
            assertEquals(TrapKind.TIMEOUT, t.kind());
        }
        try (Guest c = new Guest("test-wasi-hostile", Grants.DETERMINISTIC)) {
            c.hosted().instance().setTimeout(Duration.ofMillis(200));
            assertThrows(Trap.class, () -> c.i32("sleep_forever"), "a fixed clock's days pass instantly: a busy loop, stopped by the deadline");
        }
        try (Guest c = new Guest("test-wasi-hostile", Grants.NONE)) {
            // the event carries ENOTCAPABLE; wasi-libc's clock_nanosleep reports any failure as ENOTSUP
            assertEquals(-58, c.i32("sleep_forever"), "no clock granted: nanosleep fails at once");
        }
    }

    @Test
    void exitEndsTheCallWithItsCode() {
        try (Guest c = new Guest("test-wasi-hostile", Grants.NONE)) {
            ProcExitException e = assertThrows(ProcExitException.class, () -> c.call("exit_with", 3));
            assertEquals(3, e.exitCode());
            assertFalse(c.hosted().usable());
        }
    }

    @Test
    void clocksAndRandomFollowTheGrants() {
        try (Guest none = new Guest("test-wasi-hostile", Grants.NONE);
             Guest fixed = new Guest("test-wasi-hostile", Grants.DETERMINISTIC);
             Guest real = new Guest("test-wasi-hostile", Grants.ALL)) {
            assertEquals(-76, none.i64("now_ns"));
            assertEquals(-76, none.i64("random64"));
            assertEquals(0, fixed.i64("now_ns"));
            assertEquals(fixed.i64("random64"), fixed.i64("random64"));
            assertTrue(Math.abs(real.i64("now_ns") / 1_000_000 - System.currentTimeMillis()) < 10_000);
            assertNotEquals(real.i64("random64"), real.i64("random64"));
        }
    }

    @Test
    void stdoutAndStderrBecomeLinesAndGuestErrorsCarryTheirSqlState() {
        try (Guest c = new Guest("test-wasi-hostile", Grants.NONE)) {
            assertEquals("hello, Ada", c.text("hello", "Ada"));
            assertEquals(List.of("STDOUT: hello, Ada", "STDERR: said hello to Ada"), c.output);
            GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> c.call("raise_error", "P0001", "custom failure"));
            assertEquals("P0001", e.sqlState());
            assertEquals("custom failure", e.getMessage());
        }
    }

    @Test
    void aLeakingMallocRunsOutWithinTheMemoryCap() {
        try (Guest c = new Guest("test-wasi-hostile", Grants.NONE)) {
            int calls = 0;
            while (c.i32("leak", 1024) == 0) {
                calls++;
                assertTrue(calls < 100, "64 MiB cap");
            }
            assertTrue(calls > 50, calls + " MiB before malloc returned NULL");
            assertEquals("hello, again", c.text("hello", "again"), "the module copes with NULL and carries on");
        }
    }

    // ---- Rust with std for wasm32-wasi ----------------------------------------------------------

    @Test
    void rustStdGetsWasiErrors() {
        try (Guest r = new Guest("test-rust-hostile", Grants.ALL)) {
            assertTrue(r.text("read_passwd").startsWith("error: failed to find a pre-opened file descriptor"), r.text("read_passwd"));
            assertNull(r.optText("home"), "std::env::var(\"HOME\") is an error");
            assertEquals("error: Unsupported", r.text("connect"));
            assertEquals("HI", r.text("shout", "hi"));
            assertEquals(List.of("STDOUT: hi!", "STDERR: shouted 2"), r.output);
            r.hosted().instance().setTimeout(Duration.ofMillis(200));
            Trap t = assertThrows(Trap.class, () -> r.i32("sleep_ms", 1_000_000_000L));
            assertEquals(TrapKind.TIMEOUT, t.kind());
        }
        try (Guest r = new Guest("test-rust-hostile", Grants.ALL)) {
            ProcExitException e = assertThrows(ProcExitException.class, () -> r.i32("exit_with", 4));
            assertEquals(4, e.exitCode());
        }
    }

    @Test
    void rustPanicsAreSqlErrorsWithTheirMessage() {
        try (Guest r = new Guest("test-rust-hostile", Grants.NONE)) {
            GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> r.i32("fail", "disk full"));
            assertEquals("38000", e.sqlState());
            assertTrue(e.getMessage().startsWith("panicked at 'disk full', src/rust/test_hostile.rs:"), e.getMessage());
        }
        try (Guest r = new Guest("test-rust-hostile", Grants.NONE)) {
            GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> r.i64("hash_seed"));
            assertEquals("38000", e.sqlState(), "std's RandomState panics without random numbers: " + e.getMessage());
        }
        long seed;
        try (Guest r = new Guest("test-rust-hostile", Grants.DETERMINISTIC)) {
            seed = r.i64("hash_seed"); // std draws its keys once per thread, then counts up: compare first calls
            assertEquals(0, r.i64("now_ns"), "fixed clock: the epoch");
        }
        try (Guest r = new Guest("test-rust-hostile", Grants.DETERMINISTIC)) {
            assertEquals(seed, r.i64("hash_seed"), "seeded: the same keys in every instance");
        }
    }

    // ---- AssemblyScript ----------------------------------------------------------------------------

    @Test
    void assemblyScriptAbortIsATrapWithItsMessageAndLocation() {
        try (Guest a = new Guest("test-as-hostile", Grants.NONE)) {
            assertEquals("ok", a.text("checked", "ok"));
            Trap t = assertThrows(Trap.class, () -> a.text("checked", ""));
            assertEquals(TrapKind.ABORT, t.kind());
            assertTrue(t.getMessage().matches("abort: empty input at \\S*test_hostile\\.ts:\\d+:\\d+"), t.getMessage());
        }
        try (Guest a = new Guest("test-as-hostile", Grants.NONE)) {
            Trap t = assertThrows(Trap.class, () -> a.text("checked", "much too long"));
            assertTrue(t.getMessage().startsWith("abort: too long: much too long at "), t.getMessage());
        }
    }

    @Test
    void assemblyScriptTraceAndSeed() {
        try (Guest a = new Guest("test-as-hostile", Grants.NONE)) {
            assertEquals(42, a.i32("traced", 21));
            assertEquals(List.of("TRACE: trace: traced 21, 0.5"), a.output);
            Trap t = assertThrows(Trap.class, () -> a.f64("random_unit"));
            assertTrue(t.getMessage().contains("env.seed: random numbers are not granted"), t.getMessage());
        }
        double first;
        try (Guest a = new Guest("test-as-hostile", Grants.DETERMINISTIC)) {
            first = a.f64("random_unit");
        }
        try (Guest a = new Guest("test-as-hostile", Grants.DETERMINISTIC)) {
            assertEquals(first, a.f64("random_unit"), "a fixed seed: the same sequence in every instance");
        }
        try (Guest a = new Guest("test-as-hostile", Grants.ALL)) {
            double x = a.f64("random_unit");
            assertTrue(x >= 0 && x < 1);
        }
    }
}
