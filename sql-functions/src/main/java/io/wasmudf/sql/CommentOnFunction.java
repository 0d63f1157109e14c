package io.wasmudf.sql;

/**
 * A parsed {@code COMMENT ON FUNCTION name [(argtypes)] IS 'text' | NULL}; {@code comment} null
 * (or empty, as in PostgreSQL) removes the description.
 */
public record CommentOnFunction(DropFunction.Target target, String comment) implements WasmDdl {

    @Override
    public String commandTag() {
        return "COMMENT";
    }
}
