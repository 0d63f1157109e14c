package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
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

/**
 * Table functions over the wire server (pgJDBC, psql) against PostgreSQL 15 running the same
 * functions written in SQL (regexp_split_to_table … WITH ORDINALITY, generate_series): the same
 * rows, column names and NULLs, and psql's \df shows the same TABLE(…) / SETOF results.
 */
class PgTableFunctionTest {
    private static PgTestServer ours;
    private static Connection real;
    private static Connection mine;

    private static final String[][] FUNCTIONS = {
        {"split_words(s text) RETURNS TABLE (word text, pos integer) STRICT",
            "SELECT w, o::integer FROM regexp_split_to_table(s, ' +') WITH ORDINALITY AS t(w, o) WHERE w <> ''"},
        {"series(n integer) RETURNS SETOF integer STRICT", "SELECT i FROM generate_series(1, n) i"},
        {"evens_or_null(n integer) RETURNS SETOF bigint STRICT", "SELECT CASE WHEN i % 2 = 0 THEN i END FROM generate_series(1, n) i"},
    };

    @BeforeAll
    static void start() throws Exception {
        real = RealPostgres.connect("PgTableFunctionTest");
        ours = new PgTestServer(null, true);
        mine = ours.connect();
        dropAll(real);
        try (PreparedStatement ps = mine.prepareStatement("INSERT INTO wasm.modules(name, bytes) VALUES ('tables', ?)")) {
            ps.setBytes(1, UdfModules.bytes("tables"));
            ps.executeUpdate();
        }
        for (String[] f : FUNCTIONS) {
            exec(real, "CREATE FUNCTION " + f[0] + " LANGUAGE sql IMMUTABLE AS $$" + f[1] + "$$");
            exec(mine, "CREATE FUNCTION " + f[0] + " LANGUAGE wasm IMMUTABLE AS 'tables', '" + f[0].substring(0, f[0].indexOf('(')) + "'");
        }
    }

    private static void dropAll(Connection c) throws SQLException {
        for (String f : new String[] {"split_words(text)", "series(integer)", "evens_or_null(integer)"}) {
            exec(c, "DROP FUNCTION IF EXISTS " + f);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (real != null) {
            dropAll(real);
            real.close();
        }
        if (mine != null) {
            mine.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The column labels, then the rows, as text. */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            StringBuilder head = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                head.append(i > 1 ? "|" : "").append(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
            }
            out.add(head.toString());
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Test
    void sameRowsAsPostgres() throws SQLException {
        for (String q : new String[] {
            "SELECT * FROM split_words('a  bb ccc')",
            "SELECT word FROM split_words('a bb ccc') WHERE pos = 2",
            "SELECT * FROM split_words('')",
            "SELECT * FROM split_words(NULL)",
            "SELECT * FROM series(4)",
            "SELECT SUM(series) AS total FROM series(1000)",
            "SELECT * FROM evens_or_null(5)",
            "SELECT s.n, w.word FROM series(3) AS s(n) JOIN split_words('x yy') AS w ON w.pos = s.n ORDER BY 1",
        }) {
            assertEquals(rows(real, q), rows(mine, q), q);
        }
    }

    @Test
    void psqlShowsTheResultColumns() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "PgTableFunctionTest: psql is not installed");
        String script = "\\df split_words\n\\df series\n";
        RealPostgres.Target t = RealPostgres.find();
        java.net.URI u = java.net.URI.create(t.url().substring("jdbc:".length()));
        String theirs = PsqlRunner.run(u.getHost(), u.getPort(), t.props().getProperty("user"), u.getPath().substring(1),
                t.props().getProperty("password"), script);
        String mineOut = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, script);
        assertTrue(theirs.contains("TABLE(word text, pos integer)"), theirs);
        assertEquals(theirs, mineOut);
    }
}
