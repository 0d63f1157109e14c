package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The new SQL types of wasm functions over the wire server with pgJDBC, text and binary results:
 * each call answers with the type OID, text and Java object the real PostgreSQL 15 gives for the
 * built-in expression that computes the same value; array parameters travel both ways; a guest's
 * bad value is its SQLSTATE on the wire.
 */
class PgSqlTypesTest {
    private static PgTestServer server;
    private static Connection real;

    /** Ours (wasm function call) and PostgreSQL's (built-in) expression for the same value. */
    private static final String[][] PAIRS = {
        {"date_add(DATE '2024-02-28', 2)", "DATE '2024-02-28' + 2"},
        // json, jsonb and character results are H2 strings; the server describes them as declared
        {"text_json('{\"a\": [1, 2]}')", "CAST('{\"a\": [1, 2]}' AS JSON)"},
        {"text_jsonb('{\"b\":[1,2e1],\"a\":1,\"a\":\"\\u00e9\"}')", "CAST('{\"b\":[1,2e1],\"a\":1,\"a\":\"\\u00e9\"}' AS JSONB)"},
        // (H2 in PostgreSQL mode trims a CHAR(n)'s padding before the function sees it; PostgreSQL keeps it)
        {"char_echo(CAST('abcde' AS CHAR(5)))", "CAST(CAST('abcde' AS CHAR(5)) AS BPCHAR)"},
        {"date_add(DATE '0001-01-01', -1)", "DATE '0001-01-01' - 1"},
        {"ts_add_us(TIMESTAMP '2024-01-01 00:00:00', 1500000)", "TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '1.5 seconds'"},
        {"ts_time(TIMESTAMP '2024-01-01 12:34:56.789')", "CAST(TIMESTAMP '2024-01-01 12:34:56.789' AS TIME)"},
        {"ts_date(TIMESTAMP '1999-12-31 23:59:59')", "CAST(TIMESTAMP '1999-12-31 23:59:59' AS DATE)"},
        {"interval_twice(INTERVAL '1 02:00:00.25' DAY TO SECOND)", "INTERVAL '1 02:00:00.25' DAY TO SECOND * 2"},
        // PostgreSQL reads '-1 02:00:00' as -1 day +2 hours, the standard (H2) as minus the whole: negate instead
        {"interval_twice(-(INTERVAL '1 02:00:00' DAY TO SECOND))", "-(INTERVAL '1 02:00:00' DAY TO SECOND) * 2"},
        {"ts_add_us(TIMESTAMP '0001-01-01 00:00:00', -1)", "TIMESTAMP '0001-01-01 00:00:00' - INTERVAL '1 microsecond'"},
        {"date_add(DATE '9999-12-31', 1)", "DATE '9999-12-31' + 1"},
        {"uuid_swap(CAST('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS UUID))", "CAST('bb6d6bb9-bd38-0a11-a0ee-bc999c0b4ef8' AS UUID)"},
        {"numeric_scaled(CAST(-12.345 AS NUMERIC(10,3)))", "round(CAST(-12.345 AS NUMERIC), 2)"},
        {"int_array_inc(ARRAY[1, NULL, 3])", "ARRAY[2, NULL, 4]"},
        {"int_array_inc(CAST(ARRAY[] AS INTEGER ARRAY))", "CAST(ARRAY[] AS INTEGER ARRAY)"},
        {"text_array_upper(ARRAY['a b', NULL, '', 'x,\"y'])", "ARRAY['A B', NULL, '', 'X,\"Y']"},
        {"date_echo(ARRAY[DATE '2000-01-01', NULL, DATE '1500-03-01'])", "ARRAY[DATE '2000-01-01', NULL, DATE '1500-03-01']"},
        {"ts_echo(ARRAY[TIMESTAMP '2000-01-01 10:00:00.5', NULL])", "ARRAY[TIMESTAMP '2000-01-01 10:00:00.5', NULL]"},
        {"uuid_echo(ARRAY[CAST('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS UUID)])", "ARRAY[CAST('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS UUID)]"},
        {"numeric_echo(ARRAY[CAST(1.50 AS NUMERIC(5,2)), NULL])", "ARRAY[CAST(1.50 AS NUMERIC(5,2)), NULL]"},
        {"bigint_echo(ARRAY[CAST(9223372036854775807 AS BIGINT), NULL])", "ARRAY[CAST(9223372036854775807 AS BIGINT), NULL]"},
        {"bool_echo(ARRAY[TRUE, NULL, FALSE])", "ARRAY[TRUE, NULL, FALSE]"},
        {"float8_echo(ARRAY[CAST(1.5 AS DOUBLE PRECISION), NULL])", "ARRAY[CAST(1.5 AS DOUBLE PRECISION), NULL]"},
        {"interval_echo(ARRAY[INTERVAL '1 02:03:04' DAY TO SECOND, NULL])", "ARRAY[INTERVAL '1 02:03:04' DAY TO SECOND, NULL]"},
    };

