package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Modules with imports over the wire: what the guest writes arrives as NOTICEs (psql prints them,
 * pgjdbc reports them as warnings) before the result or the error; guest-raised SQLSTATEs reach the
 * client; {@code \df+} shows the grants.
 */
class PgHostImportsTest {
    private static PgTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer(null, true);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("create function hello(name text) returns text language wasm immutable strict as '\\x"
                    + HexFormat.of().formatHex(PgTestServer.module("test-wasi-hostile")) + "'");
            st.execute("create function checked(s text) returns text language wasm volatile strict as '\\x"
                    + HexFormat.of().formatHex(PgTestServer.module("test-as-hostile")) + "'");
            st.execute("create function semver_cmp(a text, b text) returns integer language wasm immutable strict as '\\x"
                    + HexFormat.of().formatHex(PgTestServer.module("rust-udfs-wasi")) + "' set wasm.grants = 'none'");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "wasmudf");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.server.port() + "/wasmudf", p);
    }

    @Test
    void pgjdbcSeesTheGuestsOutputAsWarningsAndItsSqlstates() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select hello('ada')")) {
                rs.next();
                assertEquals("hello, ada", rs.getString(1));
            }
            List<String> got = new ArrayList<>();
            for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                got.add(w.getSQLState() + " " + w.getMessage());
            }
            assertEquals(List.of("00000 function hello: stdout: hello, ada", "00000 function hello: stderr: said hello to ada"), got);
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("select semver_cmp('1.0', '1.0.0')"));
            assertEquals("22P02", e.getSQLState());
            assertTrue(e.getMessage().contains("function semver_cmp: invalid semantic version: \"1.0\""), e.getMessage());
            try (var ps = c.prepareStatement("select semver_cmp(?, ?)")) {
                ps.setString(1, "1.0.0-alpha");
                ps.setString(2, "1.0.0");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(-1, rs.getInt(1));
                }
            }
        }
    }

    @Test
    void psqlPrintsNoticesAndErrorsAndDescribesTheGrants() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "PgHostImportsTest: psql is not installed (Debian package postgresql-client)");
        String out = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, String.join("\n",
                "select hello('psql') as greeting;",
                "select checked('');",
                "select checked('fine') as checked;",
                "\\df+ hello",
                ""));
        String[] lines = out.split("\n");
        assertEquals("psql:<stdin>:1: NOTICE:  function hello: stdout: hello, psql", lines[0], out);
        assertEquals("psql:<stdin>:1: NOTICE:  function hello: stderr: said hello to psql", lines[1], out);
        assertEquals("greeting", lines[2], out);
        assertEquals("hello, psql", lines[3], out);
        assertTrue(lines[5].matches("psql:<stdin>:2: ERROR:  function checked: abort: empty input at \\S+:\\d+:\\d+"), out);
        assertEquals("checked", lines[6], out);
        assertEquals("fine", lines[7], out);
        assertTrue(out.contains("|wasm|hello|"), out); // Source code is prosrc, for a C-like function the symbol: the export
        assertTrue(out.contains("|wasm.grants = 'clock=fixed,random=seeded'"), out);
    }
}
