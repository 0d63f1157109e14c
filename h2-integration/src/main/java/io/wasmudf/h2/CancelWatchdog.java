package io.wasmudf.h2;

import io.wasmudf.sql.GuestInstance;
import java.lang.reflect.Field;
import org.h2.command.Command;
import org.h2.engine.SessionLocal;

/**
 * Makes H2's statement cancel and query timeout reach guest code. H2 only checks for
 * cancellation between rows, so a guest stuck in a loop would hold the statement forever; this
 * daemon thread polls each session that has instances and interrupts them once H2 considers the
 * statement cancelled (the instance traps with INTERRUPTED, reported as SQLSTATE 57014).
 */
final class CancelWatchdog implements Runnable {
    private static final long PERIOD_MS = 50;
    private static Thread thread;

    private CancelWatchdog() {}

    static synchronized void start() {
        if (thread == null) {
            thread = new Thread(new CancelWatchdog(), "wasmudf-cancel-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void run() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MS);
                long now = System.nanoTime();
                GuestSessions.forEach((session, guest) -> {
                    if (session instanceof SessionLocal s && cancelRequested(s, now)) {
                        interrupt(guest);
                    }
                });
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a session closing under us: try again next period
            }
        }
    }

    private static boolean cancelRequested(SessionLocal s, long now) {
        Command command = s.getCurrentCommand();
        if (command == null) {
            return false;
        }
        long cancelAt = s.getCancel();
        if (cancelAt != 0 && now - cancelAt >= 0) {
            return true; // query timeout, or Connection-level cancel
        }
        // Statement.cancel() only raises a private flag on the running Command
        try {
            return COMMAND_CANCEL != null && COMMAND_CANCEL.getBoolean(command);
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    private static final Field COMMAND_CANCEL = commandCancelField();

    private static Field commandCancelField() {
        try {
            Field f = Command.class.getDeclaredField("cancel");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another H2 version: timeouts still work, Statement.cancel waits for the guest
        }
    }

    private static void interrupt(GuestInstance guest) {
        try {
            guest.instance().interrupt();
        } catch (IllegalStateException notInterruptible) {
            // compiled without interrupt checks: nothing to do
        }
    }
}
