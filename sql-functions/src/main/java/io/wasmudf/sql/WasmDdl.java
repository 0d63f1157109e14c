package io.wasmudf.sql;

/** A statement of the wasm function DDL: {@link CreateFunction}, {@link DropFunction} or {@link FunctionGrant}. */
public sealed interface WasmDdl permits CreateFunction, DropFunction, FunctionGrant {

    /** The psql-style command tag, e.g. {@code CREATE FUNCTION}. */
    String commandTag();
}
