package io.wasmudf.engine.host;

import static io.wasmudf.engine.host.HostTestSupport.call;
import static io.wasmudf.engine.host.HostTestSupport.iovec;
import static io.wasmudf.engine.host.HostTestSupport.memory;
import static io.wasmudf.engine.host.HostTestSupport.probe;
import static io.wasmudf.engine.host.HostTestSupport.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.OutputSink;
import io.wasmudf.engine.ProcExitException;
import io.wasmudf.engine.internal.host.HostModules;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each {@code wasi_snapshot_preview1} function called directly on the probe module, which imports
 * all 46 with the signatures of the WASI witx (so instantiating it is the check that every name is
 * provided with the right type). Errno values are WASI's: 8 EBADF, 21 EFAULT, 28 EINVAL, 54 ENOTDIR,
 * 58 ENOTSUP, 70 ESPIPE, 76 ENOTCAPABLE.
 */
class WasiFunctionsTest {
    private static final int BADF = 8;
    private static final int FAULT = 21;
    private static final int INVAL = 28;
    private static final int NOTSUP = 58;
    private static final int SPIPE = 70;
    private static final int NOTCAPABLE = 76;
    private static final int WILD = 0x7FFF_FFF0;

    private final HostTestSupport.Lines out = new HostTestSupport.Lines();
    private final HostedInstance wasi = probe(Grants.NONE, out);

    @Test
    void everyPreview1FunctionIsProvided() {
        assertEquals(46, HostModules.functions(HostModules.WASI).size());
        assertTrue(wasi.usable(), "the probe, importing all 46, instantiated");
    }

    @Test
    void argumentsAndEnvironmentAreEmpty() {
        memory(wasi).writeInt(100, -1);
        memory(wasi).writeInt(104, -1);
        assertEquals(0, call(wasi, "environ_sizes_get", 100, 104));
        assertEquals(0, memory(wasi).readInt(100), "no variables: HOME is not there");
        assertEquals(0, memory(wasi).readInt(104));
        assertEquals(0, call(wasi, "args_sizes_get", 100, 104));
        assertEquals(0, memory(wasi).readInt(100));
        assertEquals(0, call(wasi, "environ_get", 200, 300));
        assertEquals(0, call(wasi, "args_get", 200, 300));
        assertEquals(FAULT, call(wasi, "environ_sizes_get", WILD, 104));
    }

    @Test
    void stdoutAndStderrAreCapturedAsLines() {
        int n = put(wasi, 1000, "hello\nwörld\npartial");
        iovec(wasi, 0, 1000, n);
        assertEquals(0, call(wasi, "fd_write", 1, 0, 1, 8));
        assertEquals(n, memory(wasi).readInt(8));
        put(wasi, 2000, "oops\n");
        iovec(wasi, 16, 2000, 5);
        assertEquals(0, call(wasi, "fd_write", 2, 16, 1, 8));
        assertEquals(List.of("STDOUT: hello", "STDOUT: wörld", "STDOUT: partial", "STDERR: oops"), out.lines,
                "a line left unfinished is delivered when its call ends");
    }

    @Test
    void writesOutsideStdioAndWildPointersGetErrnos() {
        iovec(wasi, 0, 1000, 4);
        assertEquals(NOTCAPABLE, call(wasi, "fd_write", 0, 0, 1, 8), "stdin is not writable");
        assertEquals(BADF, call(wasi, "fd_write", 3, 0, 1, 8));
        assertEquals(BADF, call(wasi, "fd_write", -1, 0, 1, 8));
        assertEquals(FAULT, call(wasi, "fd_write", 1, WILD, 1, 8), "iovec array outside memory");
        assertEquals(FAULT, call(wasi, "fd_write", 1, 0, 0x2000_0000, 8), "iovec count past memory");
        iovec(wasi, 0, WILD, 100);
        assertEquals(FAULT, call(wasi, "fd_write", 1, 0, 1, 8), "buffer outside memory");
        iovec(wasi, 0, 1000, -1);
        assertEquals(FAULT, call(wasi, "fd_write", 1, 0, 1, 8), "length of 4 GiB - 1");
        iovec(wasi, 0, 1000, 4);
        assertEquals(FAULT, call(wasi, "fd_write", 1, 0, 1, -4), "nwritten outside memory");
        assertEquals(FAULT, call(wasi, "fd_fdstat_get", 1, WILD));
        assertEquals(FAULT, call(wasi, "fd_filestat_get", 1, -8));
        assertEquals(FAULT, call(wasi, "fd_read", 0, 0, 1, WILD));
        assertTrue(wasi.usable(), "faults are errnos, the instance carries on");
    }

