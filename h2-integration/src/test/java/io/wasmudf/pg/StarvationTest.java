package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No group of clients starves the others (issue 16): 200 clients that connect and idle (150 never
 * send a startup packet, 50 authenticate as an ordinary role and sit idle) plus 128 that start
 * {@code SELECT spin()} and hang up; meanwhile a new client (the superuser, whose reserved slots
 * nobody else can take) connects and runs SELECT 1 within 1 s, and once the spinners are gone no
 * guest call is left running. {@code -Dwasmudf.starvation.rounds=N} repeats the spinner wave.
 */
class StarvationTest {
    private static final int IDLE_SOCKETS = 150;
    private static final int IDLE_SESSIONS = 50;
    private static final int SPINNERS = 128;

    @Test
    void idleAndHungUpClientsDoNotLockOutANewClient() throws Exception {
        int rounds = Integer.getInteger("wasmudf.starvation.rounds", 1);
        List<AutoCloseable> held = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (PgTestServer server = new PgTestServer(null, true); Connection admin = server.connect()) {
            try (Statement st = admin.createStatement()) {
                st.execute(PgTestServer.createFunction("spin() RETURNS integer", "test-traps"));
                st.execute("create role crowd login");
            }
            int port = server.server.port();
            for (int i = 0; i < IDLE_SOCKETS; i++) {
                held.add(new Socket("127.0.0.1", port));
            }
            for (int i = 0; i < IDLE_SESSIONS; i++) {
                held.add(server.connectAs("crowd", null));
            }
            for (int round = 0; round < rounds; round++) {
                List<Future<?>> spinners = new ArrayList<>();
                for (int i = 0; i < SPINNERS; i++) {
                    spinners.add(pool.submit(() -> {
                        try (RawClient c = new RawClient(port)) {
                            List<RawClient.Msg> start = c.startup("crowd", "wasmudf");
                            if (start.get(start.size() - 1).type() != 'Z') {
                                return null; // refused (53300): fine, it was a crowd
                            }
                            c.send('Q', RawClient.cstr("select spin()"));
                            c.socket.setSoLinger(true, 0); // and hangs up at once

                        } catch (java.io.IOException refused) {
                            // a slot was not free: also what a full server answers
                        }
                        return null;
                    }));
                }
                Thread.sleep(20); // the wave is on
                long start = System.nanoTime();
                try (Connection fresh = server.connect(); Statement st = fresh.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1));
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 1000, "a new client needed " + ms + " ms to connect and run SELECT 1");
                for (Future<?> f : spinners) {
                    f.get(60, TimeUnit.SECONDS);
                }
                // every hung-up spinner's guest call stops, and its slot is free again
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (spinning(admin) > 0 || server.server.activeSessions() > IDLE_SESSIONS + 1) {
                    assertTrue(System.nanoTime() < deadline, "still spinning: " + spinning(admin) + ", sessions "
                            + server.server.activeSessions());
                    Thread.sleep(10);
                }
                System.out.println("StarvationTest round " + round + ": new client in " + ms + " ms");
            }
        } finally {
            pool.shutdownNow();
            for (AutoCloseable c : held) {
                c.close();
            }
        }
    }

    private static int spinning(Connection admin) throws SQLException {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(
                "select count(*) from information_schema.sessions where executing_statement like '%spin()%'"
                        + " and executing_statement not like '%information_schema%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
