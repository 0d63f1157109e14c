package io.wasmudf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.pg.PgServer;
import io.wasmudf.udfs.UdfModules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same wasm functions in Spark (local[2]) and in H2 (jdbc:wasm:) over the same rows, NULLs
 * included: registered from DDL text and from a WasmUDF database (embedded and over the wire
 * server); traps, fuel and wasm.timeout fail the task with the function's name and PostgreSQL's SQLSTATE.
 */
class SparkWasmFunctionsTest {
    private static SparkSession spark;
    private static Path dir;
    private static String wasmUrl;
    private static Connection h2;

    /** One function per line, in the DDL both sides take. */
    private static final List<String[]> FUNCTIONS = List.of(
            new String[] {"math", "CREATE FUNCTION add_i32(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS 'math', 'add_i32'"},
            new String[] {"math", "CREATE FUNCTION coalesce_add(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT AS 'math', 'coalesce_add'"},
            new String[] {"math", "CREATE FUNCTION hypot(x double precision, y double precision) RETURNS double precision LANGUAGE wasm IMMUTABLE STRICT AS 'math', 'hypot'"},
            new String[] {"math", "CREATE FUNCTION is_prime(n bigint) RETURNS boolean LANGUAGE wasm IMMUTABLE STRICT AS 'math', 'is_prime'"},
            new String[] {"math", "CREATE FUNCTION clamp_real(x real, lo real, hi real) RETURNS real LANGUAGE wasm IMMUTABLE STRICT AS 'math', 'clamp_real'"},
            new String[] {"strings", "CREATE FUNCTION reverse_text(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'strings', 'reverse_text'"},
            new String[] {"strings", "CREATE FUNCTION slugify(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'strings', 'slugify'"},
            new String[] {"strings", "CREATE FUNCTION utf8_length(s text) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS 'strings', 'utf8_length'"},
            new String[] {"strings", "CREATE FUNCTION json_get(doc text, key text) RETURNS text LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT AS 'strings', 'json_get'"},
            new String[] {"hash", "CREATE FUNCTION fnv1a64(data bytea) RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'hash', 'fnv1a64'"},
            new String[] {"hash", "CREATE FUNCTION hex_encode(data bytea) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'hash', 'hex_encode'"},
            new String[] {"test-traps", "CREATE FUNCTION div_by(a integer, b integer) RETURNS integer LANGUAGE wasm VOLATILE STRICT AS 'test-traps', 'div_by'"},
            new String[] {"test-traps", "CREATE FUNCTION spin() RETURNS integer LANGUAGE wasm VOLATILE STRICT SET wasm.timeout = '300ms' AS 'test-traps', 'spin'"},
            new String[] {"test-types", "CREATE FUNCTION date_add(d date, n integer) RETURNS date LANGUAGE wasm IMMUTABLE STRICT AS 'test-types', 'date_add'"},
            new String[] {"test-types", "CREATE FUNCTION ts_add_us(t timestamp, us bigint) RETURNS timestamp LANGUAGE wasm IMMUTABLE STRICT AS 'test-types', 'ts_add_us'"},
            new String[] {"test-types", "CREATE FUNCTION uuid_swap(u uuid) RETURNS uuid LANGUAGE wasm IMMUTABLE STRICT AS 'test-types', 'uuid_swap'"},
            new String[] {"test-types", "CREATE FUNCTION opt_uuid(u uuid) RETURNS uuid LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT AS 'test-types', 'opt_uuid'"},
            new String[] {"test-types", "CREATE FUNCTION numeric_scaled(n numeric) RETURNS numeric LANGUAGE wasm IMMUTABLE STRICT AS 'test-types', 'numeric_scaled'"},
            new String[] {"test-options", "CREATE FUNCTION opt_int(x integer) RETURNS integer LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT AS 'test-options', 'opt_int'"},
            new String[] {"test-options", "CREATE FUNCTION opt_small(x smallint) RETURNS smallint LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT AS 'test-options', 'opt_small'"},
            new String[] {"wasi-strings", "CREATE FUNCTION wasi_reverse(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'wasi-strings', 'reverse_text'"},
            new String[] {"test-traps", "CREATE FUNCTION spin_for(n bigint) RETURNS bigint LANGUAGE wasm VOLATILE STRICT SET wasm.fuel = 100000 AS 'test-traps', 'spin_for'"});

