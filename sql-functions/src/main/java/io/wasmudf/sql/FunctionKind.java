package io.wasmudf.sql;

import java.util.Locale;

/** What a wasm function is to SQL: PostgreSQL's {@code prokind} f (scalar), a (aggregate), and set-returning functions. */
public enum FunctionKind {
    /** One value per call ({@code CREATE FUNCTION … RETURNS type}). */
    SCALAR,
    /** An aggregate over rows ({@code CREATE AGGREGATE}); aggregates are kept in {@code wasm.aggregates}, not as functions of this kind. */
    AGGREGATE,
    /** Rows per call ({@code RETURNS TABLE}, {@code RETURNS SETOF}); columns in {@code wasm.function_columns}. */
    TABLE;

    /** The catalog's spelling, e.g. {@code scalar}. */
    public String catalogName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind stored as {@code name} ({@link #catalogName()}). */
    public static FunctionKind fromCatalog(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
