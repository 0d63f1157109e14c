package io.wasmudf.sql;

/** A function name with an optional schema ({@code schema} is null when absent). */
public record QualifiedName(Identifier schema, Identifier name) {

    @Override
    public String toString() {
        return schema == null ? name.toString() : schema + "." + name;
    }
}