    /**
     * Aggregates of both kinds Spark runs: with a COMBINEFUNC (partial states combined: wsum, and
     * wmax, whose STRICT transition without INITCOND takes the first row as its state) and without
     * one (the rows of a group kept: wcount, CALLED ON NULL INPUT, and wavg, a bytea state and a final function).
     */
    private static final List<String> AGGREGATES = List.of(
            "CREATE FUNCTION int4_sum_acc(state bigint, x integer) RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'aggs'",
            "CREATE FUNCTION int8_sum_acc(state bigint, x bigint) RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'aggs'",
            "CREATE FUNCTION int4_larger(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS 'aggs'",
            "CREATE FUNCTION count_acc(state bigint, x integer) RETURNS bigint LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT AS 'aggs'",
            "CREATE FUNCTION avg_acc(state bytea, x double precision) RETURNS bytea LANGUAGE wasm IMMUTABLE STRICT AS 'aggs'",
            "CREATE FUNCTION avg_final(state bytea) RETURNS double precision LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT AS 'aggs'",
            "CREATE AGGREGATE wsum(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '0', COMBINEFUNC = int8_sum_acc)",
            "CREATE AGGREGATE wmax(integer) (SFUNC = int4_larger, STYPE = integer, COMBINEFUNC = int4_larger)",
            "CREATE AGGREGATE wcount(integer) (SFUNC = count_acc, STYPE = bigint, INITCOND = '0')",
            "CREATE AGGREGATE wavg(double precision) (SFUNC = avg_acc, STYPE = bytea, FINALFUNC = avg_final, INITCOND = '\\x')");

