package io.wasmudf.sql;

/**
 * A statement of the wasm function DDL: {@link CreateFunction}, {@link DropFunction},
 * {@link FunctionGrant}, {@link AlterFunctionOwner}, {@link CommentOnFunction} or {@link AlterFunctionRename}.
 */
public sealed interface WasmDdl permits CreateFunction, DropFunction, FunctionGrant, AlterFunctionOwner, CommentOnFunction, AlterFunctionRename {

    /** The psql-style command tag, e.g. {@code CREATE FUNCTION}. */
    String commandTag();
}