    @Test
    void stdinIsEmpty() {
        iovec(wasi, 0, 1000, 16);
        memory(wasi).writeInt(8, 99);
        assertEquals(0, call(wasi, "fd_read", 0, 0, 1, 8));
        assertEquals(0, memory(wasi).readInt(8), "end of file");
        assertEquals(NOTCAPABLE, call(wasi, "fd_read", 1, 0, 1, 8));
        assertEquals(BADF, call(wasi, "fd_read", 5, 0, 1, 8));
    }

    @Test
    void noFileSystem() {
        int n = put(wasi, 1000, "/etc/passwd");
        assertEquals(BADF, call(wasi, "fd_prestat_get", 3, 100), "no preopened directory at fd 3");
        assertEquals(BADF, call(wasi, "fd_prestat_dir_name", 3, 100, 10));
        for (int fd : new int[] {3, 4, 100, -1}) {
            assertEquals(BADF, call(wasi, "path_open", fd, 0, 1000, n, 0, 0L, 0L, 0, 100));
        }
        for (int fd = 0; fd <= 2; fd++) {
            assertEquals(NOTCAPABLE, call(wasi, "path_open", fd, 0, 1000, n, 0, -1L, -1L, 0, 100), "stdio has no path rights");
        }
        assertEquals(BADF, call(wasi, "path_create_directory", 3, 1000, n));
        assertEquals(BADF, call(wasi, "path_filestat_get", 3, 0, 1000, n, 100));
        assertEquals(BADF, call(wasi, "path_filestat_set_times", 3, 0, 1000, n, 0L, 0L, 0));
        assertEquals(BADF, call(wasi, "path_link", 3, 0, 1000, n, 3, 1000, n));
        assertEquals(BADF, call(wasi, "path_readlink", 3, 1000, n, 100, 10, 200));
        assertEquals(BADF, call(wasi, "path_remove_directory", 3, 1000, n));
        assertEquals(BADF, call(wasi, "path_rename", 3, 1000, n, 3, 1000, n));
        assertEquals(BADF, call(wasi, "path_symlink", 1000, n, 3, 1000, n));
        assertEquals(BADF, call(wasi, "path_unlink_file", 3, 1000, n));
        assertEquals(NOTCAPABLE, call(wasi, "path_unlink_file", 1, 1000, n));
        assertEquals(BADF, call(wasi, "fd_readdir", 3, 100, 100, 0L, 200));
        assertEquals(54, call(wasi, "fd_readdir", 1, 100, 100, 0L, 200), "ENOTDIR");
    }

