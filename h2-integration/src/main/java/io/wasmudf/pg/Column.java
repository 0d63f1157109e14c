package io.wasmudf.pg;

/** One result column as sent in RowDescription. */
record Column(String name, PgType type, int typmod) {
    Column(String name, PgType type) {
        this(name, type, -1);
    }
}
