package io.wasmudf.sql;

/** A statement of the wasm function DDL: {@link CreateFunction} or {@link DropFunction}. */
public sealed interface WasmDdl permits CreateFunction, DropFunction {

    /** The psql-style command tag, e.g. {@code CREATE FUNCTION}. */
    String commandTag();
}
