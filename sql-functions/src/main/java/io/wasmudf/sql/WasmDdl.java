package io.wasmudf.sql;

/** A statement of the wasm function DDL: {@link CreateFunction}, {@link DropFunction}, {@link FunctionGrant}, {@link AlterFunctionOwner}. */
public sealed interface WasmDdl permits CreateFunction, DropFunction, FunctionGrant, AlterFunctionOwner {

    /** The psql-style command tag, e.g. {@code CREATE FUNCTION}. */
    String commandTag();
}
