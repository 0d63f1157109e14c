package io.wasmudf.sql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed {@code CREATE [OR REPLACE] FUNCTION … LANGUAGE wasm}. {@code strict} is true for
 * {@code STRICT}/{@code RETURNS NULL ON NULL INPUT} (the default is {@code CALLED ON NULL INPUT},
 * as in PostgreSQL); the default volatility is {@code VOLATILE}. {@code limits} holds the
 * {@code SET wasm.… = value} clauses. {@code tableColumns} is null for a scalar function, else the
 * columns of {@code RETURNS TABLE (…)} or, for {@code RETURNS SETOF type}, one unnamed column
 * (PostgreSQL names it after the function); {@code returnType} is then the first column's type.
 * {@code nullInputDeclared} is false when the statement names no null-input behaviour: CREATE then
 * makes the function STRICT, with a NOTICE, if its export has the plain signature (docs/ABI.md).
 */
public record CreateFunction(
        boolean orReplace,
        QualifiedName name,
        List<FunctionParameter> parameters,
        SqlType returnType,
        Volatility volatility,
        boolean strict,
        ModuleSource source,
        FunctionLimits limits,
        List<FunctionParameter> tableColumns,
        boolean nullInputDeclared) implements WasmDdl {

    public CreateFunction {
        parameters = List.copyOf(parameters);
        limits = limits == null ? FunctionLimits.NONE : limits;
        tableColumns = tableColumns == null ? null : List.copyOf(tableColumns);
    }

    /** A declaration that names its null-input behaviour. */
    public CreateFunction(boolean orReplace, QualifiedName name, List<FunctionParameter> parameters, SqlType returnType,
                          Volatility volatility, boolean strict, ModuleSource source, FunctionLimits limits, List<FunctionParameter> tableColumns) {
        this(orReplace, name, parameters, returnType, volatility, strict, source, limits, tableColumns, true);
    }

    /** A scalar function's declaration. */
    public CreateFunction(boolean orReplace, QualifiedName name, List<FunctionParameter> parameters, SqlType returnType,
                          Volatility volatility, boolean strict, ModuleSource source, FunctionLimits limits) {
        this(orReplace, name, parameters, returnType, volatility, strict, source, limits, null);
    }

    /** A declaration without {@code SET wasm.…} clauses. */
    public CreateFunction(boolean orReplace, QualifiedName name, List<FunctionParameter> parameters, SqlType returnType,
                          Volatility volatility, boolean strict, ModuleSource source) {
        this(orReplace, name, parameters, returnType, volatility, strict, source, FunctionLimits.NONE, null);
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
        if (source instanceof ModuleSource.Inline i && i.exportName() != null) {
            return i.exportName();
        }
        if (source instanceof ModuleSource.BoundParameter b && b.exportName() != null) {
            return b.exportName();
        }
        return name.name().pgName();
    }

    /** This declaration with its null-input behaviour stated: {@code STRICT} or {@code CALLED ON NULL INPUT}. */
    public CreateFunction withStrict(boolean strict) {
        return new CreateFunction(orReplace, name, parameters, returnType, volatility, strict, source, limits, tableColumns, true);
    }

    /** The ABI this declaration requires of its export. */
    public AbiLayout abi() {
        return tableColumns == null ? AbiLayout.of(parameterTypes(), returnType, strict) : tableAbi(parameterTypes(), strict);
    }

    /**
     * The core signature of a table function's export: its arguments lowered as a scalar
     * function's, an {@code i32} pointer to its batch area as the result (docs/ABI.md) — the shape
     * of a function returning {@code bytea} through a return area, which is how it is checked.
     */
    public static AbiLayout tableAbi(List<SqlType> params, boolean strict) {
        return AbiLayout.of(params, SqlTypes.byName("bytea"), strict);
    }

    @Override
    public String commandTag() {
        return "CREATE FUNCTION";
    }
}
