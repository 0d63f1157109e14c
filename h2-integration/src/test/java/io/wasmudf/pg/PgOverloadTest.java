package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.h2.OverloadTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * Issue 18 item 4 over the wire server, with PostgreSQL 15 as the oracle: SQL functions there of
 * the same signatures computing what the wasm exports compute (OverloadTest.WAT) give the same
 * results, the same errors (SQLSTATE, message, HINT) and the same psql \df listing.
 */
class PgOverloadTest {
    private static final String WAT = OverloadTest.wat();
    private static PgTestServer server;
    private static final String F = "ovl_" + ProcessHandle.current().pid();

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

    /** The same functions on both servers: wasm exports here, SQL bodies there. */
    private static void create(Statement mine, Statement real) throws SQLException {
        String[][] fns = {
            {"(integer)", "integer", "ti", "SELECT $1 * 10 + 1"},
            {"(text)", "integer", "tt", "SELECT length($1) * 10 + 3"},
            {"(integer, integer)", "integer", "tii", "SELECT $1 + $2"},
        };
        for (String[] f : fns) {
            mine.execute("CREATE FUNCTION " + F + f[0] + " RETURNS " + f[1] + " LANGUAGE wasm IMMUTABLE STRICT AS '" + WAT + "', '" + f[2] + "'");
            real.execute("CREATE FUNCTION " + F + f[0] + " RETURNS " + f[1] + " LANGUAGE sql IMMUTABLE STRICT AS '" + f[3] + "'");
        }
        for (String[] g : new String[][] {{"integer", "ti", "SELECT $1 * 10 + 1"}, {"bigint", "tb", "SELECT ($1 * 10 + 2)::integer"}}) {
            mine.execute("CREATE FUNCTION " + F + "_g(" + g[0] + ") RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', '" + g[1] + "'");
            real.execute("CREATE FUNCTION " + F + "_g(" + g[0] + ") RETURNS integer LANGUAGE sql STRICT AS '" + g[2] + "'");
        }
    }

    @Test
    void callsErrorsAndDdlMatchPostgres() throws Exception {
        Connection realConn = RealPostgres.connect("PgOverloadTest");
        try (realConn; Connection mineConn = server.connect(); Statement real = realConn.createStatement(); Statement mine = mineConn.createStatement()) {
            real.execute("DROP FUNCTION IF EXISTS " + F + "(integer), " + F + "(text), " + F + "(integer, integer), " + F + "_g(integer), "
                    + F + "_g(bigint)");
            create(mine, real);
            for (String call : List.of(F + "(1)", F + "('abc')", F + "(2, 3)", F + "(NULL)", F + "(NULL::integer)", F + "_g(1)",
                    F + "_g(30::bigint)", F + "(1), " + F + "('x'), " + F + "(4, 5)")) {
                assertEquals(rows(real, "SELECT " + call), rows(mine, "SELECT " + call), call);
            }
            try (PreparedStatement r = realConn.prepareStatement("SELECT " + F + "(?)"); PreparedStatement m = mineConn.prepareStatement("SELECT " + F + "(?)")) {
                r.setInt(1, 7);
                m.setInt(1, 7);
                assertEquals(rows(r), rows(m), "an integer parameter");
                r.setString(1, "seven");
                m.setString(1, "seven");
                assertEquals(rows(r), rows(m), "a text parameter");
            }
            for (String bad : List.of("SELECT " + F + "(true)", "SELECT " + F + "(1.5)", "SELECT " + F + "(2::bigint)", "SELECT " + F + "_g(2::smallint)",
                    "SELECT " + F + "_g(1.5)", "DROP FUNCTION " + F, "DROP FUNCTION " + F + "(boolean)", "COMMENT ON FUNCTION " + F + " IS 'x'",
                    "ALTER FUNCTION " + F + " STABLE", "GRANT EXECUTE ON FUNCTION " + F + " TO PUBLIC",
                    "CREATE FUNCTION " + F + "(text) RETURNS integer LANGUAGE %s STRICT AS %s",
                    "CREATE OR REPLACE FUNCTION " + F + "(text) RETURNS bigint LANGUAGE %s STRICT AS %s")) {
                PSQLException expected = assertThrows(PSQLException.class, () -> real.execute(String.format(bad, "sql", "'SELECT 1'")), bad);
                PSQLException actual = assertThrows(PSQLException.class, () -> mine.execute(String.format(bad, "wasm", "'" + WAT + "', 'tt'")), bad);
                assertEquals(expected.getSQLState(), actual.getSQLState(), bad + ": " + actual.getMessage());
                assertEquals(expected.getServerErrorMessage().getMessage(), actual.getServerErrorMessage().getMessage(), bad);
                if (!bad.startsWith("CREATE FUNCTION")) { // 42723 carries a HINT of ours there
                    assertEquals(expected.getServerErrorMessage().getHint(), actual.getServerErrorMessage().getHint(), bad);
                }
                assertEquals(rows(real, "SELECT 1"), rows(mine, "SELECT 1"), "the session goes on after " + bad);
            }
            // DDL with an argument list acts on that overload only
            for (String ddl : List.of("COMMENT ON FUNCTION " + F + "(text) IS 'len'", "ALTER FUNCTION " + F + "(integer) STABLE",
                    "REVOKE EXECUTE ON FUNCTION " + F + "(text) FROM PUBLIC", "GRANT EXECUTE ON FUNCTION " + F + "(text) TO PUBLIC",
                    "DROP FUNCTION " + F + "(integer, integer)")) {
                real.execute(ddl);
                mine.execute(ddl);
            }
            String volatility = "SELECT proname, pronargs, provolatile, proisstrict FROM pg_catalog.pg_proc WHERE proname = '" + F + "'";
            assertEquals(sorted(rows(real, volatility)), sorted(rows(mine, volatility)), "one pg_proc row per overload");
            assertEquals(rows(real, "SELECT " + F + "(5), " + F + "('ab')"), rows(mine, "SELECT " + F + "(5), " + F + "('ab')"));
            PSQLException gone = assertThrows(PSQLException.class, () -> mine.execute("SELECT " + F + "(2, 3)"));
            assertEquals("42883", gone.getSQLState());
        } finally {
            try (Connection r = RealPostgres.connect("PgOverloadTest"); Statement st = r.createStatement()) {
                st.execute("DROP FUNCTION IF EXISTS " + F + "(integer), " + F + "(text), " + F + "(integer, integer), " + F + "_g(integer), "
                        + F + "_g(bigint)");
            }
        }
    }

