package io.wasmudf.spark;

import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.CreateFunction;
import io.wasmudf.sql.FunctionDdlParser;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.types.StructType;
import io.wasmudf.sql.WasmDdl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.sql.api.java.UDF8;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.expressions.SparkUserDefinedFunction;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.Function1;
import scala.Option;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Registers wasm functions as Spark SQL UDFs, from the same PostgreSQL DDL or from a WasmUDF database. */
public final class WasmFunctions {
    /** Spark's Java UDF interfaces go to 22 arguments; these are the ones wired up here (a {@link WasmExpression} takes any number). */
    static final int MAX_ARGS = 8;

    /** Off only to measure the Java UDF path against the expression path in one run (SparkUdfBenchmark). */
    static volatile boolean expressionPath = true;

    private WasmFunctions() {}

    /**
     * Registers the scalar function {@code createFunctionDdl} defines ({@code CREATE FUNCTION …
     * LANGUAGE wasm …}, its {@code AS} clause naming the export) with {@code module} as its code;
     * returns the name it is registered under. The module is compiled and checked here, so a
     * mismatch fails now (42P13), not in a task.
     */
    public static String register(SparkSession spark, byte[] module, String createFunctionDdl) throws SQLException {
        WasmDdl ddl = FunctionDdlParser.parse(createFunctionDdl);
        if (!(ddl instanceof CreateFunction f)) {
            throw SqlStates.error(SqlStates.SYNTAX_ERROR, "expected CREATE FUNCTION … LANGUAGE wasm, got " + ddl.commandTag());
        }
        if (f.tableColumns() != null) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "function " + f.name().name().pgName()
                    + ": table functions (RETURNS TABLE / SETOF) are not supported in Spark yet");
        }
        FunctionSpec spec = FunctionSpec.of(f);
        return register(spark, broadcast(spark, module), module, spec);
    }

    /**
     * Registers every scalar function of the WasmUDF database at {@code jdbcUrl} ({@code
     * jdbc:wasm:file:…} embedded, or {@code jdbc:postgresql://…} to its wire server), with its
     * volatility, strictness and limits; returns the names registered. Functions Spark cannot
     * take yet (a type without a Spark mapping, more than {@value #MAX_ARGS} arguments, table
     * functions) are left out of the list; a module that fails its check fails the call. Aggregates
     * ({@code wasm.aggregates}) register as Spark {@code Aggregator}s ({@link WasmAggregator})
     * when Spark can take their types and support functions.
     */
    public static List<String> registerAll(SparkSession spark, String jdbcUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            return registerAll(spark, c);
        }
    }

    /** {@link #registerAll(SparkSession, String)} over an open connection (for credentials and pools). */
    public static List<String> registerAll(SparkSession spark, Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        java.util.Map<String, Broadcast<byte[]>> shipped = new java.util.HashMap<>();
        java.util.Map<Long, CatalogFunctions.Entry> byId = new java.util.HashMap<>();
        for (CatalogFunctions.Entry e : CatalogFunctions.read(c)) {
            byId.put(e.id(), e);
            if (!supported(e.spec())) {
                continue; // a type without a Spark mapping yet (interval, arrays): the others still register
            }
            Broadcast<byte[]> b = shipped.computeIfAbsent(e.moduleName(), m -> broadcast(spark, e.module()));
            names.add(register(spark, b, e.module(), e.spec()));
        }
        for (CatalogAggregates.Entry a : CatalogAggregates.read(c)) {
            WasmAggregator agg = aggregator(spark, a, byId, shipped);
            if (agg == null) {
                continue; // a type without a Spark mapping, or a support function Spark cannot take
            }
            StructType input = new StructType();
            for (int i = 0; i < a.argTypes().size(); i++) {
                input = input.add("_" + (i + 1), SparkTypes.of(SqlTypes.byName(a.argTypes().get(i)), a.name()));
            }
            UserDefinedFunction udaf = functions.udaf(agg, Encoders.row(input));
            if (!byId.get(a.sfunc()).spec().deterministic()) {
                udaf = udaf.asNondeterministic();
            }
            spark.udf().register(a.name(), udaf);
            names.add(a.name());
        }
        return names;
    }

    /** The aggregator of a stored aggregate, its support functions checked against their modules; null when Spark cannot take it. */
    private static WasmAggregator aggregator(SparkSession spark, CatalogAggregates.Entry a, java.util.Map<Long, CatalogFunctions.Entry> byId,
                                             java.util.Map<String, Broadcast<byte[]>> shipped) throws SQLException {
        if (!CatalogAggregates.known(a)) {
            return null;
        }
        List<String> types = new ArrayList<>(a.argTypes());
        types.add(a.stype());
        types.add(a.resultType());
        for (String t : types) {
            if (!SparkTypes.mapped(SqlTypes.byName(t))) {
                return null;
            }
        }
        WasmCall[] calls = new WasmCall[3];
        long[] ids = {a.sfunc(), a.finalFunc(), a.combineFunc()};
        for (int i = 0; i < 3; i++) {
            if (ids[i] == 0) {
                continue;
            }
            CatalogFunctions.Entry f = byId.get(ids[i]);
            if (f == null || f.spec().params().stream().anyMatch(t -> !SparkTypes.mapped(t)) || !SparkTypes.mapped(f.spec().result())) {
                return null;
            }
            GuestCall.create(f.spec(), f.module()).close(); // the module check, on the driver
            calls[i] = new WasmCall(f.spec(), shipped.computeIfAbsent(f.moduleName(), m -> broadcast(spark, f.module())));
        }
        if (calls[0] == null) {
            return null;
        }
        WasmAggregator agg = new WasmAggregator(a.name(), a.argTypes(), a.stype(), a.resultType(), a.initCond(), calls[0], calls[1], calls[2]);
        agg.check();
        return agg;
    }

    private static boolean supported(FunctionSpec spec) {
        try {
            for (SqlType t : spec.params()) {
                SparkTypes.of(t, spec.display());
            }
            SparkTypes.of(spec.result(), spec.display());
            return spec.params().size() <= MAX_ARGS || WasmExpression.supports(spec, spec.abi());
        } catch (SQLException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Broadcast<byte[]> broadcast(SparkSession spark, byte[] module) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(module.clone());
    }

    private static String register(SparkSession spark, Broadcast<byte[]> shipped, byte[] module, FunctionSpec spec) throws SQLException {
        // fail on the driver for what would fail in every task
        List<SqlType> params = spec.params();
        if (params.size() > MAX_ARGS && !WasmExpression.supports(spec, spec.abi())) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "function " + spec.display() + ": more than " + MAX_ARGS
                    + " arguments are not supported in Spark yet");
        }
        for (SqlType t : params) {
            SparkTypes.of(t, spec.display());
        }
        DataType result = SparkTypes.of(spec.result(), spec.display());
        io.wasmudf.engine.CompiledModule compiled = GuestCall.compile(spec, module);
        GuestCall.create(spec, compiled).close();
        AbiLayout abi = GuestCall.check(spec, compiled);
        if (expressionPath && WasmExpression.supports(spec, abi)) {
            // the fast path: an expression of its own, its generated code calling the export directly
            String exportClass = ExportClasses.name(spec, module);
            ExportClasses.define(exportClass, compiled, spec, abi);
            WasmCall call = new WasmCall(spec, shipped, exportClass);
            int arity = params.size();
            Function1<Seq<Expression>, Expression> builder = args -> {
                if (args.size() != arity) {
                    throw new IllegalArgumentException("function " + spec.display() + " takes " + arity + " argument" + (arity == 1 ? "" : "s")
                            + ", got " + args.size());
                }
                return new WasmExpression(call, args);
            };
            spark.sessionState().functionRegistry().createOrReplaceTempFunction(spec.name(), builder, "scala_udf");
            return spec.name();
        }
        UserDefinedFunction udf = withInputTypes(udf(new WasmCall(spec, shipped), params.size(), result), params);
        if (!spec.deterministic()) {
            udf = udf.asNondeterministic();
        }
        spark.udf().register(spec.name(), udf);
        return spec.name();
    }

    /** The UDF with its parameters' Spark types declared, so Spark casts arguments to them (Java UDFs declare none). */
    private static UserDefinedFunction withInputTypes(UserDefinedFunction udf, List<SqlType> params) {
        SparkUserDefinedFunction s = (SparkUserDefinedFunction) udf;
        List<Option<ExpressionEncoder<?>>> encoders = new ArrayList<>();
        for (SqlType t : params) {
            encoders.add(Option.apply(SparkTypes.encoder(t)));
        }
        return s.copy(s.f(), s.dataType(), CollectionConverters.asScala(encoders).toSeq(), s.outputEncoder(), Option.empty(),
                s.nullable(), s.deterministic());
    }

    private static UserDefinedFunction udf(WasmCall c, int arity, DataType result) {
        return switch (arity) {
            case 0 -> functions.udf((UDF0<Object>) () -> c.call(), result);
            case 1 -> functions.udf((UDF1<Object, Object>) c::call, result);
            case 2 -> functions.udf((UDF2<Object, Object, Object>) c::call, result);
            case 3 -> functions.udf((UDF3<Object, Object, Object, Object>) c::call, result);
            case 4 -> functions.udf((UDF4<Object, Object, Object, Object, Object>) c::call, result);
            case 5 -> functions.udf((UDF5<Object, Object, Object, Object, Object, Object>) c::call, result);
            case 6 -> functions.udf((UDF6<Object, Object, Object, Object, Object, Object, Object>) c::call, result);
            case 7 -> functions.udf((UDF7<Object, Object, Object, Object, Object, Object, Object, Object>) c::call, result);
            case 8 -> functions.udf((UDF8<Object, Object, Object, Object, Object, Object, Object, Object, Object>) c::call, result);
            default -> throw new IllegalArgumentException("arity " + arity);
        };
    }
}