    @Test
    void stdioDescriptors() {
        assertEquals(0, call(wasi, "fd_fdstat_get", 1, 64));
        assertEquals(2, memory(wasi).readByte(64), "character device");
        long rights = memory(wasi).readLong(72);
        assertTrue((rights & (1L << 6)) != 0, "fd_write right");
        assertEquals(0, rights & (1L << 2 | 1L << 5), "no seek/tell rights: isatty() is true, as for a terminal");
        assertEquals(SPIPE, call(wasi, "fd_seek", 1, 0L, 0, 100));
        assertEquals(SPIPE, call(wasi, "fd_tell", 1, 100));
        assertEquals(SPIPE, call(wasi, "fd_pread", 0, 0, 0, 0L, 100));
        assertEquals(SPIPE, call(wasi, "fd_pwrite", 1, 0, 0, 0L, 100));
        assertEquals(SPIPE, call(wasi, "fd_advise", 1, 0L, 0L, 0));
        assertEquals(NOTCAPABLE, call(wasi, "fd_allocate", 1, 0L, 10L));
        assertEquals(NOTCAPABLE, call(wasi, "fd_filestat_set_size", 1, 0L));
        assertEquals(NOTCAPABLE, call(wasi, "fd_filestat_set_times", 1, 0L, 0L, 0));
        assertEquals(0, call(wasi, "fd_sync", 1));
        assertEquals(0, call(wasi, "fd_datasync", 2));
        assertEquals(0, call(wasi, "fd_fdstat_set_flags", 1, 0));
        assertEquals(NOTSUP, call(wasi, "fd_fdstat_set_flags", 1, 4), "non-blocking is not offered");
        assertEquals(NOTCAPABLE, call(wasi, "fd_fdstat_set_rights", 1, -1L, 0L), "rights cannot grow");
        assertEquals(0, call(wasi, "fd_fdstat_set_rights", 1, 1L << 6, 0L));
        assertEquals(NOTSUP, call(wasi, "fd_renumber", 1, 2));
        assertEquals(BADF, call(wasi, "fd_renumber", 1, 7));
        assertEquals(0, call(wasi, "fd_filestat_get", 2, 64));
        assertEquals(2, memory(wasi).readByte(80));
        for (String f : List.of("fd_close", "fd_datasync", "fd_sync")) {
            assertEquals(BADF, call(wasi, f, 9), f);
        }
        assertEquals(0, call(wasi, "fd_close", 2));
        assertEquals(BADF, call(wasi, "fd_close", 2), "closed once");
        iovec(wasi, 0, 1000, 1);
        assertEquals(BADF, call(wasi, "fd_write", 2, 0, 1, 8));
    }

    @Test
    void noSockets() {
        assertEquals(NOTSUP, call(wasi, "sock_accept", 3, 0, 100));
        assertEquals(NOTSUP, call(wasi, "sock_recv", 3, 0, 1, 0, 100, 104));
        assertEquals(NOTSUP, call(wasi, "sock_send", 1, 0, 1, 0, 100));
        assertEquals(NOTSUP, call(wasi, "sock_shutdown", 3, 2));
    }

    @Test
    void processFunctions() {
        assertEquals(NOTSUP, call(wasi, "proc_raise", 6));
        assertEquals(0, call(wasi, "sched_yield"));
        ProcExitException e = assertThrows(ProcExitException.class, () -> wasi.call("exit_with", 42));
        assertEquals(42, e.exitCode());
        assertEquals(42, wasi.exitCode().getAsInt());
        assertFalse(wasi.usable());
        assertThrows(IllegalStateException.class, () -> wasi.call("sched_yield"), "an exited instance is not called again");
    }

    @Test
    void clocksAndRandomAreDeniedByDefault() {
        assertEquals(-NOTCAPABLE, (long) wasi.call("now", 0)[0]);
        assertEquals(NOTCAPABLE, call(wasi, "clock_res_get", 1, 100));
        assertEquals(NOTCAPABLE, call(wasi, "random_get", 100, 8));
        assertEquals(0, call(wasi, "sleep", 1, 1_000_000_000L, 0), "poll_oneoff itself succeeds");
        assertEquals(1, memory(wasi).readInt(16), "one event");
        assertEquals(7L, memory(wasi).readLong(512), "userdata");
        assertEquals(NOTCAPABLE, memory(wasi).readShort(520), "the clock subscription's error");
    }

