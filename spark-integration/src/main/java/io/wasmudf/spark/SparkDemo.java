package io.wasmudf.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./wasmudf spark-demo [rows] [modules-dir]}: a real Spark job in local mode over generated
 * rows (default 3 million) with wasm functions and a wasm aggregate registered from a WasmUDF
 * database, printed beside the same query in that database (embedded H2, in memory). Needs the
 * H2 side ({@code jdbc:wasm:}) on the class path, which {@code ./wasmudf spark-demo} provides.
 */
public final class SparkDemo {
    private static final String[] MODULES = {"math", "strings", "aggs"};
    private static final String[] DDL = {
        "CREATE FUNCTION add_i32(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS 'math', 'add_i32'",
        "CREATE FUNCTION slugify(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'strings', 'slugify'",
        "CREATE FUNCTION utf8_length(s text) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS 'strings', 'utf8_length'",
        "CREATE FUNCTION int4_sum_acc(state bigint, x integer) RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'aggs'",
        "CREATE FUNCTION int8_sum_acc(state bigint, x bigint) RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'aggs'",
        "CREATE AGGREGATE wsum(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '0', COMBINEFUNC = int8_sum_acc)",
    };
    /** The same text on both sides: H2 and Spark SQL both have MOD, CONCAT and count(*). */
    private static final String QUERY = "SELECT MOD(k, 7) AS g, count(*) AS n, wsum(add_i32(k, 1)) AS wsum_k1,"
            + " sum(utf8_length(slugify(s))) AS slug_bytes, max(slugify(s)) AS max_slug FROM demo GROUP BY MOD(k, 7) ORDER BY g";

    private SparkDemo() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 3_000_000L;
        Path modules = Path.of(args.length > 1 ? args[1] : "wasm-udfs/modules");
        String url = "jdbc:wasm:mem:spark-demo";
        try (Connection h2 = DriverManager.getConnection(url)) {
            try (Statement st = h2.createStatement()) {
                for (String m : MODULES) {
                    try (PreparedStatement ps = h2.prepareStatement("INSERT INTO wasm.modules(name, bytes) VALUES (?, ?)")) {
                        ps.setString(1, m);
                        ps.setBytes(2, Files.readAllBytes(modules.resolve(m + ".wasm")));
                        ps.executeUpdate();
                    }
                }
                for (String ddl : DDL) {
                    st.execute(ddl);
                }
                st.execute("CREATE TABLE demo AS SELECT X AS id, CAST(MOD(X * 7919, 100003) AS INT) AS k,"
                        + " CONCAT('Row ', X, ' — Grüße, Köln!') AS s FROM SYSTEM_RANGE(1, " + rows + ")");
            }
            System.out.printf("%,d generated rows; query:%n  %s%n%n", rows, QUERY);
            long t0 = System.nanoTime();
            List<String> inH2 = h2Rows(h2, QUERY);
            double h2Seconds = (System.nanoTime() - t0) / 1e9;

            SparkSession spark = SparkSession.builder().master("local[*]").appName("wasmudf spark-demo")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "4").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            try {
                List<String> registered = WasmFunctions.registerAll(spark, url);
                System.out.println("registered in Spark from " + url + ": " + registered);
                spark.range(1, rows + 1).selectExpr("id", "CAST(MOD(id * 7919, 100003) AS INT) AS k",
                        "CONCAT('Row ', id, ' — Grüße, Köln!') AS s").createOrReplaceTempView("demo");
                t0 = System.nanoTime();
                List<String> inSpark = new ArrayList<>();
                for (Row r : spark.sql(QUERY).collectAsList()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < r.length(); i++) {
                        cells.add(String.valueOf(r.get(i)));
                    }
                    inSpark.add(String.join(" | ", cells));
                }
                double sparkSeconds = (System.nanoTime() - t0) / 1e9;
                int width = Math.max(20, inH2.stream().mapToInt(String::length).max().orElse(0));
                System.out.printf("%n%-" + width + "s    %s%n", "H2 (jdbc:wasm:, " + String.format("%.1f s", h2Seconds) + ")",
                        "Spark " + spark.sparkContext().master() + " (" + String.format("%.1f s", sparkSeconds) + ")");
                for (int i = 0; i < Math.max(inH2.size(), inSpark.size()); i++) {
                    System.out.printf("%-" + width + "s    %s%n", i < inH2.size() ? inH2.get(i) : "", i < inSpark.size() ? inSpark.get(i) : "");
                }
                boolean same = inH2.equals(inSpark);
                System.out.println(same ? "\nthe same rows in both" : "\nTHE RESULTS DIFFER");
                if (!same) {
                    System.exit(1);
                }
            } finally {
                spark.stop();
            }
        }
    }

    private static List<String> h2Rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cells.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join(" | ", cells));
            }
        }
        return out;
    }
}
