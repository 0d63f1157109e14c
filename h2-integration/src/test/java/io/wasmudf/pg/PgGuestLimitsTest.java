package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.h2.BackgroundQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** statement_timeout and CancelRequest, through pgJDBC and the wire server, stop a wasm function stuck in a loop. */
class PgGuestLimitsTest {

    private static void createSpin(Statement st) throws Exception {
        st.execute(PgTestServer.createFunction("spin() RETURNS integer", "test-traps"));
        st.execute(PgTestServer.createFunction("div_by(a integer, b integer) RETURNS integer", "test-traps"));
    }

    private static int divBy(Statement st, int a, int b) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT div_by(" + a + ", " + b + ")")) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }

    @Test
    void statementTimeoutStopsALoopingFunction() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true); Connection c = server.connect(); Statement st = c.createStatement()) {
            createSpin(st);
            st.execute("SET statement_timeout = '100ms'");
            SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(SQLException.class, () -> st.executeQuery("SELECT spin()")));
            // H2 got the timeout in milliseconds, not rounded up to JDBC's whole seconds
            try (ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_TIMEOUT'")) {
                assertTrue(rs.next());
                assertEquals("100", rs.getString(1));
            }
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("statement timeout"), e.getMessage());
            assertTrue(e.getMessage().contains("function spin"), e.getMessage());
            st.execute("SET statement_timeout = 0");
            assertEquals(4, divBy(st, 8, 2));
        }
    }

    @Test
    void limitSqlStatesReachTheClient() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true); Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute(PgTestServer.createFunction("recurse(depth integer) RETURNS integer", "test-traps"));
            st.execute(PgTestServer.createFunction("div_by(a integer, b integer) RETURNS integer", "test-traps"));
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT recurse(100000000)"));
            assertEquals("54001", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("function recurse: call stack exhausted"), e.getMessage());
            e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT div_by(1, 0)"));
            assertEquals("38000", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("function div_by: wasm trap: integer divide by zero"), e.getMessage());
            assertEquals(5, divBy(st, 10, 2));
        }
    }

    @Test
    void cancelRequestStopsALoopingFunction() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true); Connection c = server.connect(); Statement st = c.createStatement()) {
            createSpin(st);
            CompletableFuture<SQLException> running = BackgroundQuery.failureOf(st, "SELECT spin()");
            // pgJDBC's cancel sends a CancelRequest on a new socket
            SQLException e = BackgroundQuery.cancelUntilDone(st, running);
            assertNotNull(e, "the looping statement was never cancelled");
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("function spin"), e.getMessage());
            assertEquals(5, divBy(st, 10, 2));
        }
    }
}
