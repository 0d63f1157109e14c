package io.wasmudf.pg;

import java.sql.SQLException;
import java.util.List;

/** A statement the server answers itself (session commands, catalog introspection). */
interface LocalStatement {
    /** The result columns; empty when the statement returns no rows. */
    List<Column> columns();

    /** Runs the statement with the bound parameters (already decoded). */
    Result execute(Object[] params) throws SQLException;

    /** Rows (values matching {@link #columns()}) and the CommandComplete tag. */
    record Result(List<Object[]> rows, String tag, PgError notice) {
        Result(List<Object[]> rows, String tag) {
            this(rows, tag, null);
        }

        static Result of(String tag) {
            return new Result(List.of(), tag);
        }

        /** A result with a WARNING notice, for conditions PostgreSQL does not treat as errors. */
        static Result warning(String tag, String sqlState, String message) {
            return new Result(List.of(), tag, new PgError("WARNING", sqlState, message, null, null, 0));
        }

        static Result rows(List<Object[]> rows) {
            return new Result(rows, "SELECT " + rows.size());
        }
    }

    /** A fixed-shape statement built from a lambda. */
    interface Body {
        Result run(Object[] params) throws SQLException;
    }

    static LocalStatement of(List<Column> columns, Body body) {
        return new LocalStatement() {
            @Override
            public List<Column> columns() {
                return columns;
            }

            @Override
            public Result execute(Object[] params) throws SQLException {
                return body.run(params);
            }
        };
    }
}
