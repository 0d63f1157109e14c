package io.wasmudf.sql;

/**
 * A statement of the wasm function DDL: {@link CreateFunction}, {@link DropFunction},
 * {@link CommentOnFunction} or {@link AlterFunctionRename}.
 */
public sealed interface WasmDdl permits CreateFunction, DropFunction, CommentOnFunction, AlterFunctionRename {

    /** The psql-style command tag, e.g. {@code CREATE FUNCTION}. */
    String commandTag();
}
