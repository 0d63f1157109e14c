package io.wasmudf.sql;

/** A statement of the wasm function DDL: {@link CreateFunction}, {@link DropFunction} or {@link CommentOnFunction}. */
public sealed interface WasmDdl permits CreateFunction, DropFunction, CommentOnFunction {

    /** The psql-style command tag, e.g. {@code CREATE FUNCTION}. */
    String commandTag();
}
