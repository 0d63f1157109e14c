package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** CREATE FUNCTION … AS '(module …)' over the wire server, through pgJDBC and psql. */
class PgWatTest {
    private static final String ADD = "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))";
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
    void pgJdbcCreatesCallsAndSeesTheText() throws SQLException {
        try (Connection c = server.connect(new Properties()); Statement st = c.createStatement()) {
            st.execute("create function wat_add(a integer, b integer) returns integer language wasm strict as '" + ADD + "', 'add'");
            try (ResultSet rs = st.executeQuery("select wat_add(40, 2)")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
            try (ResultSet rs = st.executeQuery("select source_text from wasm.modules where implicit and source_text like '%i32.add%'")) {
                assertTrue(rs.next());
                assertEquals(ADD, rs.getString(1));
            }
            PSQLException e = assertThrows(PSQLException.class, () -> st.execute(
                    "create function wat_bad(integer) returns integer language wasm as '(module\n  (func (export \"wat_bad\") (param i32)\n  i32.nope))'"));
            assertEquals("42601", e.getSQLState());
            assertTrue(e.getServerErrorMessage().getMessage().startsWith(
                    "function wat_bad: syntax error in the WebAssembly text at line 3, column 3: unknown operator"), e.getMessage());
            // the session goes on
            try (ResultSet rs = st.executeQuery("select wat_add(1, 2)")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getInt(1));
            }
        }
    }

    @Test
    void psqlSession() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "PgWatTest: psql is not installed (Debian package postgresql-client)");
        String script = String.join("\n",
                "create function wat_twice(x bigint) returns bigint language wasm immutable strict as '",
                "  ;; a multi-line module, as typed in psql",
                "  (module",
                "    (func (export \"wat_twice\") (param $x i64) (result i64)",
                "      (i64.mul (local.get $x) (i64.const 2))))';",
                "select wat_twice(21) as twice;",
                "create function wat_oops() returns integer language wasm as '(module (func (export \"wat_oops\") (result i32) (i32.const)))';",
                "select wat_twice(-1) as again;",
                "");
        String out = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, script);
        assertEquals(String.join("\n",
                "CREATE FUNCTION",
                "twice",
                "42",
                "(1 row)",
                "psql:<stdin>:7: ERROR:  function wat_oops: syntax error in the WebAssembly text at line 1, column 58: unexpected token",
                "again",
                "-2",
                "(1 row)",
                ""), out);
    }
}
