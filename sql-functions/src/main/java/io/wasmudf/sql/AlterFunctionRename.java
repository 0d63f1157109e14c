package io.wasmudf.sql;

/** A parsed {@code ALTER FUNCTION name [(argtypes)] RENAME TO new_name} (the function stays in its schema). */
public record AlterFunctionRename(DropFunction.Target target, Identifier newName) implements WasmDdl {

    @Override
    public String commandTag() {
        return "ALTER FUNCTION";
    }
}
