package io.wasmudf.h2;

import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.FunctionKind;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.FunctionParameter;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.Volatility;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One wasm function as the catalog ({@code wasm.functions}, {@code wasm.function_args}) records
 * it: what its bridge class looks up by {@link #id} and {@link #version} instead of carrying it.
 *
 * @param id           stable within the database; survives {@code CREATE OR REPLACE}
 * @param version      bumped by every {@code CREATE OR REPLACE}, so the replacement gets a new bridge class
 * @param schema       the schema as H2 stores its name, e.g. {@code PUBLIC}
 * @param name         the name as H2 stores it, e.g. {@code SLUGIFY}
 * @param display      the name as messages show it, e.g. {@code slugify} or {@code app.slugify}
 * @param kind         scalar, or table (RETURNS TABLE/SETOF: {@link #result} is its first column's type, the columns are in {@link TableFunctions})
 * @param owner        the user who created it (H2 user name)
 * @param params       the parameters in order
 * @param result       the result type
 * @param strict       STRICT (plain values) or CALLED ON NULL INPUT ({@code option<T>})
 * @param volatility   IMMUTABLE functions are deterministic aliases
 * @param module       {@code wasm.modules.name}
 * @param sha256       the module content the function was checked against
 * @param export       the export implementing it
 * @param limits       its own {@code SET wasm.…} limits (unset ones inherit)
 * @param packedResult the export returns its option result packed into an i64
 * @param v128Values   the export takes and returns its uuid and bytea values as v128 ({@link AbiLayout#vectorForm})
 * @param acl          access list; null = the default (PUBLIC may execute, as in PostgreSQL)
 */
record FunctionDef(long id, int version, String schema, String name, String display, FunctionKind kind, String owner,
                   List<FunctionParameter> params, SqlType result, boolean strict, Volatility volatility, String module, String sha256,
                   String export, FunctionLimits limits, boolean packedResult, boolean v128Values, String acl) {

    FunctionDef {
        params = List.copyOf(params);
        limits = limits == null ? FunctionLimits.NONE : limits;
    }

    /** The parameter types in order. */
    List<SqlType> paramTypes() {
        return params.stream().map(FunctionParameter::type).collect(Collectors.toList());
    }

    /** The ABI layout of its export. */
    AbiLayout abi() {
        if (kind == FunctionKind.TABLE) {
            return io.wasmudf.sql.CreateFunction.tableAbi(paramTypes(), strict);
        }
        AbiLayout abi = AbiLayout.of(paramTypes(), result, strict, packedResult);
        return v128Values && abi.vectorForm() != null ? abi.vectorForm() : abi;
    }

    /** {@code a integer, b text}, like {@code pg_get_function_arguments}. */
    String argumentsText() {
        return params.stream().map(FunctionParameter::toString).collect(Collectors.joining(", "));
    }

    /** This definition as version {@code v} of function {@code id}. */
    FunctionDef withIdentity(long newId, int v) {
        return new FunctionDef(newId, v, schema, name, display, kind, owner, params, result, strict, volatility, module, sha256, export,
                limits, packedResult, v128Values, acl);
    }
}
