package io.wasmudf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wasmudf.udfs.UdfModules;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Per-row cost of a wasm UDF against the same logic as a Spark Java UDF, in one run, and rows/s on
 * 1 and 2 cores. Behind a flag (it takes about a minute): {@code mvn test -pl spark-integration
 * -Dtest=SparkUdfBenchmark -Dwasmudf.spark.bench=10000000}. Prints one line per configuration.
 */
class SparkUdfBenchmark {
    private static final String HYPOT_DDL = "CREATE FUNCTION hypot(x double precision, y double precision) RETURNS double precision"
            + " LANGUAGE wasm IMMUTABLE STRICT AS 'math', 'hypot'";
    private static final String ADD_DDL = "CREATE FUNCTION add_i32(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT"
            + " AS 'math', 'add_i32'";

    @Test
    void wasmUdfAgainstJavaUdf() throws Exception {
        long rows = Long.getLong("wasmudf.spark.bench", 0);
        Assumptions.assumeTrue(rows > 0, "set -Dwasmudf.spark.bench=<rows> to run");
        for (int cores : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("bench")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            try {
                WasmFunctions.register(spark, UdfModules.bytes("math"), HYPOT_DDL);
                WasmFunctions.register(spark, UdfModules.bytes("math"), ADD_DDL);
                spark.udf().register("j_hypot", (UDF2<Double, Double, Double>) Math::hypot, DataTypes.DoubleType);
                spark.udf().register("j_add_i32", (UDF2<Integer, Integer, Integer>) (a, b) -> a + b, DataTypes.IntegerType);
                spark.range(rows).selectExpr("cast(id as int) AS i", "cast(id as double) AS x").repartition(cores).cache()
                        .createOrReplaceTempView("r");
                spark.sql("SELECT count(*) FROM r").collectAsList();
                for (String[] pair : new String[][] {{"add_i32", "sum(%s(i, 1))"}, {"hypot", "sum(%s(x, 3.0D))"}}) {
                    String wasmSql = "SELECT " + String.format(pair[1], pair[0]) + " FROM r";
                    String javaSql = "SELECT " + String.format(pair[1], "j_" + pair[0]) + " FROM r";
                    String plainSql = pair[0].equals("add_i32") ? "SELECT sum(i + 1) FROM r" : "SELECT sum(hypot(x, 3.0D)) FROM r";
                    // warm-up, and the two must agree
                    assertEquals(spark.sql(javaSql).first().get(0), spark.sql(wasmSql).first().get(0));
                    double wasm = best(spark, wasmSql);
                    double java = best(spark, javaSql);
                    double builtin = best(spark, plainSql);
                    System.out.printf("spark local[%d] %s over %,d rows: wasm UDF %.0f ms (%.1f M rows/s), Java UDF %.0f ms, built-in %.0f ms;"
                            + " wasm/Java %.2fx%n", cores, pair[0], rows, wasm, rows / wasm / 1000, java, builtin, wasm / java);
                }
            } finally {
                spark.stop();
            }
        }
    }

    /** The per-row cost of the wasm side alone (no Spark): where the gap to the Java UDF is. */
    @Test
    void guestCallAlone() throws Exception {
        long rows = Long.getLong("wasmudf.spark.bench", 0);
        Assumptions.assumeTrue(rows > 0, "set -Dwasmudf.spark.bench=<rows> to run");
        FunctionSpec spec = FunctionSpec.of((io.wasmudf.sql.CreateFunction) io.wasmudf.sql.FunctionDdlParser.parse(ADD_DDL));
        GuestCall g = GuestCall.create(spec, UdfModules.bytes("math"));
        g.beginTask();
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            long sum = 0;
            for (int i = 0; i < rows; i++) {
                sum += (Integer) g.call(new Object[] {i, 1});
            }
            double ns = (System.nanoTime() - t0) / (double) rows;
            System.out.printf("guest call alone, add_i32: %.1f ns/row (sum %d)%n", ns, sum);
        }
        g.close();
    }

    private static double best(SparkSession spark, String sql) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            spark.sql(sql).collectAsList();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }
}
