package io.wasmudf.pg;

/** One result column as sent in RowDescription. */
record Column(String name, PgType type, int typmod) {
    Column(String name, PgType type) {
        this(name, type, -1);
    }

    /** One text column per select item, labelled as PostgreSQL labels it (answers computed per item). */
    static java.util.List<Column> texts(java.util.List<SelectList.Item> items) {
        java.util.List<Column> cols = new java.util.ArrayList<>();
        for (SelectList.Item it : items) {
            cols.add(new Column(it.label(), PgType.TEXT));
        }
        return cols;
    }
}
