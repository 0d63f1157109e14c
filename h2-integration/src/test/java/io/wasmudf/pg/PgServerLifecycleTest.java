package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Authentication, pooling, connection limits, configuration and shutdown. */
class PgServerLifecycleTest {
    @Test
    void scramSha256AcceptsTheRightPasswordOnly() throws Exception {
        try (PgTestServer s = new PgTestServer("s3cret ✓")) {
            Properties ok = new Properties();
            ok.setProperty("password", "s3cret ✓");
            try (Connection c = s.connect(ok); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 5")) {
                rs.next();
                assertEquals(5, rs.getInt(1));
            }
            Properties wrong = new Properties();
            wrong.setProperty("password", "guess");
            SQLException e = assertThrows(SQLException.class, () -> s.connect(wrong).close());
            assertEquals("28P01", e.getSQLState());
            Properties otherUser = new Properties();
            otherUser.setProperty("user", "mallory");
            otherUser.setProperty("password", "s3cret ✓");
            e = assertThrows(SQLException.class, () -> DriverManager.getConnection(s.url(), otherUser).close());
            assertEquals("28P01", e.getSQLState());
        }
    }

    @Test
    void psqlAuthenticatesWithScram() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "psql is not installed (Debian package postgresql-client)");
        try (PgTestServer s = new PgTestServer("pw")) {
            assertEquals("x\n1\n(1 row)\n", PsqlRunner.run("127.0.0.1", s.server.port(), "wasmudf", "wasmudf", "pw", "select 1 as x;\n"));
            String denied = PsqlRunner.run("127.0.0.1", s.server.port(), "wasmudf", "wasmudf", "bad", "select 1;\n");
            assertTrue(denied.contains("password authentication failed for user \"wasmudf\""), denied);
        }
    }

    @Test
    void listeningBeyondLoopbackRequiresAPassword() {
        PgServer s = PgServer.builder().connectionFactory(() -> null).listen("0.0.0.0").port(0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::start);
        assertTrue(e.getMessage().contains("requires a password"), e.getMessage());
    }

    @Test
    void hikariPoolSharesSessionsAcrossThreads() throws Exception {
        try (PgTestServer s = new PgTestServer(null, true)) {
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute(PgTestServer.createFunction("add_i32(a integer, b integer) RETURNS integer", "math"));
            }
            HikariConfig cfg = new HikariConfig();
            cfg.setJdbcUrl(s.url());
            cfg.setUsername("wasmudf");
            cfg.setMaximumPoolSize(8);
            cfg.setConnectionTimeout(30_000);
            try (HikariDataSource ds = new HikariDataSource(cfg)) {
                ExecutorService ex = Executors.newFixedThreadPool(32);
                try {
                    List<Future<Long>> results = new ArrayList<>();
                    for (int t = 0; t < 32; t++) {
                        long k = t + 1;
                        results.add(ex.submit(() -> {
                            long sum = 0;
                            for (int i = 0; i < 20; i++) {
                                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select add_i32(?, ?)")) {
                                    ps.setInt(1, (int) k);
                                    ps.setInt(2, i);
                                    try (ResultSet rs = ps.executeQuery()) {
                                        rs.next();
                                        sum += rs.getLong(1);
                                    }
                                }
                            }
                            return sum;
                        }));
                    }
                    for (int t = 0; t < 32; t++) {
                        assertEquals(20L * (t + 1) + 190, results.get(t).get(60, TimeUnit.SECONDS));
                    }
                } finally {
                    ex.shutdownNow();
                }
                assertTrue(s.server.activeConnections() <= 8, "pool size exceeded: " + s.server.activeConnections());
            }
        }
    }

    @Test
    void connectionsBeyondTheLimitGetTooManyClients() throws Exception {
        String url = "jdbc:h2:mem:limit" + System.nanoTime();
        try (Connection keep = DriverManager.getConnection(url)) {
            PgServer server = PgServer.builder().connectionFactory(() -> DriverManager.getConnection(url)).port(0).maxConnections(2)
                    .superuserReservedConnections(0).build().start();
            try {
                Properties p = new Properties();
                p.setProperty("user", "wasmudf");
                String pgUrl = "jdbc:postgresql://127.0.0.1:" + server.port() + "/wasmudf";
                try (Connection a = DriverManager.getConnection(pgUrl, p); Connection b = DriverManager.getConnection(pgUrl, p)) {
                    SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(pgUrl, p).close());
                    assertEquals("53300", refused.getSQLState());
                    b.close();
                    // the slot is released when a session ends (asynchronously on the server side)
                    Connection c = null;
                    for (int i = 0; i < 100 && c == null; i++) {
                        try {
                            c = DriverManager.getConnection(pgUrl, p);
                        } catch (SQLException e) {
                            Thread.sleep(50);
                        }
                    }
                    assertTrue(c != null, "no slot after a session ended");
                    c.close();
                    try (Statement st = a.createStatement(); ResultSet rs = st.executeQuery("select 3")) {
                        rs.next();
                        assertEquals(3, rs.getInt(1));
                    }
                }
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void stopEndsSessionsKeepingCommittedWorkAndRollingBackTheRest() throws Exception {
        String url = "jdbc:h2:mem:stop" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (Connection h2 = DriverManager.getConnection(url)) {
            PgServer server = PgServer.builder().connectionFactory(() -> DriverManager.getConnection(url)).port(0).build().start();
            Properties p = new Properties();
            p.setProperty("user", "wasmudf");
            String pgUrl = "jdbc:postgresql://127.0.0.1:" + server.port() + "/wasmudf";
            try (Connection a = DriverManager.getConnection(pgUrl, p); Connection b = DriverManager.getConnection(pgUrl, p)) {
                try (Statement st = a.createStatement()) {
                    st.execute("create table kept(x int)");
                    st.execute("insert into kept values (1)");
                }
                b.setAutoCommit(false);
                try (Statement st = b.createStatement()) {
                    st.execute("insert into kept values (2)");
                }
                server.stop();
                assertThrows(SQLException.class, () -> {
                    try (Statement st = a.createStatement()) {
                        st.execute("select 1");
                    }
                });
            }
            try (Statement st = h2.createStatement(); ResultSet rs = st.executeQuery("select x from kept")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
                assertTrue(!rs.next(), "uncommitted row survived shutdown");
            }
            assertThrows(Exception.class, () -> DriverManager.getConnection(pgUrl, p).close());
        }
    }

    @Test
    void serveArgumentsParse() {
        ServeMain.Options o = ServeMain.parse(new String[] {"--db", "/tmp/x", "--port", "6000", "--listen", "0.0.0.0", "--name", "prod",
            "--password=pw"}, null);
        assertEquals(new ServeMain.Options("/tmp/x", 6000, "0.0.0.0", "prod", "wasmudf", "pw", null, null, ServeMain.Governance.DEFAULT,
                true, true, false), o);
        ServeMain.Options d = ServeMain.parse(new String[] {"--db", "/tmp/x", "--synchronous-commit", "off", "--fsync"}, null);
        assertTrue(d.url().endsWith(";MODE=PostgreSQL;WASM_SYNCHRONOUS_COMMIT=OFF;WASM_FSYNC=ON"), d.url());
        assertTrue(o.passwordOnCommandLine(), "the argument form is the one that warns");
        assertEquals("fromenv", ServeMain.parse(new String[0], "fromenv").password());
        assertEquals(5433, ServeMain.parse(new String[0], null).port());
        assertThrows(IllegalArgumentException.class, () -> ServeMain.parse(new String[] {"--port", "99999"}, null));
        assertThrows(IllegalArgumentException.class, () -> ServeMain.parse(new String[] {"--bogus", "1"}, null));
        assertThrows(IllegalArgumentException.class, () -> ServeMain.parse(new String[] {"--db"}, null));
        ServeMain.Options g = ServeMain.parse(new String[] {"--max-connections", "20", "--superuser-reserved-connections", "2",
            "--authentication-timeout", "5s", "--auth-failure-delay", "250ms", "--allow-host-access"}, null);
        assertEquals(new ServeMain.Governance(20, 2, java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(250), true), g.governance());
        assertThrows(IllegalArgumentException.class, () -> ServeMain.parse(new String[] {"--max-connections", "3",
            "--superuser-reserved-connections", "3"}, null));
        assertTrue(ServeMain.jdbcUrl("data/w.mv.db").matches("jdbc:wasm:file:/.*/data/w;MODE=PostgreSQL"), ServeMain.jdbcUrl("data/w.mv.db"));
    }
}
