package io.wasmudf.engine.internal.host;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.OutputSink;
import io.wasmudf.engine.ProcExitException;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code wasi_snapshot_preview1}, all 46 functions, sandboxed: the guest has stdin (empty), stdout
 * and stderr (captured into {@link GuestOutput}), no preopened directories, no arguments, no
 * environment and no sockets; clocks and random numbers as {@link Grants} allow. A pointer or
 * length outside memory is {@code EFAULT}, as wasi-common answers it; nothing here touches the
 * host's files, processes or network. docs/WASI.md has the table.
 */
final class Wasi {
    /** fd_read, fd_fdstat_set_flags(0), fd_filestat_get, poll_fd_readwrite. */
    static final long STDIN_RIGHTS = 1L << 1 | 1L << 3 | 1L << 21 | 1L << 27;
    /** fd_write, fd_fdstat_set_flags, fd_sync, fd_datasync, fd_filestat_get, poll_fd_readwrite. */
    static final long STDOUT_RIGHTS = 1L << 6 | 1L << 3 | 1L << 4 | 1L << 0 | 1L << 21 | 1L << 27;
    private static final int FILETYPE_CHARACTER_DEVICE = 2;
    private static final int EVENT_CLOCK = 0;
    private static final int SUBCLOCK_ABSTIME = 1;
    /** Most subscriptions one poll_oneoff takes (more is EINVAL): a guest cannot make the host allocate per its memory size. */
    static final int MAX_SUBSCRIPTIONS = 4096;
    /** Longest park between two interrupt checks while sleeping. */
    private static final long SLEEP_SLICE_NANOS = 1_000_000;

    private Wasi() {}

    private static boolean isOpen(HostState h, int fd) {
        return fd >= 0 && fd <= 2 && !h.closed[fd];
    }

    // ---- args and environment: empty -------------------------------------------------------

    @HostFunction
    static int args_get(HostState h, int argv, int argvBuf) {
        return Errno.SUCCESS;
    }

    @HostFunction
    static int args_sizes_get(HostState h, int argcPtr, int bufSizePtr) {
        return zeroPair(h, argcPtr, bufSizePtr);
    }

    @HostFunction
    static int environ_get(HostState h, int environ, int environBuf) {
        return Errno.SUCCESS;
    }

    @HostFunction
    static int environ_sizes_get(HostState h, int countPtr, int bufSizePtr) {
        return zeroPair(h, countPtr, bufSizePtr);
    }

