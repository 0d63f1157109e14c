package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.h2.BackgroundQuery;
import java.io.InputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Resource governance of the wire server: authentication timeout and size limits before
 * authentication, the failed-login delay, slots reserved for superusers, a hung-up client's
 * guest call stopped at once, pg_cancel_backend and pg_terminate_backend.
 */
class ConnectionGovernanceTest {

    private static void createSpin(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(PgTestServer.createFunction("spin() RETURNS integer", "test-traps"));
        }
    }

    /** Waits (at most {@code max}) until {@code done} holds; returns the milliseconds it took. */
    private static long waitFor(Duration max, java.util.function.BooleanSupplier done) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + max);
            }
            Thread.sleep(1);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** True once {@code sql}'s session is inside a guest call (H2 shows its statement to the superuser). */
    private static boolean running(Connection admin, String marker) {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(
                "select count(*) from information_schema.sessions where executing_statement like '%" + marker + "%'"
                        + " and executing_statement not like '%information_schema%'")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClientThatHangsUpHasItsGuestCallStoppedWithin100Ms() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true); Connection admin = server.connect()) {
            createSpin(admin);
            for (int round = 0; round < 3; round++) {
                int before = server.server.activeSessions();
                RawClient client = new RawClient(server.server.port());
                client.startup("wasmudf", "wasmudf");
                client.send('Q', RawClient.cstr("select spin() /* hangup" + round + " */"));
                String marker = "hangup" + round;
                waitFor(Duration.ofSeconds(10), () -> running(admin, marker));
                client.socket.setSoLinger(true, 0);
                client.close(); // no Terminate: the client just goes away
                // the session ends (its slot is free) only once its statement has stopped: an upper bound, polled cheaply
                long stopped = waitFor(Duration.ofSeconds(10), () -> server.server.activeSessions() == before);
                assertTrue(stopped < 100, "guest call ran on for up to " + stopped + " ms after the client left");
                assertFalse(running(admin, marker));
            }
        }
    }

    @Test
    void authenticationTimesOutAndMessagesBeforeItAreSmall() throws Exception {
        try (PgTestServer server = new PgTestServer("pw", true, b -> b.authenticationTimeout(Duration.ofMillis(500)))) {
            // never sends a startup packet: closed after the timeout
            try (Socket idle = new Socket("127.0.0.1", server.server.port())) {
                idle.setSoTimeout(10_000);
                long start = System.nanoTime();
                InputStream in = idle.getInputStream();
                assertEquals(-1, in.read());
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms >= 400 && ms < 5000, "closed after " + ms + " ms");
            }
            // declares a startup packet over 10,000 bytes: refused before anything is allocated
            try (RawClient c = new RawClient(server.server.port())) {
                c.sendRaw(RawClient.int32(20_000));
                List<RawClient.Msg> reply = c.readUntilClosed();
                assertEquals("08P01", reply.get(0).field('C'));
            }
            // a SASL message before authentication declaring 100 MB: refused, not read
            try (RawClient c = new RawClient(server.server.port())) {
                c.sendRaw(RawClient.startupPacket("wasmudf", "wasmudf"));
                assertEquals('R', c.read().type());
                c.sendRaw(RawClient.concat(new byte[] {'p'}, RawClient.int32(100_000_000)));
                List<RawClient.Msg> reply = c.readUntilClosed();
                assertEquals("08P01", reply.get(0).field('C'), reply.get(0).text());
                assertTrue(reply.get(0).field('M').contains("too long"), reply.get(0).field('M'));
            }
            try (Connection ok = server.connectAs("wasmudf", "pw"); Statement st = ok.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void aFailedLoginIsAnsweredAfterTheDelay() throws Exception {
        try (PgTestServer server = new PgTestServer("pw", true, b -> b.authenticationFailureDelay(Duration.ofMillis(400)))) {
            server.connectAs("wasmudf", "pw").close(); // warm both sides up
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> server.connectAs("wasmudf", "wrong"));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals("28P01", e.getSQLState());
            assertTrue(ms >= 400, "answered after " + ms + " ms");
            start = System.nanoTime();
            server.connectAs("wasmudf", "pw").close();
            assertTrue((System.nanoTime() - start) / 1_000_000 < 400, "a good login is not delayed");
        }
    }

    @Test
    void theLastSlotsAreReservedForSuperusers() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true, b -> b.maxConnections(4).superuserReservedConnections(2));
                Connection admin = server.connect()) {
            try (Statement st = admin.createStatement()) {
                st.execute("create role plain login");
            }
            try (Connection a = server.connectAs("plain", null)) {
                SQLException refused = assertThrows(SQLException.class, () -> server.connectAs("plain", null));
                assertEquals("53300", refused.getSQLState());
                assertTrue(refused.getMessage().contains("remaining connection slots are reserved for non-replication superuser connections"),
                        refused.getMessage());
                try (Connection s1 = server.connect(); Connection s2 = server.connect()) {
                    assertEquals("53300", assertThrows(SQLException.class, server::connect).getSQLState());
                }
            }
        }
    }

    @Test
    void pgCancelBackendAndPgTerminateBackendFollowPostgresRules() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true); Connection admin = server.connect();
                Connection victim = server.connect(); Statement vst = victim.createStatement()) {
            createSpin(admin);
            try (Statement st = admin.createStatement()) {
                st.execute("create role worker login");
            }
            int pid = pid(victim);
            // cancel: the statement stops with 57014, the session goes on
            CompletableFuture<SQLException> running = BackgroundQuery.failureOf(vst, "select spin() /* cancel-me */");
            waitFor(Duration.ofSeconds(10), () -> running(admin, "cancel-me"));
            assertEquals("t", one(admin, "select pg_cancel_backend(" + pid + ")"));
            SQLException canceled = running.get(10, TimeUnit.SECONDS);
            assertNotNull(canceled);
            assertEquals("57014", canceled.getSQLState());
            assertEquals("1", one(victim, "select 1"));
            // an ordinary role may not signal a superuser's session
            try (Connection worker = server.connectAs("worker", null); Connection worker2 = server.connectAs("worker", null)) {
                SQLException denied = assertThrows(SQLException.class, () -> one(worker, "select pg_cancel_backend(" + pid + ")"));
                assertEquals("42501", denied.getSQLState());
                // but its own role's sessions, yes
                assertEquals("t", one(worker, "select pg_cancel_backend(" + pid(worker2) + ")"));
                // H2's own session functions are refused to everybody
                assertEquals("42501", assertThrows(SQLException.class, () -> one(worker, "select cancel_session(1)")).getSQLState());
                assertEquals("42501", assertThrows(SQLException.class, () -> one(admin, "select abort_session(1)")).getSQLState());
            }
            // no such process: false, with PostgreSQL's warning
            try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery("select pg_cancel_backend(999999)")) {
                rs.next();
                assertFalse(rs.getBoolean(1));
                SQLWarning w = st.getWarnings();
                assertNotNull(w);
                assertTrue(w.getMessage().contains("is not a PostgreSQL backend process"), w.getMessage());
            }
            // terminate: the session ends with 57P01, the guest call stops
            CompletableFuture<SQLException> doomed = BackgroundQuery.failureOf(vst, "select spin() /* terminate-me */");
            waitFor(Duration.ofSeconds(10), () -> running(admin, "terminate-me"));
            assertEquals("t", one(admin, "select pg_terminate_backend(" + pid + ")"));
            assertNotNull(doomed.get(10, TimeUnit.SECONDS));
            waitFor(Duration.ofSeconds(5), () -> !running(admin, "terminate-me"));
            assertThrows(SQLException.class, () -> one(victim, "select 1"));
        }
    }

    private static int pid(Connection c) throws SQLException {
        return Integer.parseInt(one(c, "select pg_backend_pid()"));
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
