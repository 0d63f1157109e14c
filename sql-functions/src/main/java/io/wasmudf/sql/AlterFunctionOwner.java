package io.wasmudf.sql;

/** A parsed {@code ALTER FUNCTION name [(argtypes)] OWNER TO role}; the role as written (CURRENT_USER… keep their meaning). */
public record AlterFunctionOwner(DropFunction.Target target, Identifier newOwner) implements WasmDdl {

    @Override
    public String commandTag() {
        return "ALTER FUNCTION";
    }
}
