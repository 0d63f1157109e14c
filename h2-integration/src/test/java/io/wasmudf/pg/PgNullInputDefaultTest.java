package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLWarning;

/** Issue 18 item 5 over the wire server: the implicit-STRICT NOTICE and the 42P13 HINT as pgJDBC receives them. */
class PgNullInputDefaultTest {
    private static final String WAT = "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
            + " (func (export \"answer\") (result i32) i32.const 42))";
    private static PgTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer(null, true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void implicitStrictIsANotice() throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("create function nd_add(integer, integer) returns integer language wasm as '" + WAT + "', 'add'");
            SQLWarning w = st.getWarnings();
            assertNotNull(w, "a NOTICE");
            PSQLWarning pw = (PSQLWarning) w;
            assertEquals("NOTICE", pw.getServerErrorMessage().getSeverity());
            assertEquals("00000", pw.getSQLState());
            assertTrue(pw.getServerErrorMessage().getMessage().startsWith("function nd_add is created as STRICT"), pw.getMessage());
            try (ResultSet rs = st.executeQuery("select nd_add(40, 2), nd_add(null, 2)")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
                rs.getInt(2);
                assertTrue(rs.wasNull());
            }
            // the extended protocol (a PreparedStatement) gets it too
            try (PreparedStatement ps = c.prepareStatement("create function nd_answer() returns integer language wasm as '" + WAT + "', 'answer'")) {
                ps.execute();
                assertNotNull(ps.getWarnings());
            }
            try (ResultSet rs = st.executeQuery("select nd_answer()")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1), "a zero-argument export returning 42 returns 42");
            }
        }
    }

    @Test
    void signatureMismatchCarriesAHint() throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            PSQLException e = assertThrows(PSQLException.class, () -> st.execute(
                    "create function nd_bad(integer, integer) returns integer language wasm called on null input as '" + WAT + "', 'add'"));
            assertEquals("42P13", e.getSQLState());
            assertTrue(e.getServerErrorMessage().getMessage().startsWith("function nd_bad: export \"add\" has signature (i32, i32) -> i32"),
                    e.getServerErrorMessage().getMessage());
            assertTrue(e.getServerErrorMessage().getHint().startsWith("The export takes plain values, which cannot be NULL: write STRICT"),
                    e.getServerErrorMessage().getHint());
            try (ResultSet rs = st.executeQuery("select 1")) {
                assertTrue(rs.next(), "the session goes on");
            }
            // a call no function matches: 42883 with PostgreSQL's HINT
            PSQLException none = assertThrows(PSQLException.class, () -> st.executeQuery("select nd_missing(1)"));
            assertEquals("42883", none.getSQLState());
            assertEquals("No function matches the given name and argument types. You might need to add explicit type casts.",
                    none.getServerErrorMessage().getHint());
        }
    }

    /** A changed result type under OR REPLACE: the same SQLSTATE, message and HINT as PostgreSQL 15 gives for a SQL function. */
    @Test
    void changedReturnTypeMatchesPostgres() throws Exception {
        Connection real = RealPostgres.connect("PgNullInputDefaultTest");
        try (real; Connection mine = server.connect(); Statement r = real.createStatement(); Statement m = mine.createStatement()) {
            r.execute("DROP FUNCTION IF EXISTS nd_ret(integer, integer)");
            r.execute("CREATE FUNCTION nd_ret(integer, integer) RETURNS integer LANGUAGE sql STRICT AS 'SELECT $1 + $2'");
            m.execute("CREATE FUNCTION nd_ret(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'add'");
            PSQLException expected = assertThrows(PSQLException.class,
                    () -> r.execute("CREATE OR REPLACE FUNCTION nd_ret(integer, integer) RETURNS bigint LANGUAGE sql STRICT AS 'SELECT 1::bigint'"));
            PSQLException actual = assertThrows(PSQLException.class,
                    () -> m.execute("CREATE OR REPLACE FUNCTION nd_ret(integer, integer) RETURNS bigint LANGUAGE wasm STRICT AS '" + WAT + "', 'add'"));
            assertEquals(expected.getSQLState(), actual.getSQLState());
            assertEquals(expected.getServerErrorMessage().getMessage(), actual.getServerErrorMessage().getMessage());
            assertEquals(expected.getServerErrorMessage().getHint(), actual.getServerErrorMessage().getHint());
            // the same signature again without OR REPLACE
            expected = assertThrows(PSQLException.class,
                    () -> r.execute("CREATE FUNCTION nd_ret(a integer, b integer) RETURNS integer LANGUAGE sql STRICT AS 'SELECT 1'"));
            actual = assertThrows(PSQLException.class,
                    () -> m.execute("CREATE FUNCTION nd_ret(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'add'"));
            assertEquals(expected.getSQLState(), actual.getSQLState());
            assertEquals(expected.getServerErrorMessage().getMessage(), actual.getServerErrorMessage().getMessage());
            r.execute("DROP FUNCTION nd_ret(integer, integer)");
        }
    }
}
