package io.wasmudf.engine;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for the whole JVM that raises the deadline flag of instances whose deadline
 * passed; compiled code polls the flag, so no thread per call and no clock read per loop
 * iteration are needed. Deadlines are set per statement or call, not per loop, so a scheduler
 * queue is cheap enough.
 */
final class Watchdog {
    private static final ScheduledThreadPoolExecutor SCHEDULER;

    static {
        SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wasmudf-watchdog");
            t.setDaemon(true);
            return t;
        });
        // cancelled deadlines (the common case: the call finished in time) must not pile up
        SCHEDULER.setRemoveOnCancelPolicy(true);
    }

    private Watchdog() {}

    /** Runs {@code action} (which must be quick) at {@code deadlineNanos}, in {@link System#nanoTime()} time. */
    static ScheduledFuture<?> schedule(Runnable action, long deadlineNanos) {
        long delay = deadlineNanos - System.nanoTime();
        return SCHEDULER.schedule(action, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }
}
