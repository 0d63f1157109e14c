package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.postgresql.util.PSQLException;

/**
 * Wasm aggregates over the wire server (pgJDBC, psql) against PostgreSQL 15 as the oracle: the
 * same CREATE AGGREGATE statements over SQL-language support functions on PostgreSQL and over the
 * C support functions of aggs.wasm here, the same queries (GROUP BY, FILTER, DISTINCT, no rows),
 * the same answers; the same bad DDL, the same SQLSTATEs and message text; psql's \da and \df.
 */
class PgAggregateTest {
    private static PgTestServer ours;
    private static Connection real;
    private static Connection mine;

    /** Support functions: (name, PostgreSQL's SQL-language body, our aggs.wasm export). */
    private static final String[][] SUPPORT = {
        {"agt_sum_acc(s bigint, x integer) RETURNS bigint STRICT", "SELECT s + x", "int4_sum_acc"},
        {"agt_larger(a integer, b integer) RETURNS integer STRICT", "SELECT greatest(a, b)", "int4_larger"},
        {"agt_count_acc(s bigint, x integer) RETURNS bigint CALLED ON NULL INPUT", "SELECT coalesce(s, 0) + 1", "count_acc"},
        {"agt_join_acc(a text, b text) RETURNS text STRICT", "SELECT a || ',' || b", "text_join_acc"},
    };

    /** The aggregates both sides create with the same statement. */
    private static final String[] AGGREGATES = {
        "CREATE AGGREGATE agt_sum(integer) (SFUNC = agt_sum_acc, STYPE = bigint, INITCOND = '0')",
        "CREATE AGGREGATE agt_max(integer) (SFUNC = agt_larger, STYPE = integer, PARALLEL = SAFE)",
        "CREATE AGGREGATE agt_count(integer) (SFUNC = agt_count_acc, STYPE = bigint)",
        "CREATE AGGREGATE agt_join(text) (SFUNC = agt_join_acc, STYPE = text)",
    };

    @BeforeAll
    static void start() throws Exception {
        real = RealPostgres.connect("PgAggregateTest");
        ours = new PgTestServer(null, true);
        mine = ours.connect();
        dropAll(real);
        for (String[] f : SUPPORT) {
            exec(real, "CREATE FUNCTION " + f[0] + " LANGUAGE sql IMMUTABLE AS '" + f[1].replace("'", "''") + "'");
        }
        // avg with a state PostgreSQL keeps as float8[] and the guest as bytea it serialises itself
        exec(real, "CREATE FUNCTION agt_avg_acc(s double precision[], x double precision) RETURNS double precision[] LANGUAGE sql"
                + " IMMUTABLE STRICT AS 'SELECT ARRAY[s[1] + 1, s[2] + x]'");
        exec(real, "CREATE FUNCTION agt_avg_final(s double precision[]) RETURNS double precision LANGUAGE sql IMMUTABLE"
                + " AS 'SELECT CASE WHEN s[1] = 0 THEN NULL ELSE s[2] / s[1] END'");
        exec(real, "CREATE AGGREGATE agt_avg(double precision) (SFUNC = agt_avg_acc, STYPE = double precision[], FINALFUNC = agt_avg_final,"
                + " INITCOND = '{0,0}')");
        try (PreparedStatement ps = mine.prepareStatement("INSERT INTO wasm.modules(name, bytes) VALUES ('aggs', ?)")) {
            ps.setBytes(1, UdfModules.bytes("aggs"));
            ps.executeUpdate();
        }
        for (String[] f : SUPPORT) {
            exec(mine, "CREATE FUNCTION " + f[0] + " LANGUAGE wasm IMMUTABLE AS 'aggs', '" + f[2] + "'");
        }
        exec(mine, "CREATE FUNCTION agt_avg_acc(s bytea, x double precision) RETURNS bytea STRICT LANGUAGE wasm IMMUTABLE AS 'aggs', 'avg_acc'");
        exec(mine, "CREATE FUNCTION agt_avg_final(s bytea) RETURNS double precision LANGUAGE wasm IMMUTABLE AS 'aggs', 'avg_final'");
        exec(mine, "CREATE AGGREGATE agt_avg(double precision) (SFUNC = agt_avg_acc, STYPE = bytea, FINALFUNC = agt_avg_final, INITCOND = '\\x')");
        for (Connection c : List.of(real, mine)) {
            for (String a : AGGREGATES) {
                exec(c, a);
            }
            exec(c, "CREATE TABLE agt_t (g integer, x integer, d double precision, s text)");
            exec(c, "INSERT INTO agt_t VALUES (1, 1, 1.5, 'a'), (1, NULL, NULL, NULL), (1, 3, 2.25, 'b'), (2, 10, 4.0, 'c'),"
                    + " (2, 10, NULL, 'c'), (3, NULL, NULL, NULL), (4, -7, -0.5, 'd')");
        }
    }

