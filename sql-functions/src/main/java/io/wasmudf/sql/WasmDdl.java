package io.wasmudf.sql;

/**
 * A statement of the wasm function DDL: {@link CreateFunction}, {@link DropFunction},
 * {@link FunctionGrant}, {@link AlterFunctionOwner}, {@link CommentOnFunction},
 * {@link AlterFunctionRename}, {@link AlterFunctionActions}, {@link CreateAggregate} or {@link DropAggregate}.
 */
public sealed interface WasmDdl permits CreateFunction, DropFunction, FunctionGrant, AlterFunctionOwner, CommentOnFunction, AlterFunctionRename,
        AlterFunctionActions, CreateAggregate, DropAggregate {

    /** The psql-style command tag, e.g. {@code CREATE FUNCTION}. */
    String commandTag();
}
