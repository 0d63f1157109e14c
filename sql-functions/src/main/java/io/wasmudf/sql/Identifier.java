package io.wasmudf.sql;

import java.util.Locale;

/** An SQL identifier as written: {@code quoted} ones keep their case, others are folded by the database. */
public record Identifier(String text, boolean quoted) {

    /** The name PostgreSQL would use: unquoted identifiers fold to lower case. */
    public String pgName() {
        return quoted ? text : text.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return quoted ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
