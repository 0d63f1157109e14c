package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.count;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;

/** The driver and its wrappers pass everything that is not function DDL through to H2. */
class DriverTest {

    @Test
    void registeredForJdbcWasmUrlsOnly() throws SQLException {
        Driver d = DriverManager.getDriver("jdbc:wasm:mem:x");
        assertInstanceOf(WasmDriver.class, d);
        assertTrue(d.acceptsURL("jdbc:wasm:file:./data/app;MODE=PostgreSQL"));
        assertFalse(d.acceptsURL("jdbc:h2:mem:x"));
        assertNull(d.connect("jdbc:h2:mem:x", null));
        assertEquals("jdbc:h2:file:./data/app;MODE=PostgreSQL", WasmDriver.h2Url("jdbc:wasm:file:./data/app;MODE=PostgreSQL"));
    }

    @Test
    void urlSettingsReachH2() throws SQLException {
        try (Connection c = connect(memUrl() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE")) {
            assertEquals("PostgreSQL", one(c, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'"));
            exec(c, "CREATE TABLE Mixed(x INT)");
            assertEquals(1L, count(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'mixed'"));
        }
    }

    @Test
    void catalogIsCreatedOnConnect() throws SQLException {
        try (Connection c = connect(memUrl())) {
            assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.modules"));
            assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.functions"));
        }
    }

    @Test
    void statementsPassThrough() throws SQLException {
        try (Connection c = connect(memUrl()); Statement st = c.createStatement()) {
            assertFalse(st.execute("CREATE TABLE t(id INT PRIMARY KEY, s VARCHAR)"));
            assertEquals(0, st.getUpdateCount());
            assertEquals(2, st.executeUpdate("INSERT INTO t VALUES (1, 'a'), (2, 'b')"));
            assertTrue(st.execute("SELECT s FROM t ORDER BY id"));
            try (ResultSet rs = st.getResultSet()) {
                assertTrue(rs.next());
                assertEquals("a", rs.getString(1));
            }
            assertFalse(st.getMoreResults());
            assertEquals(-1, st.getUpdateCount());
            assertSame(c, st.getConnection(), "statements answer the wrapper, not H2's connection");
            assertEquals("42S02", assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM missing")).getSQLState());
        }
    }

    @Test
    void preparedAndCallableStatementsPassThrough() throws SQLException {
        try (Connection c = connect(memUrl())) {
            exec(c, "CREATE TABLE t(id INT, b VARBINARY)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                for (int i = 0; i < 5; i++) {
                    ps.setInt(1, i);
                    ps.setBytes(2, new byte[] {(byte) i});
                    ps.addBatch();
                }
                assertArrayEquals(new int[] {1, 1, 1, 1, 1}, ps.executeBatch());
                assertSame(c, ps.getConnection());
            }
            assertEquals(10L, ((Number) one(c, "SELECT SUM(id) FROM t WHERE id >= ?", 0)).longValue());
            try (CallableStatement cs = c.prepareCall("CALL ABS(?)")) {
                cs.setInt(1, -3);
                try (ResultSet rs = cs.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(3, rs.getInt(1));
                }
            }
        }
    }

    @Test
    void batchesOfPlainSqlPassThrough() throws SQLException {
        try (Connection c = connect(memUrl()); Statement st = c.createStatement()) {
            st.addBatch("CREATE TABLE b(x INT)");
            st.addBatch("INSERT INTO b VALUES (1)");
            st.addBatch("INSERT INTO b VALUES (2), (3)");
            assertArrayEquals(new int[] {0, 1, 2}, st.executeBatch());
            assertEquals(3L, count(c, "SELECT COUNT(*) FROM b"));
        }
    }

    @Test
    void transactionsPassThrough() throws SQLException {
        try (Connection c = connect(memUrl())) {
            exec(c, "CREATE TABLE t(x INT)");
            c.setAutoCommit(false);
            exec(c, "INSERT INTO t VALUES (1)");
            c.rollback();
            assertEquals(0L, count(c, "SELECT COUNT(*) FROM t"));
            exec(c, "INSERT INTO t VALUES (2)");
            c.commit();
            c.setAutoCommit(true);
            assertEquals(1L, count(c, "SELECT COUNT(*) FROM t"));
        }
    }

    @Test
    void unwrapReachesH2() throws SQLException {
        try (Connection c = connect(memUrl())) {
            assertTrue(c.isWrapperFor(JdbcConnection.class));
            assertInstanceOf(JdbcConnection.class, c.unwrap(JdbcConnection.class));
            assertSame(c, c.unwrap(Connection.class));
            assertEquals(c, c);
            assertTrue(c.isValid(1));
        }
    }

    @Test
    void dataSourceConnects() throws SQLException {
        WasmDataSource ds = new WasmDataSource(memUrl());
        try (Connection c = ds.getConnection()) {
            assertEquals(1, ((Number) one(c, "SELECT 1")).intValue());
            assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.functions"));
        }
        WasmDataSource h2Style = new WasmDataSource();
        h2Style.setURL("jdbc:h2:mem:plain");
        assertEquals("jdbc:wasm:mem:plain", h2Style.getURL());
        assertThrows(SQLException.class, () -> new WasmDataSource().getConnection());
    }
}
