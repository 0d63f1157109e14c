package io.wasmudf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wasmudf.udfs.UdfModules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Spark row of the benchmark: per-row cost of a wasm function against the same logic as a
 * Spark Java UDF over the same cached rows, in one run (integer: {@code add_i32}; text:
 * {@code reverse_text}, text in and out), judged by the median of three same-run ratios; and rows/s
 * of the wasm function on {@code local[1]} and {@code local[2]}. The same functions registered
 * through the Java UDF path (the path before {@link WasmExpression}) run in the same rounds, so the
 * split of the gain is measured too. Behind a flag (a few minutes):
 * {@code mvn test -pl spark-integration -Dtest=SparkUdfBenchmark -Dwasmudf.spark.bench=10000000}.
 * Prints one line per workload and core count, and the load average, since the machine is shared.
 */
class SparkUdfBenchmark {
    private static final String ADD_DDL = "CREATE FUNCTION add_i32(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT"
            + " AS 'math', 'add_i32'";
    private static final String REVERSE_DDL = "CREATE FUNCTION reverse_text(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT"
            + " AS 'strings', 'reverse_text'";

    /** name, query with %s for the function, check query with %s (the two sides must agree on it). */
    private static final String[][] WORKLOADS = {
        {"add_i32", "SELECT sum(%s(i, 1)) FROM r", "SELECT sum(%s(i, 1)) FROM r"},
        {"reverse_text", "SELECT sum(length(%s(s))) FROM r", "SELECT sum(hash(%s(s))) FROM r"},
    };

    @Test
    void wasmFunctionAgainstJavaUdf() throws Exception {
        long rows = Long.getLong("wasmudf.spark.bench", 0);
        Assumptions.assumeTrue(rows > 0, "set -Dwasmudf.spark.bench=<rows> to run");
        double[][] wasmRowsPerSec = new double[WORKLOADS.length][3];
        for (int cores : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("bench")
                    .config("spark.ui.enabled", "false").config("spark.sql.codegen.fallback", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            try {
                WasmFunctions.register(spark, UdfModules.bytes("math"), ADD_DDL);
                WasmFunctions.register(spark, UdfModules.bytes("strings"), REVERSE_DDL);
                // the same functions through the Java UDF path (as before WasmExpression), for the split of the gain
                WasmFunctions.expressionPath = false;
                try {
                    WasmFunctions.register(spark, UdfModules.bytes("math"), ADD_DDL.replace(" add_i32(", " u_add_i32("));
                    WasmFunctions.register(spark, UdfModules.bytes("strings"), REVERSE_DDL.replace(" reverse_text(", " u_reverse_text("));
                } finally {
                    WasmFunctions.expressionPath = true;
                }
                spark.udf().register("j_add_i32", (UDF2<Integer, Integer, Integer>) (a, b) -> a + b, DataTypes.IntegerType);
                spark.udf().register("j_reverse_text", (UDF1<String, String>) s -> new StringBuilder(s).reverse().toString(),
                        DataTypes.StringType);
                // two partitions per core, so local[2] has work for both task threads
                spark.range(rows).selectExpr("cast(id as int) AS i", "concat('row ', id, ' grüße ', id % 977) AS s")
                        .repartition(2 * cores).cache().createOrReplaceTempView("r");
                spark.sql("SELECT count(*) FROM r").collectAsList();
                for (int w = 0; w < WORKLOADS.length; w++) {
                    String[] wl = WORKLOADS[w];
                    assertEquals(spark.sql(String.format(wl[2], "j_" + wl[0])).first().get(0),
                            spark.sql(String.format(wl[2], wl[0])).first().get(0), wl[0] + ": wasm and Java agree");
                    double[] wasm = new double[3];
                    double[] java = new double[3];
                    double[] udf = new double[3];
                    double[] ratio = new double[3];
                    double[] udfRatio = new double[3];
                    for (int round = 0; round < 3; round++) {
                        wasm[round] = time(spark, String.format(wl[1], wl[0]));
                        java[round] = time(spark, String.format(wl[1], "j_" + wl[0]));
                        udf[round] = time(spark, String.format(wl[1], "u_" + wl[0]));
                        ratio[round] = wasm[round] / java[round];
                        udfRatio[round] = udf[round] / java[round];
                    }
                    double wasmMs = median(wasm);
                    wasmRowsPerSec[w][cores] = rows / wasmMs * 1000;
                    System.out.printf("spark local[%d] %s over %,d rows: wasm %.0f ms (%.1f M rows/s), Java UDF %.0f ms (%.1f M rows/s);"
                            + " wasm/Java ratios %s, median %.2fx; load average %s%n", cores, wl[0], rows, wasmMs, rows / wasmMs / 1000,
                            median(java), rows / median(java) / 1000, round2(ratio), median(ratio), load());
                    System.out.printf("spark local[%d] %s as a Java UDF (the path before WasmExpression): %.0f ms; udf/Java ratios %s,"
                            + " median %.2fx%n", cores, wl[0], median(udf), round2(udfRatio), median(udfRatio));
                }
            } finally {
                spark.stop();
            }
        }
        for (int w = 0; w < WORKLOADS.length; w++) {
            System.out.printf("spark scaling %s: local[1] %.1f M rows/s, local[2] %.1f M rows/s, %.2fx; load average %s%n", WORKLOADS[w][0],
                    wasmRowsPerSec[w][1] / 1e6, wasmRowsPerSec[w][2] / 1e6, wasmRowsPerSec[w][2] / wasmRowsPerSec[w][1], load());
        }
    }

    /** One run of {@code sql} after one warm-up run, in ms. */
    private static double time(SparkSession spark, String sql) {
        spark.sql(sql).collectAsList();
        long t0 = System.nanoTime();
        spark.sql(sql).collectAsList();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static List<Double> round2(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double d : v) {
            out.add(Math.round(d * 100) / 100.0);
        }
        return out;
    }

    private static String load() {
        try {
            return String.join(" ", Arrays.asList(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
