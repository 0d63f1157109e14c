package io.wasmudf.pg;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** A parsed statement: either one the server answers itself or a JDBC prepared statement. */
final class Prepared implements AutoCloseable {
    final String sql;
    /** Parameter type OIDs: those declared in Parse, completed from the statement's own metadata. */
    final int[] paramOids;
    /** Per parameter: the client gave its type in Parse (otherwise it was inferred from the statement). */
    final boolean[] declared;
    final LocalStatement local;
    final PreparedStatement jdbc;
    final SqlText.Placeholders placeholders;
    final boolean empty;
    private List<Column> columns;

    Prepared(String sql, int[] paramOids, LocalStatement local, PreparedStatement jdbc, SqlText.Placeholders placeholders, boolean empty) {
        this.sql = sql;
        this.paramOids = paramOids;
        this.declared = new boolean[paramOids.length];
        this.local = local;
        this.jdbc = jdbc;
        this.placeholders = placeholders;
        this.empty = empty;
    }

    /** The result columns, or an empty list when the statement returns no rows. */
    List<Column> columns(boolean foldUpper) throws SQLException {
        if (columns == null) {
            if (local != null) {
                columns = local.columns();
            } else if (jdbc != null) {
                columns = Results.declaredResultTypes(Results.labelLikePostgres(Results.columns(jdbc.getMetaData(), foldUpper), sql), sql,
                        jdbc.getConnection());
            } else {
                columns = List.of();
            }
        }
        return columns;
    }

    @Override
    public void close() {
        if (jdbc != null) {
            try {
                jdbc.close();
            } catch (SQLException ignored) {
                // closing a statement of a broken connection: nothing left to release
            }
        }
    }
}
