package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
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
 * Catalog names inside literals, comments, dollar quotes and quoted identifiers, and as column
 * names, never make a query a catalog query: over pgJDBC (simple and extended protocol) and psql
 * the answers equal the real PostgreSQL's. A FROM item in pg_catalog that the server does not
 * know is refused with 0A000, never answered with no rows.
 */
class StatementClassificationTest {
    /** Unique per JVM: other test runs may use the shared PostgreSQL at the same time. */
    private static final String T = "cls_logs_" + ProcessHandle.current().pid();
    private static PgTestServer ours;
    private static Connection real;
    private static Connection mine;
    private static RealPostgres.Target target;

    @BeforeAll
    static void start() throws Exception {
        target = RealPostgres.find();
        try {
            real = DriverManager.getConnection(target.url(), target.props());
        } catch (SQLException e) {
            io.wasmudf.h2.Required.resource(false, "StatementClassificationTest: no PostgreSQL at " + target.url() + ": " + e.getMessage());
        }
        ours = new PgTestServer(null, true);
        mine = ours.connect();
        for (Connection c : List.of(real, mine)) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists " + T);
                st.execute("create table " + T + " (id integer primary key, msg text, pg_type text)");
                st.execute("insert into " + T + " values (1, 'pg_class is a catalog', 'a'), (2, 'pg_database', 'b'),"
                        + " (3, 'from pg_catalog.pg_proc', 'c'), (4, 'plain', null)");
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (real != null) {
            try (Statement st = real.createStatement()) {
                st.execute("drop table if exists " + T);
            }
            real.close();
        }
        if (mine != null) {
            mine.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    private static final List<String> QUERIES = List.of(
            "select count(*) from " + T + " where msg like '%pg_class%'",
            "select pg_type from " + T + " order by id",
            "select id from " + T + " where msg <> 'pg_database' order by id",
            "select id /* from pg_catalog.pg_class */ from " + T + " order by id",
            "-- select * from pg_namespace\nselect count(*) from " + T,
            "select $$from pg_namespace$$ as x, id from " + T + " order by id",
            "select count(*) from " + T + " l where exists (select 1 from " + T + " m where m.msg = 'from pg_catalog.pg_proc')",
            "select id, extract(year from date '2024-01-02') as y from " + T + " where msg is distinct from 'pg_type' order by id");

    private static List<String> rows(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                sb.append(i == 1 ? "" : "|").append(rs.getString(i));
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void catalogNamesInLiteralsCommentsAndColumnNamesAreOrdinaryQueriesOverPgJdbc() throws Exception {
        for (String q : QUERIES) {
            List<List<String>> answers = new ArrayList<>();
            for (Connection c : List.of(real, mine)) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
                    answers.add(rows(rs));
                }
                try (PreparedStatement ps = c.prepareStatement(q); ResultSet rs = ps.executeQuery()) {
                    answers.add(rows(rs));
                }
            }
            assertTrue(!answers.get(0).isEmpty(), q);
            assertEquals(answers.get(0), answers.get(2), "simple protocol: " + q);
            assertEquals(answers.get(1), answers.get(3), "extended protocol: " + q);
        }
    }

    @Test
    void catalogNamesInLiteralsAreOrdinaryQueriesOverPsql() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "StatementClassificationTest: psql is not installed");
        String script = String.join(";\n", QUERIES) + ";\n";
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        String expected = PsqlRunner.run(host, port, target.props().getProperty("user"), db, System.getenv("PGPASSWORD"), script);
        String actual = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, script);
        assertEquals(expected, actual);
        assertTrue(actual.contains("count\n1\n(1 row)"), actual);
    }

    @Test
    void unknownCatalogQueriesAreRefusedNotAnsweredEmpty() throws Exception {
        for (String q : List.of("select count(*) from pg_catalog.pg_operator", "select oprname from pg_operator",
                "select l.id from " + T + " l join pg_catalog.pg_class c on c.relname = l.msg",
                "select id from " + T + " where id in (select oid::int from pg_catalog.pg_am)",
                "select pg_catalog.pg_get_keywords()")) {
            for (boolean prepared : new boolean[] {false, true}) {
                SQLException e = assertThrows(SQLException.class, () -> {
                    if (prepared) {
                        try (PreparedStatement ps = mine.prepareStatement(q)) {
                            ps.executeQuery();
                        }
                    } else {
                        try (Statement st = mine.createStatement()) {
                            st.executeQuery(q);
                        }
                    }
                }, q);
                assertEquals("0A000", e.getSQLState(), q + ": " + e.getMessage());
            }
            // and the real PostgreSQL does answer it: refusing is honest, an empty result would not be
            try (Statement st = real.createStatement(); ResultSet rs = st.executeQuery(q)) {
                assertTrue(rs.next() || q.contains(" join "), q);
            }
        }
        try (Statement st = mine.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + T)) {
            rs.next();
            assertEquals(4, rs.getInt(1));
        }
        // a quoted name is a name: H2 looks for the column (42703 here, as the database folds to upper case), no catalog answer
        SQLException quoted = assertThrows(SQLException.class, () -> mine.createStatement().executeQuery("select \"pg_class\" from " + T));
        assertEquals("42703", quoted.getSQLState());
    }
}