    /** Overloads of one arity with different result types: each row's value keeps its own type. */
    @Test
    void differentResultTypes() throws Exception {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION " + F + "_r(integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'ti'");
            st.execute("CREATE FUNCTION " + F + "_r(text) RETURNS bigint LANGUAGE wasm STRICT AS '" + WAT + "', 'tt64'");
            assertEquals("21|1000000000002", rows(st, "SELECT " + F + "_r(2), " + F + "_r('ab')"));
            assertEquals("", rows(st, "SELECT " + F + "_r(NULL) WHERE " + F + "_r(NULL) IS NOT NULL"));
        }
    }

    /** psql's \df lists each overload, and \sf f(text) shows the one named. */
    @Test
    void psqlListsEachOverload() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "PgOverloadTest: psql is not installed");
        RealPostgres.Target pg = RealPostgres.find();
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        String user = pg.props().getProperty("user");
        String pw = System.getenv("PGPASSWORD");
        String fn = F + "_df";
        String setup = "create function " + fn + "(integer) returns integer language %s immutable strict as %s;\n"
                + "create function " + fn + "(text) returns integer language %s immutable strict as %s;\n"
                + "create function " + fn + "(a integer, b integer) returns integer language %s immutable strict as %s;\n";
        String created = PsqlRunner.run(host, port, user, db, pw, String.format(setup, "sql", "'select 1'", "sql", "'select 2'", "sql", "'select 3'"));
        io.wasmudf.h2.Required.resource(created.contains("CREATE FUNCTION"), "no PostgreSQL to compare with: " + created);
        try {
            String ours = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, String.format(setup, "wasm",
                    "'" + WAT + "', 'ti'", "wasm", "'" + WAT + "', 'tt'", "wasm", "'" + WAT + "', 'tii'"));
            assertEquals("CREATE FUNCTION\nCREATE FUNCTION\nCREATE FUNCTION\n", ours);
            String show = "\\df " + fn + "\n\\sf " + fn + "\n";
            String expected = PsqlRunner.run(host, port, user, db, pw, show);
            String actual = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, show);
            assertTrue(expected.contains("more than one function named"), expected);
            assertEquals(expected, actual);
            String one = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, "\\sf " + fn + "(text)\n");
            String theirs = PsqlRunner.run(host, port, user, db, pw, "\\sf " + fn + "(text)\n");
            assertEquals(theirs.lines().findFirst().orElseThrow(), one.lines().findFirst().orElseThrow());
            assertTrue(one.contains("$function$tt$function$"), one);
        } finally {
            PsqlRunner.run(host, port, user, db, pw, "drop function if exists " + fn + "(integer), " + fn + "(text), " + fn + "(integer, integer);\n");
        }
    }

    private static String sorted(String rows) {
        return String.join("\n", rows.lines().sorted().toList());
    }

    private static String rows(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        }
    }

    private static String rows(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rows(rs);
        }
    }

    private static String rows(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                sb.append(i > 1 ? "|" : "").append(rs.getString(i));
            }
            out.add(sb.toString());
        }
        return String.join("\n", out);
    }
}
