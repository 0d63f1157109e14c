package io.wasmudf.spark;

import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.CreateFunction;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import io.wasmudf.sql.Volatility;
import io.wasmudf.engine.Grants;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What executors need to know of one scalar wasm function, in a serializable form: the codecs
 * ({@link SqlType}) are singletons looked up again by name on the executor, not shipped.
 *
 * @param name        the function's name (Spark registers it under this name)
 * @param paramTypes  the parameters' canonical SQL type names
 * @param returnType  the result's canonical SQL type name
 * @param strict      STRICT: NULL in any argument gives NULL without a call
 * @param volatility  IMMUTABLE and STABLE are deterministic for Spark
 * @param export      the export implementing the function
 * @param maxMemoryPages {@code wasm.max_memory} in pages, null for the default (64 MiB)
 * @param fuel        {@code wasm.fuel} per call, null or 0 for unmetered
 * @param timeoutMs   {@code wasm.timeout} per task, null or 0 for none
 * @param grants      {@code wasm.grants} text, null for the volatility's default
 */
record FunctionSpec(String name, List<String> paramTypes, String returnType, boolean strict, Volatility volatility,
                    String export, Integer maxMemoryPages, Long fuel, Long timeoutMs, String grants) implements Serializable {

    FunctionSpec {
        paramTypes = List.copyOf(paramTypes);
    }

    /** The spec of a parsed CREATE FUNCTION (a scalar one). */
    static FunctionSpec of(CreateFunction f) {
        FunctionLimits l = f.limits();
        return new FunctionSpec(f.name().name().pgName(), f.parameterTypes().stream().map(SqlType::sqlName).toList(),
                f.returnType().sqlName(), f.strict(), f.volatility(), f.exportName(), l.maxMemoryPages(), l.fuel(),
                l.timeout() == null ? null : l.timeout().toMillis(), l.grants() == null ? null : l.grants().toString());
    }

    List<SqlType> params() {
        return paramTypes.stream().map(SqlTypes::byName).toList();
    }

    SqlType result() {
        return SqlTypes.byName(returnType);
    }

    /** The canonical ABI the export must have (the module check may answer with its packed form). */
    AbiLayout abi() {
        return AbiLayout.of(params(), result(), strict);
    }

    /** The limits in force: the function's own, else the built-in defaults of the H2 side (64 MiB, unmetered, no timeout). */
    FunctionLimits limits() {
        Grants g = grants == null ? null : Grants.parse(grants, Grants.NONE);
        return new FunctionLimits(maxMemoryPages, fuel, timeoutMs == null ? null : Duration.ofMillis(timeoutMs), g)
                .orElse(new FunctionLimits(1024, 0L, Duration.ZERO)).withGrantsFor(volatility);
    }

    boolean deterministic() {
        return volatility != Volatility.VOLATILE;
    }

    /** How messages name the function, as the H2 side does: {@code name(types)}. */
    String display() {
        return name + "(" + String.join(", ", paramTypes) + ")";
    }
}
