package io.wasmudf.sql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed {@code CREATE [OR REPLACE] FUNCTION … LANGUAGE wasm}. {@code strict} is true for
 * {@code STRICT}/{@code RETURNS NULL ON NULL INPUT} (the default is {@code CALLED ON NULL INPUT},
 * as in PostgreSQL); the default volatility is {@code VOLATILE}. {@code limits} holds the
 * {@code SET wasm.… = value} clauses.
 */
public record CreateFunction(
        boolean orReplace,
        QualifiedName name,
        List<FunctionParameter> parameters,
        SqlType returnType,
        Volatility volatility,
        boolean strict,
        ModuleSource source,
        FunctionLimits limits) implements WasmDdl {

    public CreateFunction {
        parameters = List.copyOf(parameters);
        limits = limits == null ? FunctionLimits.NONE : limits;
    }

    /** A declaration without {@code SET wasm.…} clauses. */
    public CreateFunction(boolean orReplace, QualifiedName name, List<FunctionParameter> parameters, SqlType returnType,
                          Volatility volatility, boolean strict, ModuleSource source) {
        this(orReplace, name, parameters, returnType, volatility, strict, source, FunctionLimits.NONE);
    }

    /** The parameter types in order. */
    public List<SqlType> parameterTypes() {
        return parameters.stream().map(FunctionParameter::type).collect(Collectors.toList());
    }

    /** The export implementing this function: named in the AS clause, else the function's name. */
    public String exportName() {
        if (source instanceof ModuleSource.CatalogModule m && m.exportName() != null) {
            return m.exportName();
        }
        if (source instanceof ModuleSource.Text t && t.exportName() != null) {
            return t.exportName();
        }
        return name.name().pgName();
    }

    /** The ABI this declaration requires of its export. */
    public AbiLayout abi() {
        return AbiLayout.of(parameterTypes(), returnType, strict);
    }

    @Override
    public String commandTag() {
        return "CREATE FUNCTION";
    }
}