    private static void dropAll(Connection c) throws SQLException {
        exec(c, "DROP TABLE IF EXISTS agt_t");
        for (String a : new String[] {"agt_sum(integer)", "agt_max(integer)", "agt_count(integer)", "agt_join(text)", "agt_avg(double precision)",
                "agt_x(integer)"}) {
            exec(c, "DROP AGGREGATE IF EXISTS " + a);
        }
        for (String f : new String[] {"agt_sum_acc(bigint, integer)", "agt_larger(integer, integer)", "agt_count_acc(bigint, integer)",
                "agt_join_acc(text, text)", "agt_avg_acc(double precision[], double precision)", "agt_avg_final(double precision[])"}) {
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

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
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
    void sameAnswersAsPostgres() throws SQLException {
        String all = "agt_sum(x), agt_max(x), agt_count(x), agt_avg(d)";
        for (String q : new String[] {
            "SELECT " + all + " FROM agt_t",
            "SELECT g, " + all + " FROM agt_t GROUP BY g ORDER BY g",
            "SELECT " + all + " FROM agt_t WHERE g > 100",
            "SELECT agt_sum(x) FILTER (WHERE x > 2), agt_count(x) FILTER (WHERE g = 1), agt_avg(d) FILTER (WHERE d > 0) FROM agt_t",
            "SELECT agt_sum(DISTINCT x), agt_max(DISTINCT x), agt_avg(DISTINCT d) FROM agt_t",
            "SELECT g, agt_join(s) FROM agt_t WHERE g <> 1 GROUP BY g ORDER BY g",
            "SELECT g, agt_sum(x) FROM agt_t GROUP BY g HAVING agt_sum(x) > 3 ORDER BY g",
            "SELECT agt_sum(x::smallint), agt_avg(x) FROM agt_t",
        }) {
            assertEquals(rows(real, q), rows(mine, q), q);
        }
    }

    @Test
    void sameErrorsAsPostgres() throws SQLException {
        for (String bad : new String[] {
            "CREATE AGGREGATE agt_x(integer) (SFUNC = agt_nosuch, STYPE = integer)",
            "CREATE AGGREGATE agt_x(integer) (SFUNC = agt_larger, STYPE = bigint)",
            "CREATE AGGREGATE agt_x(integer) (SFUNC = agt_sum_acc, STYPE = bigint)",
            "CREATE AGGREGATE agt_x(integer) (SFUNC = agt_sum_acc, STYPE = bigint, INITCOND = 'abc')",
            "CREATE AGGREGATE agt_x(integer) (SFUNC = agt_sum_acc, STYPE = bigint, INITCOND = '99999999999999999999')",
            "CREATE AGGREGATE agt_x(integer) (SFUNC = agt_larger, STYPE = integer, FINALFUNC = agt_larger)",
            "CREATE AGGREGATE agt_x(integer) (SFUNC = agt_larger)",
            "CREATE AGGREGATE agt_x(integer) (STYPE = integer)",
            "CREATE AGGREGATE agt_sum(integer) (SFUNC = agt_sum_acc, STYPE = bigint, INITCOND = '0')",
            "DROP AGGREGATE agt_sum(text)",
            "DROP AGGREGATE agt_nosuch(integer)",
            "DROP AGGREGATE agt_larger(integer, integer)",
            "DROP FUNCTION agt_sum(integer)",
            "DROP FUNCTION agt_sum_acc(bigint, integer)",
            "SELECT agt_sum(x::bigint) FROM agt_t",
            "SELECT agt_sum(s) FROM agt_t",
        }) {
            PSQLException theirs = failure(real, bad);
            PSQLException mineE = failure(mine, bad);
            assertEquals(theirs.getSQLState(), mineE.getSQLState(), bad + ": " + mineE.getMessage() + " / PostgreSQL: " + theirs.getMessage());
            String want = theirs.getServerErrorMessage().getMessage();
            String got = mineE.getServerErrorMessage().getMessage();
            assertTrue(got.startsWith(want), bad + ": ours \"" + got + "\", PostgreSQL \"" + want + "\"");
            // the session goes on
            assertEquals(List.of("1"), rows(mine, "SELECT 1"));
        }
    }

    private static PSQLException failure(Connection c, String sql) {
        try {
            exec(c, sql);
        } catch (SQLException e) {
            assertTrue(e instanceof PSQLException, e.toString());
            return (PSQLException) e;
        }
        throw new AssertionError("no error: " + sql);
    }

    @Test
    void psqlListsTheAggregates() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "PgAggregateTest: psql is not installed");
        String script = "\\da agt*\n\\df agt_sum\n";
        String url = RealPostgres.find().url();
        java.net.URI u = java.net.URI.create(url.substring("jdbc:".length()));
        String theirs = PsqlRunner.run(u.getHost(), u.getPort(), RealPostgres.find().props().getProperty("user"), u.getPath().substring(1),
                RealPostgres.find().props().getProperty("password"), script);
        String mineOut = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, script);
        assertNotNull(mineOut);
        assertTrue(theirs.contains("agt_avg|double precision|double precision|"), theirs);
        assertEquals(theirs, mineOut);
    }
}