    @Test
    void fixedClockAndSeededRandomAreDeterministicPerCall() {
        HostedInstance d = probe(Grants.DETERMINISTIC, OutputSink.DISCARD);
        assertEquals(0L, (long) d.call("now", 0)[0], "real-time clock at the epoch");
        assertEquals(0L, (long) d.call("now", 1)[0]);
        assertEquals(INVAL, -(long) d.call("now", 9)[0], "unknown clock");
        long t0 = System.nanoTime();
        assertEquals(0, call(d, "sleep", 1, 3_600_000_000_000L, 0), "an hour");
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "without sleeping");
        assertEquals(0, memory(d).readShort(520));
        long r1 = (long) d.call("random64")[0];
        long r2 = (long) d.call("random64")[0];
        assertEquals(r1, r2, "each call starts the same stream");
        assertNotEquals(0L, r1);
        assertEquals(0, call(d, "random_get", 100, 16));
        byte[] a = memory(d).read(100, 16);
        assertEquals(0, call(d, "random_get", 100, 16));
        assertArrayEquals(a, memory(d).read(100, 16));
        assertEquals(FAULT, call(d, "random_get", WILD, 16));
        assertEquals(FAULT, call(d, "random_get", 100, -1));
    }

    @Test
    void fixedClockSaturatesInsteadOfWrapping() {
        // 106,752 days overflow a signed nanosecond count: a wrapped clock read as "no clock" and let
        // a sleep-forever loop end with EINVAL instead of running into its deadline (CI, 2026-12-07)
        HostedInstance d = probe(Grants.DETERMINISTIC, OutputSink.DISCARD);
        assertEquals(Long.MAX_VALUE, (long) d.call("sleep_days", 200_000)[0], "the clock stops at its largest reading");
        assertEquals(0L, (long) d.call("now", 1)[0], "and starts again at zero in the next call");
    }

    @Test
    void realClockAndRandom() {
        HostedInstance r = probe(Grants.ALL, OutputSink.DISCARD);
        long now = (long) r.call("now", 0)[0];
        long java = System.currentTimeMillis() * 1_000_000L;
        assertTrue(Math.abs(now - java) < 5_000_000_000L, "real time: " + now + " vs " + java);
        long m1 = (long) r.call("now", 1)[0];
        long t0 = System.nanoTime();
        assertEquals(0, call(r, "sleep", 1, 20_000_000L, 0), "20 ms");
        long slept = System.nanoTime() - t0;
        assertTrue(slept >= 20_000_000L, "slept " + slept);
        long m2 = (long) r.call("now", 1)[0];
        assertTrue(m2 - m1 >= 20_000_000L, "monotonic clock moved with it");
        assertEquals(0, call(r, "sleep", 0, now - 1, 1), "an absolute time in the past fires at once");
        assertEquals(1, memory(r).readInt(16));
        assertNotEquals((long) r.call("random64")[0], (long) r.call("random64")[0]);
        assertEquals(0, call(r, "clock_res_get", 1, 100));
        assertEquals(1L, memory(r).readLong(100));
        assertEquals(INVAL, call(r, "clock_res_get", 4, 100));
    }

    @Test
    void pollOneoffRefusesNothingToWaitForAndFdSubscriptions() {
        assertEquals(INVAL, call(wasi, "poll_oneoff", 256, 512, 0, 16));
        memory(wasi).writeLong(256, 9);
        memory(wasi).writeByte(264, (byte) 1); // fd_read subscription
        memory(wasi).writeInt(272, 0);
        assertEquals(0, call(wasi, "poll_oneoff", 256, 512, 1, 16));
        assertEquals(1, memory(wasi).readInt(16));
        assertEquals(NOTSUP, memory(wasi).readShort(520));
        assertEquals(1, memory(wasi).readByte(522), "event type fd_read");
        assertEquals(FAULT, call(wasi, "poll_oneoff", WILD, 512, 1, 16));
        assertEquals(FAULT, call(wasi, "poll_oneoff", 256, 512, 4096, 16), "4096 subscriptions do not fit at 256");
        assertEquals(INVAL, call(wasi, "poll_oneoff", 256, 512, 4097, 16), "more than 4096: refused before anything is read");
    }

    @Test
    void everyFunctionSurvivesWildArguments() {
        // every errno-returning function with every argument at its most hostile: no host exception escapes
        for (var e : HostModules.functions(HostModules.WASI).entrySet()) {
            if (e.getKey().equals("proc_exit") || e.getKey().equals("poll_oneoff")) {
                continue;
            }
            Object[] args = e.getValue().params().stream()
                    .map(t -> t == io.wasmudf.engine.ValType.I64 ? (Object) (-1L) : (Object) WILD).toArray();
            int errno = call(wasi, e.getKey(), args);
            assertTrue(Set.of(0, BADF, FAULT, INVAL, NOTSUP, NOTCAPABLE, SPIPE).contains(errno), e.getKey() + " -> " + errno);
        }
        assertTrue(wasi.usable());
    }
}
