package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.h2.BackgroundQuery;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End-to-end tests through the real PostgreSQL JDBC driver. */
class PgJdbcTest {
    private static PgTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** prepareThreshold=-1 makes pgJDBC use named statements and binary results from the first run. */
    private static Connection connect(boolean binary) throws SQLException {
        Properties p = new Properties();
        if (binary) {
            p.setProperty("prepareThreshold", "-1");
        } else {
            p.setProperty("binaryTransfer", "false");
        }
        return server.connect(p);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyAbiTypeRoundTrips(boolean binary) throws Exception {
        String table = "types_" + (binary ? "bin" : "txt");
        try (Connection c = connect(binary); Statement st = c.createStatement()) {
            st.execute("create table " + table + " (i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, b boolean,"
                    + " t text, v varchar(10), by bytea, n numeric(12,3), d date, ts timestamp)");
            try (PreparedStatement ps = c.prepareStatement("insert into " + table + " values (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setShort(1, (short) -7);
                ps.setInt(2, Integer.MIN_VALUE);
                ps.setLong(3, Long.MAX_VALUE);
                ps.setFloat(4, 1.5f);
                ps.setDouble(5, -0.1);
                ps.setBoolean(6, true);
                ps.setString(7, "héllo ✓");
                ps.setString(8, "short");
                ps.setBytes(9, new byte[] {0, 1, (byte) 0xFF, 0x61});
                ps.setBigDecimal(10, new BigDecimal("-12345.678"));
                ps.setObject(11, LocalDate.of(1999, 12, 31));
                ps.setObject(12, LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123456000));
                assertEquals(1, ps.executeUpdate());
                for (int i = 1; i <= 12; i++) {
                    ps.setNull(i, java.sql.Types.NULL);
                }
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("select * from " + table + " order by i4 nulls last")) {
                ResultSet rs = ps.executeQuery();
                assertTrue(rs.next());
                assertEquals(-7, rs.getShort(1));
                assertEquals(Integer.MIN_VALUE, rs.getInt(2));
                assertEquals(Long.MAX_VALUE, rs.getLong(3));
                assertEquals(1.5f, rs.getFloat(4));
                assertEquals(-0.1, rs.getDouble(5));
                assertTrue(rs.getBoolean(6));
                assertEquals("héllo ✓", rs.getString(7));
                assertEquals("short", rs.getString(8));
                assertArrayEquals(new byte[] {0, 1, (byte) 0xFF, 0x61}, rs.getBytes(9));
                assertEquals(new BigDecimal("-12345.678"), rs.getBigDecimal(10));
                assertEquals(LocalDate.of(1999, 12, 31), rs.getObject(11, LocalDate.class));
                assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123456000), rs.getObject(12, LocalDateTime.class));
                var md = rs.getMetaData();
                String[] expected = {"int2", "int4", "int8", "float4", "float8", "bool", "text", "varchar", "bytea", "numeric", "date", "timestamp"};
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], md.getColumnTypeName(i + 1), "column " + (i + 1));
                }
                assertTrue(rs.next());
                for (int i = 1; i <= 12; i++) {
                    assertNull(rs.getObject(i), "column " + i);
                }
                assertFalse(rs.next());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void legacyJdbcDateTimeSetters(boolean binary) throws Exception {
        String table = "legacy_" + (binary ? "bin" : "txt");
        try (Connection c = connect(binary); Statement st = c.createStatement()) {
            st.execute("create table " + table + " (d date, ts timestamp, tz timestamp with time zone)");
            java.sql.Timestamp ts = java.sql.Timestamp.valueOf("2024-05-06 07:08:09.25");
            try (PreparedStatement ps = c.prepareStatement("insert into " + table + " values (?, ?, ?)")) {
                ps.setDate(1, java.sql.Date.valueOf("2023-01-02"));
                ps.setTimestamp(2, ts);
                ps.setTimestamp(3, ts);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select d, ts, tz from " + table); ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(java.sql.Date.valueOf("2023-01-02"), rs.getDate(1));
                assertEquals(ts, rs.getTimestamp(2));
                assertEquals(ts.getTime(), rs.getTimestamp(3).getTime());
            }
        }
    }

    @Test
    void simpleQueryWithSeveralStatements() throws Exception {
        try (Connection c = connect(false); Statement st = c.createStatement()) {
            boolean isQuery = st.execute("create table multi(x int); insert into multi values (1); insert into multi values (2);"
                    + " select sum(x) from multi");
            List<String> results = new ArrayList<>();
            while (true) {
                if (isQuery) {
                    try (ResultSet rs = st.getResultSet()) {
                        rs.next();
                        results.add("rows:" + rs.getInt(1));
                    }
                } else if (st.getUpdateCount() >= 0) {
                    results.add("count:" + st.getUpdateCount());
                } else {
                    break;
                }
                isQuery = st.getMoreResults();
            }
            assertEquals(List.of("count:0", "count:1", "count:1", "rows:3"), results);
        }
    }

    @Test
    void errorsCarryPostgresSqlStates() throws Exception {
        try (Connection c = connect(false); Statement st = c.createStatement()) {
            st.execute("create table uniq(id int primary key)");
            st.execute("insert into uniq values (1)");
            assertEquals("42601", state(() -> st.execute("selec 1")));
            assertEquals("42P01", state(() -> st.execute("select * from no_such_table")));
            assertEquals("42703", state(() -> st.execute("select no_such_column from uniq")));
            assertEquals("23505", state(() -> st.execute("insert into uniq values (1)")));
            assertEquals("22012", state(() -> st.execute("select 1/0")));
            assertEquals("42883", state(() -> st.execute("select no_such_function(1)")));
            // the session still works after errors
            try (ResultSet rs = st.executeQuery("select count(*) from uniq")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void failedTransactionRejectsCommandsUntilRollback() throws Exception {
        try (Connection c = connect(false); Statement st = c.createStatement()) {
            st.execute("create table tx(x int)");
            c.setAutoCommit(false);
            st.execute("insert into tx values (1)");
            assertEquals("22012", state(() -> st.execute("select 1/0")));
            assertEquals("25P02", state(() -> st.execute("insert into tx values (2)")));
            c.rollback();
            c.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("select count(*) from tx")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void commitAndRollbackAreVisibleToOtherSessions() throws Exception {
        try (Connection a = connect(false); Connection b = connect(true); Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("create table vis(x int)");
            a.setAutoCommit(false);
            sa.execute("insert into vis values (1)");
            a.rollback();
            sa.execute("insert into vis values (2)");
            a.commit();
            try (ResultSet rs = sb.executeQuery("select x from vis")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void fetchSizeUsesPortalSuspension() throws Exception {
        try (Connection c = connect(true); Statement st = c.createStatement()) {
            st.execute("create table many as select \"X\" as x from system_range(1, 1000)");
            c.setAutoCommit(false); // pgJDBC only uses row-limited Execute inside a transaction
            try (PreparedStatement ps = c.prepareStatement("select x from many order by x")) {
                ps.setFetchSize(7);
                long sum = 0;
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sum += rs.getLong(1);
                        n++;
                    }
                }
                assertEquals(1000, n);
                assertEquals(500500, sum);
            }
            c.commit();
        }
    }

    @Test
    void batchInsert() throws Exception {
        try (Connection c = connect(false); Statement st = c.createStatement()) {
            st.execute("create table batch(x int, s text)");
            try (PreparedStatement ps = c.prepareStatement("insert into batch values (?, ?)")) {
                for (int i = 0; i < 50; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "r" + i);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                assertEquals(50, counts.length);
            }
            try (ResultSet rs = st.executeQuery("select count(*), max(s) from batch")) {
                rs.next();
                assertEquals(50, rs.getInt(1));
                assertEquals("r9", rs.getString(2));
            }
        }
    }

    @Test
    void cancelStopsTheRunningStatement() throws Exception {
        try (Connection c = connect(false); Statement st = c.createStatement()) {
            SQLException e = BackgroundQuery.cancelUntilDone(st,
                    BackgroundQuery.failureOf(st, "select count(*) from system_range(1, 100000) a, system_range(1, 100000) b"));
            assertEquals("57014", e == null ? null : e.getSQLState());
            try (ResultSet rs = st.executeQuery("select 42")) {
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
        }
    }

    @Test
    void statementTimeoutCancelsSlowQueries() throws Exception {
        try (Connection c = connect(false); Statement st = c.createStatement()) {
            st.execute("set statement_timeout = '500ms'");
            SQLException e = assertThrows(SQLException.class,
                    () -> st.executeQuery("select count(*) from system_range(1, 100000) a, system_range(1, 100000) b"));
            assertEquals("57014", e.getSQLState());
            assertTrue(e.getMessage().contains("canceling statement due to statement timeout"), e.getMessage());
            st.execute("set statement_timeout = 0");
            try (ResultSet rs = st.executeQuery("select 1")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void sixtyFourConcurrentSessionsKeepTheirOwnSettings() throws Exception {
        int n = 64;
        ExecutorService ex = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch allConnected = new CountDownLatch(n);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                results.add(ex.submit(() -> {
                    try (Connection c = connect(id % 2 == 0); Statement st = c.createStatement()) {
                        st.execute("set application_name = 'client" + id + "'");
                        allConnected.countDown();
                        assertTrue(allConnected.await(30, TimeUnit.SECONDS));
                        try (ResultSet rs = st.executeQuery("show application_name")) {
                            rs.next();
                            return rs.getString(1);
                        }
                    }
                }));
            }
            for (int i = 0; i < n; i++) {
                assertEquals("client" + i, results.get(i).get(60, TimeUnit.SECONDS));
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void wrongDatabaseAndRoleAreRefused() {
        Properties p = new Properties();
        p.setProperty("user", "wasmudf");
        String url = "jdbc:postgresql://127.0.0.1:" + server.server.port() + "/other";
        SQLException e = assertThrows(SQLException.class, () -> java.sql.DriverManager.getConnection(url, p).close());
        assertEquals("3D000", e.getSQLState());
        Properties q = new Properties();
        q.setProperty("user", "nobody");
        e = assertThrows(SQLException.class, () -> java.sql.DriverManager.getConnection(server.url(), q).close());
        assertEquals("28000", e.getSQLState());
    }

    @Test
    void startupOptionsActLikeSet() throws Exception {
        Properties p = new Properties();
        p.setProperty("options", "-c statement_timeout=5s -c wasmudf.tag=from_options");
        try (Connection c = server.connect(p); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("show statement_timeout")) {
                rs.next();
                assertEquals("5s", rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("show wasmudf.tag")) {
                rs.next();
                assertEquals("from_options", rs.getString(1));
            }
        }
    }

    @Test
    void sessionSettingsOfH2PassDatabaseWideOnesAreRefusedUnknownOnesFailAsInPostgres() throws Exception {
        try (Connection c = connect(false); Statement st = c.createStatement()) {
            st.execute("set lock_timeout = '2s'"); // a PostgreSQL parameter: kept by the server
            st.execute("SET LAZY_QUERY_EXECUTION TRUE"); // an H2 setting of the session: runs on the database
            // an H2 setting of the whole database: refused, in PostgreSQL's words, and the session goes on
            SQLException denied = assertThrows(SQLException.class, () -> st.execute("SET IGNORECASE TRUE"));
            assertEquals("42501", denied.getSQLState());
            assertEquals("ERROR: permission denied to set parameter \"ignorecase\"", denied.getMessage());
            SQLException unknown = assertThrows(SQLException.class, () -> st.execute("set some_unknown_parameter to 'x'"));
            assertEquals("42704", unknown.getSQLState());
            st.execute("set my.custom = 'x'"); // dotted names are custom parameters, as in PostgreSQL
            try (ResultSet rs = st.executeQuery("show my.custom")) {
                rs.next();
                assertEquals("x", rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("show lock_timeout")) {
                rs.next();
                assertEquals("2s", rs.getString(1));
            }
        }
    }

    @Test
    void settingsAndShow() throws Exception {
        try (Connection c = connect(false); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("show server_version")) {
                rs.next();
                assertEquals("15.0", rs.getString(1));
            }
            assertEquals("42704", state(() -> st.executeQuery("show no_such_setting")));
            assertEquals(15, c.getMetaData().getDatabaseMajorVersion());
        }
    }

    interface Action {
        Object run() throws Exception;
    }

    static String state(Action a) {
        try {
            a.run();
        } catch (SQLException e) {
            return e.getSQLState();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error raised");
    }
}