    @BeforeAll
    static void start() throws Exception {
        real = RealPostgres.connect("PgSqlTypesTest");
        server = new PgTestServer(null, true);
        try (Connection c = server.connect()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO wasm.modules(name, bytes) VALUES ('types', ?)")) {
                ps.setBytes(1, PgTestServer.module("test-types"));
                ps.executeUpdate();
            }
            String[] ddl = {
                "date_add(d date, n integer) RETURNS date", "ts_add_us(t timestamp, us bigint) RETURNS timestamp",
                "ts_time(t timestamp) RETURNS time", "ts_date(t timestamp) RETURNS date", "interval_twice(i interval) RETURNS interval",
                "uuid_swap(u uuid) RETURNS uuid", "numeric_scaled(n numeric) RETURNS numeric", "int_array_inc(a integer[]) RETURNS integer[]",
                "int_array_sum(a integer[]) RETURNS bigint", "text_array_upper(a text[]) RETURNS text[]", "date_infinity() RETURNS date",
                "array_wild() RETURNS text[]",
                "text_json(s text) RETURNS json AS 'types', 'text_echo'", "text_jsonb(s text) RETURNS jsonb AS 'types', 'text_echo'",
                "char_echo(c character(5)) RETURNS character AS 'types', 'text_echo'",
            };
            try (Statement st = c.createStatement()) {
                for (String d : ddl) {
                    st.execute("CREATE FUNCTION " + d + " LANGUAGE wasm STRICT" + (d.contains(" AS ") ? "" : " AS 'types'"));
                }
                String[][] echoes = {{"date_echo", "date"}, {"ts_echo", "timestamp"}, {"uuid_echo", "uuid"}, {"numeric_echo", "numeric"},
                    {"bigint_echo", "bigint"}, {"bool_echo", "boolean"}, {"float8_echo", "double precision"}, {"interval_echo", "interval"}};
                for (String[] e : echoes) {
                    st.execute("CREATE FUNCTION " + e[0] + "(a " + e[1] + "[]) RETURNS " + e[1] + "[] LANGUAGE wasm STRICT AS 'types', 'array_echo'");
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (real != null) {
            real.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Connection ours(boolean binary) throws SQLException {
        Properties p = new Properties();
        // prepareThreshold=-1: every statement named from the first run, so pgJDBC asks for binary results
        p.setProperty("prepareThreshold", binary ? "-1" : "5");
        return server.connect(p);
    }

    private static Object normalize(Object o) throws SQLException {
        return o instanceof Array a ? java.util.Arrays.asList((Object[]) a.getArray()) : o;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void resultsMatchPostgres(boolean binary) throws Exception {
        Properties props = new Properties();
        props.putAll(RealPostgres.find().props());
        props.setProperty("prepareThreshold", binary ? "-1" : "5");
        try (Connection mine = ours(binary); Connection real = DriverManager.getConnection(RealPostgres.find().url(), props)) {
            for (String[] pair : PAIRS) {
                try (PreparedStatement a = mine.prepareStatement("select " + pair[0]);
                     PreparedStatement b = real.prepareStatement("select " + pair[1]);
                     ResultSet x = a.executeQuery(); ResultSet y = b.executeQuery()) {
                    assertTrue(x.next() && y.next());
                    assertEquals(y.getMetaData().getColumnTypeName(1), x.getMetaData().getColumnTypeName(1), pair[0]);
                    assertEquals(y.getMetaData().getColumnType(1), x.getMetaData().getColumnType(1), pair[0]);
                    assertEquals(y.getString(1), x.getString(1), pair[0]);
                    Object want = normalize(y.getObject(1));
                    Object got = normalize(x.getObject(1));
                    assertEquals(want == null ? null : want.getClass(), got == null ? null : got.getClass(), pair[0]);
                    assertEquals(String.valueOf(want), String.valueOf(got), pair[0]);
                }
            }
        }
    }

    /** pgJDBC's getProcedureColumns reads our pg_proc rows as it reads PostgreSQL's for the same signatures. */
    @org.junit.jupiter.api.Test
    void procedureColumnsMatchPostgres() throws Exception {
        String[][] signatures = {
            {"date_add", "d date, n integer", "date"}, {"ts_add_us", "t timestamp, us bigint", "timestamp"},
            {"interval_twice", "i interval", "interval"}, {"uuid_swap", "u uuid", "uuid"}, {"numeric_scaled", "n numeric", "numeric"},
            {"int_array_inc", "a integer[]", "integer[]"}, {"text_array_upper", "a text[]", "text[]"}, {"text_json", "s text", "json"},
            {"ts_echo", "a timestamp[]", "timestamp[]"},
        };
        try (Connection mine = server.connect(); Statement st = real.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS wasmudf_types CASCADE");
            st.execute("CREATE SCHEMA wasmudf_types");
            for (String[] f : signatures) {
                st.execute("CREATE FUNCTION wasmudf_types." + f[0] + "(" + f[1] + ") RETURNS " + f[2] + " LANGUAGE sql AS 'SELECT NULL::" + f[2] + "'");
            }
            try {
                for (String[] f : signatures) {
                    List<String> want = procedureColumns(real, "wasmudf_types", f[0]);
                    List<String> got = procedureColumns(mine, null, f[0]);
                    assertEquals(f[1].split(",").length + 1, want.size(), f[0] + ": the result and each argument");
                    assertEquals(want, got, f[0]);
                }
            } finally {
                st.execute("DROP SCHEMA wasmudf_types CASCADE");
            }
        }
    }

    /** psql's \\df lists the functions' argument and result types as PostgreSQL 15's psql lists the same signatures. */
    @org.junit.jupiter.api.Test
    void psqlDescribesTheTypesAsPostgres() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "PgSqlTypesTest: psql is not installed (Debian package postgresql-client)");
        String[][] signatures = {
            {"ts_add_us", "t timestamp, us bigint", "timestamp"}, {"ts_time", "t timestamp", "time"}, {"uuid_swap", "u uuid", "uuid"},
            {"int_array_inc", "a integer[]", "integer[]"}, {"text_json", "s text", "json"}, {"char_echo", "c character(5)", "character"},
            {"ts_echo", "a timestamp[]", "timestamp[]"}, {"interval_echo", "a interval[]", "interval[]"},
        };
        java.util.Properties props = RealPostgres.find().props();
        String pgUrl = RealPostgres.find().url();
        java.net.URI uri = java.net.URI.create(pgUrl.substring("jdbc:".length()));
        try (Statement st = real.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS wasmudf_types CASCADE");
            st.execute("CREATE SCHEMA wasmudf_types");
            for (String[] f : signatures) {
                st.execute("CREATE FUNCTION wasmudf_types." + f[0] + "(" + f[1] + ") RETURNS " + f[2] + " LANGUAGE sql AS 'SELECT NULL::" + f[2] + "'");
            }
            try {
                for (String[] f : signatures) {
                    String want = PsqlRunner.run(uri.getHost(), uri.getPort(), props.getProperty("user"), uri.getPath().substring(1),
                            props.getProperty("password"), "\\df wasmudf_types." + f[0]);
                    String got = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, "\\df " + f[0]);
                    assertTrue(want.contains("|" + f[0] + "|"), want);
                    assertEquals(want.replace("wasmudf_types|", "public|"), got, f[0]);
                }
            } finally {
                st.execute("DROP SCHEMA wasmudf_types CASCADE");
            }
        }
    }

    private static List<String> procedureColumns(Connection c, String schema, String name) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (ResultSet rs = c.getMetaData().getProcedureColumns(null, schema, name, null)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME") + " " + rs.getShort("COLUMN_TYPE") + " " + rs.getInt("DATA_TYPE") + " "
                        + rs.getString("TYPE_NAME"));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void arrayParameters(boolean binary) throws Exception {
        try (Connection mine = ours(binary)) {
            Integer[] values = {5, null, -7, 100};
            try (PreparedStatement a = mine.prepareStatement("select int_array_sum(?), int_array_inc(?)")) {
                a.setArray(1, mine.createArrayOf("int4", values));
                a.setArray(2, mine.createArrayOf("int4", values));
                try (ResultSet rs = a.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(98L, rs.getLong(1));
                    assertArrayEquals(new Integer[] {6, null, -6, 101}, (Object[]) rs.getArray(2).getArray());
                }
            }
            try (PreparedStatement a = mine.prepareStatement("select text_array_upper(?)")) {
                a.setArray(1, mine.createArrayOf("text", new String[] {"a,b", null, "", "\"q\"", "NULL"}));
                try (ResultSet rs = a.executeQuery()) {
                    assertTrue(rs.next());
                    assertArrayEquals(new String[] {"A,B", null, "", "\"Q\"", "NULL"}, (Object[]) rs.getArray(1).getArray());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void badValuesKeepTheirSqlState(boolean binary) throws Exception {
        try (Connection mine = ours(binary); Statement st = mine.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("select date_infinity()"));
            assertEquals("22008", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("date_infinity"), e.getMessage());
            e = assertThrows(SQLException.class, () -> st.executeQuery("select array_wild()"));
            assertEquals("2202E", e.getSQLState(), e.getMessage());
            try (ResultSet rs = st.executeQuery("select date_add(DATE '2000-01-01', 1)")) {
                assertTrue(rs.next());
                assertEquals("2000-01-02", rs.getString(1));
            }
        }
    }
}