    private static final String QUERY = "SELECT id, add_i32(a, b), coalesce_add(a, b), hypot(x, y), is_prime(n), clamp_real(r, 0, 10),"
            + " reverse_text(s), slugify(s), utf8_length(s), json_get(s, 'k'), fnv1a64(d), hex_encode(d)"
            + " FROM t ORDER BY id";

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("wasmudf-spark");
        wasmUrl = "jdbc:wasm:file:" + dir.resolve("db").toAbsolutePath();
        h2 = DriverManager.getConnection(wasmUrl);
        try (Statement st = h2.createStatement()) {
            for (String m : Set.of("math", "strings", "hash", "test-traps", "test-types", "test-options", "wasi-strings", "aggs")) {
                try (PreparedStatement ps = h2.prepareStatement("INSERT INTO wasm.modules(name, bytes) VALUES (?, ?)")) {
                    ps.setString(1, m);
                    ps.setBytes(2, UdfModules.bytes(m));
                    ps.executeUpdate();
                }
            }
            for (String[] f : FUNCTIONS) {
                st.execute(f[1]);
            }
            // no Spark type for interval yet: registerAll leaves it out and registers the rest
            st.execute("CREATE FUNCTION interval_micros(i interval) RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'test-types', 'interval_micros'");
            for (String ddl : AGGREGATES) {
                st.execute(ddl);
            }
            st.execute("CREATE TABLE t(id INT PRIMARY KEY, a INT, b INT, x DOUBLE PRECISION, y DOUBLE PRECISION, n BIGINT, r REAL,"
                    + " s VARCHAR, d VARBINARY)");
            st.execute("INSERT INTO t VALUES"
                    + " (1, 1, 2, 3, 4, 7, 2.5, 'Hello, World!', X'00ff10'),"
                    + " (2, NULL, 5, NULL, 1, NULL, NULL, NULL, NULL),"
                    + " (3, 2147483647, 1, -1.5, 0.25, 97, -3, '{\"k\": \"v\", \"z\": 1}', X''),"
                    + " (4, -7, NULL, 1e300, 1e300, 1000000007, 11.75, 'Grüße aus Köln ✓', X'deadbeef'),"
                    + " (5, 0, 0, 0, 0, 0, 0, '', X'61')");
        }
        spark = SparkSession.builder().master("local[2]").appName("wasmudf-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").config("spark.sql.codegen.fallback", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        // the same rows as a Spark table, read from H2 (two partitions, so both task threads run guests)
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("a", DataTypes.IntegerType).add("b", DataTypes.IntegerType)
                .add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType).add("n", DataTypes.LongType).add("r", DataTypes.FloatType)
                .add("s", DataTypes.StringType).add("d", DataTypes.BinaryType);
        List<Row> rows = new ArrayList<>();
        try (Statement st = h2.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM t ORDER BY id")) {
            while (rs.next()) {
                Object[] v = new Object[9];
                for (int i = 0; i < 9; i++) {
                    v[i] = rs.getObject(i + 1);
                }
                rows.add(RowFactory.create(v));
            }
        }
        spark.createDataFrame(rows, schema).repartition(2).createOrReplaceTempView("t");
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) {
            spark.stop();
        }
        if (h2 != null) {
            h2.close();
        }
    }

    private static void registerFromDdl() throws SQLException {
        for (String[] f : FUNCTIONS) {
            WasmFunctions.register(spark, UdfModules.bytes(f[0]), f[1]);
        }
    }

    /** The query's rows in H2, each value as text (bytes as hex, floats by their Java text). */
    private static List<List<String>> h2Rows(String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement st = h2.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(text(rs.getObject(i)));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static List<List<String>> sparkRows(String sql) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : spark.sql(sql).collectAsList()) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                row.add(text(r.get(i)));
            }
            out.add(row);
        }
        return out;
    }

    /** One rendering for both sides: H2 hands timestamps as java.sql.Timestamp, Spark as LocalDateTime; Spark's decimals carry scale 18. */
    private static String text(Object v) {
        if (v instanceof java.sql.Timestamp ts) {
            v = ts.toLocalDateTime();
        }
        if (v instanceof java.math.BigDecimal d) {
            v = d.stripTrailingZeros().toPlainString();
        }
        return v == null ? "NULL" : v instanceof byte[] b ? "\\x" + HexFormat.of().formatHex(b) : v.toString();
    }

    @Test
    void registeredFromDdlGivesTheSameRowsAsH2IncludingNulls() throws Exception {
        registerFromDdl();
        List<List<String>> expected = h2Rows(QUERY);
        assertEquals(5, expected.size());
        assertEquals("NULL", expected.get(1).get(1), "STRICT: NULL in, NULL out");
        assertEquals("5", expected.get(1).get(2), "CALLED ON NULL INPUT sees the NULL");
        assertEquals(expected, sparkRows(QUERY));
    }

    @Test
    void registeredFromTheEmbeddedDatabaseGivesTheSameRows() throws Exception {
        List<String> names = WasmFunctions.registerAll(spark, wasmUrl);
        assertTrue(names.containsAll(List.of("add_i32", "json_get", "fnv1a64", "spin", "spin_for", "wasi_reverse")), names.toString());
        assertFalse(names.contains("interval_micros"), names.toString());
        assertEquals(h2Rows(QUERY), sparkRows(QUERY));
        // volatility came along: IMMUTABLE is deterministic for Spark, VOLATILE is not
        assertTrue(spark.sql("SELECT add_i32(a, 1) FROM t").queryExecution().analyzed().deterministic());
        assertFalse(spark.sql("SELECT div_by(a, 1) FROM t").queryExecution().analyzed().deterministic());
        // the limits came along: spin has wasm.timeout = '300ms'
        assertSqlState("57014", "spin", () -> spark.sql("SELECT spin()").collectAsList());
    }

    @Test
    void aggregatesFromTheDatabaseGiveTheSameGroupsAsH2IncludingNulls() throws Exception {
        List<String> names = WasmFunctions.registerAll(spark, wasmUrl);
        assertTrue(names.containsAll(List.of("wsum", "wmax", "wcount", "wavg")), names.toString());
        // group 0 is row 2 alone, all NULLs: wsum keeps INITCOND, wmax stays NULL, wcount counts it, wavg's final gives NULL
        String grouped = "SELECT CASE WHEN id = 2 THEN 0 ELSE MOD(id, 2) + 1 END AS g, wsum(a), wmax(a), wcount(a), wavg(x), count(*)"
                + " FROM t GROUP BY CASE WHEN id = 2 THEN 0 ELSE MOD(id, 2) + 1 END ORDER BY g";
        List<List<String>> expected = h2Rows(grouped);
        assertEquals(List.of("0", "0", "NULL", "1", "NULL", "1"), expected.get(0));
        assertEquals(expected, sparkRows(grouped));
        String whole = "SELECT wsum(a), wmax(a), wcount(a), wavg(x), wsum(CAST(id AS SMALLINT)) FROM t";
        assertEquals(h2Rows(whole), sparkRows(whole));
        // no rows: the final function of INITCOND (or NULL), as in PostgreSQL
        String none = "SELECT wsum(a), wmax(a), wcount(a), wavg(x) FROM t WHERE id < 0";
        assertEquals(List.of(List.of("0", "NULL", "0", "NULL")), h2Rows(none));
        assertEquals(h2Rows(none), sparkRows(none));
    }

    @Test
    void registeredOverTheWireServerGivesTheSameRows() throws Exception {
        PgServer server = PgServer.builder().connectionFactory(() -> DriverManager.getConnection(wasmUrl)).port(0).build().start();
        try {
            List<String> names = WasmFunctions.registerAll(spark, "jdbc:postgresql://127.0.0.1:" + server.port() + "/wasmudf?user=wasmudf");
            assertTrue(names.contains("slugify"), names.toString());
            assertEquals(h2Rows(QUERY), sparkRows(QUERY));
        } finally {
            server.stop();
        }
    }

    @Test
    void aTrapFailsTheTaskWithTheFunctionsNameAndSqlState() throws Exception {
        registerFromDdl();
        SQLException inH2 = assertThrows(SQLException.class, () -> h2Rows("SELECT div_by(a, 0) FROM t WHERE id = 1"));
        SQLException inSpark = assertSqlState(inH2.getSQLState(), "div_by",
                () -> spark.sql("SELECT div_by(a, 0) FROM t WHERE id = 1").collectAsList());
        assertEquals("38000", inSpark.getSQLState());
        assertTrue(inSpark.getMessage().contains("integer divide by zero"), inSpark.getMessage());
        // the task thread's next call gets a fresh instance
        assertEquals(h2Rows("SELECT div_by(a, 1) FROM t ORDER BY id"), sparkRows("SELECT div_by(a, 1) FROM t ORDER BY id"));
    }

    @Test
    void wasmTimeoutAndFuelHoldInSparkTasks() throws Exception {
        registerFromDdl();
        long t0 = System.nanoTime();
        SQLException timeout = assertSqlState("57014", "spin", () -> spark.sql("SELECT spin()").collectAsList());
        assertTrue(timeout.getMessage().contains("wasm.timeout"), timeout.getMessage());
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "the deadline stopped the loop");
        SQLException inH2 = assertThrows(SQLException.class, () -> h2Rows("SELECT spin_for(100000000)"));
        assertEquals("54000", inH2.getSQLState());
        assertSqlState("54000", "spin_for", () -> spark.sql("SELECT spin_for(100000000)").collectAsList());
    }

    @Test
    void argumentsAreCastToTheParameterTypesAsForBuiltIns() throws Exception {
        registerFromDdl();
        // 3.0 is a decimal literal in Spark and 2 an integer: both become double precision, as in H2
        String sql = "SELECT hypot(3.0, 4), hypot(a, 2), add_i32(CAST(7 AS SMALLINT), 1), utf8_length(CAST(id AS STRING)) FROM t WHERE id = 5";
        assertEquals(List.of(List.of("5.0", "2.0", "8", "1")), h2Rows(sql.replace("STRING", "VARCHAR")));
        assertEquals(h2Rows(sql.replace("STRING", "VARCHAR")), sparkRows(sql));
    }

    @Test
    void datesTimestampsUuidsNumericPackedOptionsAndWasiModulesAgreeWithH2() throws Exception {
        registerFromDdl();
        String select = "SELECT date_add(DATE '2024-02-28', 1), ts_add_us(%s '2024-01-01 00:00:00', 1500000),"
                + " uuid_swap('0123456789abcdef-fedcba9876543210'), opt_uuid(NULL), numeric_scaled(1.5), opt_int(NULL), opt_int(4),"
                + " opt_small(CAST(3 AS SMALLINT)), wasi_reverse(s), wasi_reverse(NULL) FROM t WHERE id = 4";
        String uuid = "'01234567-89ab-cdef-fedc-ba9876543210'";
        List<List<String>> expected = h2Rows(String.format(select, "TIMESTAMP").replace("'0123456789abcdef-fedcba9876543210'", uuid));
        assertEquals("2024-02-29", expected.get(0).get(0));
        assertEquals("NULL", expected.get(0).get(5));
        assertEquals(expected, sparkRows(String.format(select, "TIMESTAMP_NTZ").replace("'0123456789abcdef-fedcba9876543210'", uuid)));
    }

    @Test
    void numericAndTextFunctionsRunAsTheirOwnExpressionWithGeneratedCode() throws Exception {
        registerFromDdl();
        String sql = "SELECT add_i32(a, b), reverse_text(s), coalesce_add(a, b) FROM t";
        org.apache.spark.sql.execution.QueryExecution qe = spark.sql(sql).queryExecution();
        // add_i32 and reverse_text (STRICT, numbers and text) take the expression path; coalesce_add stays a Java UDF
        List<String> calls = new ArrayList<>();
        scala.Function1<org.apache.spark.sql.catalyst.expressions.Expression, scala.runtime.BoxedUnit> visit = x -> {
            if (x instanceof WasmExpression w) {
                calls.add("expression " + w.prettyName());
            } else if (x instanceof org.apache.spark.sql.catalyst.expressions.ScalaUDF u) {
                calls.add("udf " + u.udfName().get());
            }
            return scala.runtime.BoxedUnit.UNIT;
        };
        for (org.apache.spark.sql.catalyst.expressions.Expression e : scala.jdk.javaapi.CollectionConverters.asJava(qe.optimizedPlan().expressions())) {
            e.foreach(visit);
        }
        assertEquals(List.of("expression add_i32", "expression reverse_text", "udf coalesce_add"), calls);
        // the whole-stage code (visible before execution without adaptive planning) names the export class; the session
        // runs with spark.sql.codegen.fallback=false, so code that did not compile would fail the query instead of running interpreted
        spark.conf().set("spark.sql.adaptive.enabled", "false");
        String generated;
        try {
            generated = org.apache.spark.sql.execution.debug.package$.MODULE$.codegenString(spark.sql(sql).queryExecution().executedPlan());
        } finally {
            spark.conf().unset("spark.sql.adaptive.enabled");
        }
        assertTrue(generated.contains(".WasmExport_"), "the generated code calls the export class");
        assertEquals(h2Rows(sql + " ORDER BY id"), sparkRows(sql + " ORDER BY id"));
    }

    @Test
    void aStrictNumericFunctionTakesMoreThanEightArguments() throws Exception {
        StringBuilder wat = new StringBuilder("(module (func (export \"sum10\") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i64)"
                + " local.get 9");
        for (int i = 0; i < 9; i++) {
            wat.append(" local.get ").append(i).append(" i64.extend_i32_s i64.add");
        }
        wat.append("))");
        WasmFunctions.register(spark, io.wasmudf.engine.Wat.toBinary(wat.toString()), "CREATE FUNCTION sum10(integer, integer, integer,"
                + " integer, integer, integer, integer, integer, integer, bigint) RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'm', 'sum10'");
        assertEquals(List.of(List.of("55", "NULL")), sparkRows("SELECT sum10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),"
                + " sum10(1, 2, 3, 4, 5, 6, 7, 8, 9, NULL)"));
    }

    @Test
    void ddlSparkCannotRunIsRefusedAtRegistration() {
        SQLException wrongExport = assertThrows(SQLException.class, () -> WasmFunctions.register(spark, UdfModules.bytes("math"),
                "CREATE FUNCTION nope(a integer) RETURNS integer LANGUAGE wasm STRICT AS 'math', 'no_such_export'"));
        assertEquals("42P13", wrongExport.getSQLState(), wrongExport.getMessage());
        SQLException interval = assertThrows(SQLException.class, () -> WasmFunctions.register(spark, UdfModules.bytes("math"),
                "CREATE FUNCTION add_i32(a interval, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'math', 'add_i32'"));
        assertEquals("0A000", interval.getSQLState(), interval.getMessage());
    }

    /** Runs {@code action}, expecting a failure whose cause chain holds a SQLException of {@code state} naming {@code function}. */
    private static SQLException assertSqlState(String state, String function, org.junit.jupiter.api.function.Executable action) {
        Throwable t = assertThrows(Throwable.class, action);
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                assertEquals(state, s.getSQLState(), s.getMessage());
                assertTrue(s.getMessage().contains("function " + function + "("), s.getMessage());
                return s;
            }
        }
        throw new AssertionError("no SQLException in the cause chain", t);
    }
}
