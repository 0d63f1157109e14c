package io.wasmudf.h2;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A query running on another thread, for tests that cancel it (embedded H2 and the PostgreSQL server alike). */
public final class BackgroundQuery {
    private BackgroundQuery() {}

    /** Runs {@code sql} on {@code st} in the background: completes with its SQLException, or null if it succeeded. */
    public static CompletableFuture<SQLException> failureOf(Statement st, String sql) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                st.executeQuery(sql);
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    /**
     * Waits until a guest is running for the session of {@code c} (its database's sessions hold an
     * instance for it), polling the state, at most 30 s. A cancel from then on must stop the statement.
     */
    public static void awaitGuest(java.sql.Connection c) throws SQLException, InterruptedException {
        Object session = H2Access.session(c.unwrap(org.h2.jdbc.JdbcConnection.class));
        CatalogService service = CatalogService.ofSession(session);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.sessions.instanceCount() == 0 || !H2Access.isRunningStatement(session)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no guest started running within 30 s");
            }
            Thread.sleep(2);
        }
    }

    /**
     * Cancels {@code st} every 100 ms, at most 100 times, until {@code running} completes, and
     * returns what it completed with (null if it never did). Repeated because a cancel that arrives
     * before the statement reaches the guest does not stop it.
     */
    public static SQLException cancelUntilDone(Statement st, CompletableFuture<SQLException> running)
            throws SQLException, InterruptedException, ExecutionException {
        SQLException e = null;
        for (int i = 0; i < 100 && e == null; i++) {
            Thread.sleep(100);
            st.cancel();
            try {
                e = running.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // the statement may not have reached the guest yet
            }
        }
        return e;
    }
}