    private static int zeroPair(HostState h, int a, int b) {
        try {
            h.writeI32(a, 0);
            h.writeI32(b, 0);
            return Errno.SUCCESS;
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    // ---- clocks ---------------------------------------------------------------------------------

    @HostFunction
    static int clock_res_get(HostState h, int id, int resPtr) {
        if (h.grants.clock() == Grants.ClockGrant.DENIED) {
            return Errno.NOTCAPABLE;
        }
        if (id < 0 || id > 3) {
            return Errno.INVAL;
        }
        try {
            h.writeI64(resPtr, h.grants.clock() == Grants.ClockGrant.REAL && id == 0 ? 1000 : 1);
            return Errno.SUCCESS;
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    @HostFunction
    static int clock_time_get(HostState h, int id, long precision, int timePtr) {
        if (h.grants.clock() == Grants.ClockGrant.DENIED) {
            return Errno.NOTCAPABLE;
        }
        h.enter();
        long t = h.now(id);
        if (t < 0) {
            return Errno.INVAL;
        }
        try {
            h.writeI64(timePtr, t);
            return Errno.SUCCESS;
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    // ---- file descriptors: 0, 1 and 2 only ---------------------------------------------------

    @HostFunction
    static int fd_advise(HostState h, int fd, long offset, long len, int advice) {
        return isOpen(h, fd) ? Errno.SPIPE : Errno.BADF;
    }

    @HostFunction
    static int fd_allocate(HostState h, int fd, long offset, long len) {
        return isOpen(h, fd) ? Errno.NOTCAPABLE : Errno.BADF;
    }

    @HostFunction
    static int fd_close(HostState h, int fd) {
        if (!isOpen(h, fd)) {
            return Errno.BADF;
        }
        h.flushOutput();
        h.closed[fd] = true;
        return Errno.SUCCESS;
    }

    @HostFunction
    static int fd_datasync(HostState h, int fd) {
        return fd_sync(h, fd);
    }

    @HostFunction
    static int fd_fdstat_get(HostState h, int fd, int statPtr) {
        if (!isOpen(h, fd)) {
            return Errno.BADF;
        }
        try {
            h.fill(statPtr, 24, (byte) 0);
            h.writeU8(statPtr, FILETYPE_CHARACTER_DEVICE);
            h.writeU16(statPtr + 2, 0);
            h.writeI64(statPtr + 8, h.rights[fd]);
            h.writeI64(statPtr + 16, 0);
            return Errno.SUCCESS;
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    @HostFunction
    static int fd_fdstat_set_flags(HostState h, int fd, int flags) {
        if (!isOpen(h, fd)) {
            return Errno.BADF;
        }
        return (flags & 0xFFFF) == 0 ? Errno.SUCCESS : Errno.NOTSUP;
    }

    @HostFunction
    static int fd_fdstat_set_rights(HostState h, int fd, long base, long inheriting) {
        if (!isOpen(h, fd)) {
            return Errno.BADF;
        }
        if ((base & ~h.rights[fd]) != 0 || inheriting != 0) {
            return Errno.NOTCAPABLE; // rights can only be dropped
        }
        h.rights[fd] = base;
        return Errno.SUCCESS;
    }

    @HostFunction
    static int fd_filestat_get(HostState h, int fd, int statPtr) {
        if (!isOpen(h, fd)) {
            return Errno.BADF;
        }
        try {
            h.fill(statPtr, 64, (byte) 0);
            h.writeU8(statPtr + 16, FILETYPE_CHARACTER_DEVICE);
            h.writeI64(statPtr + 24, 1);
            return Errno.SUCCESS;
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    @HostFunction
    static int fd_filestat_set_size(HostState h, int fd, long size) {
        return isOpen(h, fd) ? Errno.NOTCAPABLE : Errno.BADF;
    }

    @HostFunction
    static int fd_filestat_set_times(HostState h, int fd, long atim, long mtim, int flags) {
        return isOpen(h, fd) ? Errno.NOTCAPABLE : Errno.BADF;
    }

    @HostFunction
    static int fd_pread(HostState h, int fd, int iovs, int iovsLen, long offset, int nreadPtr) {
        return isOpen(h, fd) ? Errno.SPIPE : Errno.BADF;
    }

    @HostFunction
    static int fd_prestat_get(HostState h, int fd, int prestatPtr) {
        return Errno.BADF; // no preopened directories: the end of wasi-libc's preopen scan at fd 3
    }

    @HostFunction
    static int fd_prestat_dir_name(HostState h, int fd, int path, int pathLen) {
        return Errno.BADF;
    }

    @HostFunction
    static int fd_pwrite(HostState h, int fd, int iovs, int iovsLen, long offset, int nwrittenPtr) {
        return isOpen(h, fd) ? Errno.SPIPE : Errno.BADF;
    }

    @HostFunction
    static int fd_read(HostState h, int fd, int iovs, int iovsLen, int nreadPtr) {
        if (!isOpen(h, fd)) {
            return Errno.BADF;
        }
        if (fd != 0) {
            return Errno.NOTCAPABLE;
        }
        try {
            checkIovecs(h, iovs, iovsLen);
            h.writeI32(nreadPtr, 0); // stdin is empty: end of file
            return Errno.SUCCESS;
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    @HostFunction
    static int fd_readdir(HostState h, int fd, int buf, int bufLen, long cookie, int bufusedPtr) {
        return isOpen(h, fd) ? Errno.NOTDIR : Errno.BADF;
    }

    @HostFunction
    static int fd_renumber(HostState h, int fd, int to) {
        return isOpen(h, fd) && isOpen(h, to) ? Errno.NOTSUP : Errno.BADF;
    }

    @HostFunction
    static int fd_seek(HostState h, int fd, long offset, int whence, int newOffsetPtr) {
        return isOpen(h, fd) ? Errno.SPIPE : Errno.BADF;
    }

    @HostFunction
    static int fd_sync(HostState h, int fd) {
        if (!isOpen(h, fd)) {
            return Errno.BADF;
        }
        h.flushOutput();
        return Errno.SUCCESS;
    }

    @HostFunction
    static int fd_tell(HostState h, int fd, int offsetPtr) {
        return isOpen(h, fd) ? Errno.SPIPE : Errno.BADF;
    }

    @HostFunction
    static int fd_write(HostState h, int fd, int iovs, int iovsLen, int nwrittenPtr) {
        if (!isOpen(h, fd)) {
            return Errno.BADF;
        }
        if (fd == 0) {
            return Errno.NOTCAPABLE;
        }
        h.enter();
        OutputSink.Kind kind = fd == 1 ? OutputSink.Kind.STDOUT : OutputSink.Kind.STDERR;
        try {
            checkIovecs(h, iovs, iovsLen);
            long total = 0;
            for (int i = 0; i < iovsLen; i++) {
                int buf = h.readI32(iovs + 8 * i);
                int len = h.readI32(iovs + 8 * i + 4);
                byte[] mem = h.memory();
                int at = h.check(mem, buf, Integer.toUnsignedLong(len));
                total += Integer.toUnsignedLong(len);
                if (total > 0xFFFF_FFFFL) {
                    return Errno.INVAL; // nwritten is a u32
                }
                h.output.write(kind, mem, at, len);
            }
            h.writeI32(nwrittenPtr, (int) total);
            return Errno.SUCCESS;
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    /** The iovec array itself must be in memory (its buffers are checked as they are used). */
    private static void checkIovecs(HostState h, int iovs, int iovsLen) {
        h.check(h.memory(), iovs, 8 * Integer.toUnsignedLong(iovsLen));
    }

    // ---- paths: there is no directory to resolve them against ---------------------------------

    /** Stdio descriptors lack the path rights; anything else is not open. */
    private static int noPath(HostState h, int fd) {
        return isOpen(h, fd) ? Errno.NOTCAPABLE : Errno.BADF;
    }

    @HostFunction
    static int path_create_directory(HostState h, int fd, int path, int pathLen) {
        return noPath(h, fd);
    }

    @HostFunction
    static int path_filestat_get(HostState h, int fd, int flags, int path, int pathLen, int statPtr) {
        return noPath(h, fd);
    }

    @HostFunction
    static int path_filestat_set_times(HostState h, int fd, int flags, int path, int pathLen, long atim, long mtim, int fstFlags) {
        return noPath(h, fd);
    }

    @HostFunction
    static int path_link(HostState h, int oldFd, int oldFlags, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        return noPath(h, oldFd) != Errno.NOTCAPABLE ? Errno.BADF : noPath(h, newFd);
    }

    @HostFunction
    static int path_open(HostState h, int fd, int dirflags, int path, int pathLen, int oflags, long rightsBase,
                         long rightsInheriting, int fdflags, int fdPtr) {
        return noPath(h, fd);
    }

    @HostFunction
    static int path_readlink(HostState h, int fd, int path, int pathLen, int buf, int bufLen, int bufusedPtr) {
        return noPath(h, fd);
    }

    @HostFunction
    static int path_remove_directory(HostState h, int fd, int path, int pathLen) {
        return noPath(h, fd);
    }

    @HostFunction
    static int path_rename(HostState h, int fd, int oldPath, int oldPathLen, int newFd, int newPath, int newPathLen) {
        return noPath(h, fd) != Errno.NOTCAPABLE ? Errno.BADF : noPath(h, newFd);
    }

    @HostFunction
    static int path_symlink(HostState h, int oldPath, int oldPathLen, int fd, int newPath, int newPathLen) {
        return noPath(h, fd);
    }

    @HostFunction
    static int path_unlink_file(HostState h, int fd, int path, int pathLen) {
        return noPath(h, fd);
    }

    // ---- poll, process, scheduling, random -----------------------------------------------------

    /**
     * Clock subscriptions only: each fires when its timeout passes, after sleeping (a real clock,
     * bounded by the instance's deadline and interrupt, or refused on engines that cannot be
     * interrupted), after pretending to (a fixed clock), or at once with {@code ENOTCAPABLE} (no
     * clock granted). An fd subscription gets an event with {@code ENOTSUP} at once.
     */
    @HostFunction
    static int poll_oneoff(HostState h, int in, int out, int nsubscriptions, int neventsPtr) {
        if (nsubscriptions == 0 || Integer.toUnsignedLong(nsubscriptions) > MAX_SUBSCRIPTIONS) {
            return Errno.INVAL;
        }
        h.enter();
        try {
            long n = Integer.toUnsignedLong(nsubscriptions);
            h.check(h.memory(), in, 48 * n);
            h.check(h.memory(), out, 32 * n);
            h.check(h.memory(), neventsPtr, 4);
            Grants.ClockGrant clock = h.grants.clock();
            boolean immediate = false;
            long wake = Long.MAX_VALUE; // earliest timeout, in h.now(1) terms (relative for the fixed clock)
            long[] deadlines = new long[(int) n];
            for (int i = 0; i < n; i++) {
                int sub = in + 48 * i;
                int tag = h.readU8(sub + 8);
                if (tag != EVENT_CLOCK || clock == Grants.ClockGrant.DENIED) {
                    immediate = true;
                    deadlines[i] = Long.MIN_VALUE;
                    continue;
                }
                int id = h.readI32(sub + 16);
                long timeout = h.readI64(sub + 24);
                int flags = h.readU16(sub + 40);
                long now = h.now(id);
                if (now < 0) {
                    immediate = true;
                    deadlines[i] = Long.MIN_VALUE;
                    continue;
                }
                long remaining = timeout;
                if ((flags & SUBCLOCK_ABSTIME) != 0) {
                    remaining = Long.compareUnsigned(timeout, now) <= 0 ? 0 : timeout - now;
                }
                if (Long.compareUnsigned(remaining, Long.MAX_VALUE / 2) > 0) {
                    remaining = Long.MAX_VALUE / 2; // a u64 "forever": about 146 years
                }
                deadlines[i] = remaining;
                wake = Math.min(wake, remaining);
            }
            if (!immediate && wake > 0) {
                if (!sleep(h, wake)) {
                    return writeEvents(h, in, out, n, neventsPtr, deadlines, 0, Errno.NOTSUP);
                }
            }
            long slept = immediate ? 0 : wake;
            return writeEvents(h, in, out, n, neventsPtr, deadlines, slept, Errno.SUCCESS);
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    /** Sleeps {@code nanos} on the granted clock; false when sleeping is impossible (nothing could interrupt it). */
    private static boolean sleep(HostState h, long nanos) {
        if (h.grants.clock() == Grants.ClockGrant.FIXED) {
            // saturates: a wrapped (negative) clock would read as "no clock" and end a sleep loop with EINVAL
            long t = h.virtualNanos + nanos;
            h.virtualNanos = t < 0 ? Long.MAX_VALUE : t;
            h.checkInterrupt();
            return true;
        }
        if (!h.interruptible()) {
            return false;
        }
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            h.checkInterrupt();
            LockSupport.parkNanos(Math.min(left, SLEEP_SLICE_NANOS));
        }
        h.checkInterrupt();
        return true;
    }

    /** One event per subscription that is ready after {@code slept} ns; {@code clockError} for clock events that could not wait. */
    private static int writeEvents(HostState h, int in, int out, long n, int neventsPtr, long[] deadlines, long slept, int clockError) {
        int events = 0;
        for (int i = 0; i < n; i++) {
            int sub = in + 48 * i;
            long d = deadlines[i];
            boolean clockSub = h.readU8(sub + 8) == EVENT_CLOCK;
            int error;
            if (d == Long.MIN_VALUE) {
                error = !clockSub ? Errno.NOTSUP : h.grants.clock() == Grants.ClockGrant.DENIED ? Errno.NOTCAPABLE : Errno.INVAL;
            } else if (clockError != Errno.SUCCESS) {
                error = clockError;
            } else if (d <= slept) {
                error = Errno.SUCCESS;
            } else {
                continue;
            }
            int ev = out + 32 * events++;
            h.fill(ev, 32, (byte) 0);
            h.writeI64(ev, h.readI64(sub));
            h.writeU16(ev + 8, error);
            h.writeU8(ev + 10, h.readU8(sub + 8) & 0xFF);
        }
        h.writeI32(neventsPtr, events);
        return Errno.SUCCESS;
    }

    @HostFunction
    static void proc_exit(HostState h, int code) {
        h.flushOutput();
        h.exited(code);
        throw new ProcExitException(code, null);
    }

    @HostFunction
    static int proc_raise(HostState h, int signal) {
        return Errno.NOTSUP;
    }

    @HostFunction
    static int sched_yield(HostState h) {
        Thread.yield();
        return Errno.SUCCESS;
    }

    @HostFunction
    static int random_get(HostState h, int buf, int len) {
        if (h.grants.random() == Grants.RandomGrant.DENIED) {
            return Errno.NOTCAPABLE;
        }
        h.enter();
        try {
            h.check(h.memory(), buf, Integer.toUnsignedLong(len));
            byte[] chunk = new byte[(int) Math.min(4096, Integer.toUnsignedLong(len))];
            for (long done = 0; done < Integer.toUnsignedLong(len); done += chunk.length) {
                h.randomBytes(chunk);
                h.write((int) (buf + done), chunk, (int) Math.min(chunk.length, Integer.toUnsignedLong(len) - done));
            }
            return Errno.SUCCESS;
        } catch (Fault f) {
            return Errno.FAULT;
        }
    }

    // ---- sockets: none ------------------------------------------------------------------------

    @HostFunction
    static int sock_accept(HostState h, int fd, int flags, int fdPtr) {
        return Errno.NOTSUP;
    }

    @HostFunction
    static int sock_recv(HostState h, int fd, int riData, int riDataLen, int riFlags, int roDataLenPtr, int roFlagsPtr) {
        return Errno.NOTSUP;
    }

    @HostFunction
    static int sock_send(HostState h, int fd, int siData, int siDataLen, int siFlags, int soDataLenPtr) {
        return Errno.NOTSUP;
    }

    @HostFunction
    static int sock_shutdown(HostState h, int fd, int how) {
        return Errno.NOTSUP;
    }
}
