package io.wasmudf.sql;

/** One declared parameter of a function; {@code name} is null when the DDL gave none. */
public record FunctionParameter(String name, SqlType type) {

    @Override
    public String toString() {
        return name == null ? type.sqlName() : name + " " + type.sqlName();
    }
}
