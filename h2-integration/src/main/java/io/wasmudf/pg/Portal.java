package io.wasmudf.pg;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;

/** A bound statement ready to run; keeps an open cursor between Execute messages with row limits. */
final class Portal implements AutoCloseable {
    final Prepared prepared;
    final Object[] params;
    final short[] resultFormats;
    /** Open JDBC cursor of a suspended portal. */
    ResultSet resultSet;
    /** Remaining rows of a suspended local statement. */
    Iterator<Object[]> localRows;
    List<Column> columns;
    long rowCount;
    boolean started;
    /** The CommandComplete tag once the portal ran to completion. */
    String completedTag;

    Portal(Prepared prepared, Object[] params, short[] resultFormats) {
        this.prepared = prepared;
        this.params = params;
        this.resultFormats = resultFormats;
    }

    /** The per-column format codes for n columns, expanding the Bind shorthand forms. */
    short[] formats(int n) {
        short[] f = new short[n];
        if (resultFormats.length == 1) {
            java.util.Arrays.fill(f, resultFormats[0]);
        } else if (resultFormats.length == n) {
            System.arraycopy(resultFormats, 0, f, 0, n);
        }
        return f;
    }

    @Override
    public void close() {
        if (resultSet != null) {
            try {
                resultSet.close();
            } catch (SQLException ignored) {
                // the cursor dies with its connection anyway
            }
            resultSet = null;
        }
        localRows = null;
    }
}
