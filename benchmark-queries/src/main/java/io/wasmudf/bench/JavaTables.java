package io.wasmudf.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.h2.tools.SimpleResultSet;

/** The Java peer of the wasm table function {@code series(n) RETURNS SETOF integer} (tables.c): an H2 alias returning a ResultSet. */
public final class JavaTables {
    private JavaTables() {}

    public static ResultSet series(Connection c, int n) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet();
        rs.addColumn("SERIES", Types.INTEGER, 0, 0);
        if ("jdbc:columnlist:connection".equals(c.getMetaData().getURL())) {
            return rs;
        }
        for (int i = 1; i <= n; i++) {
            rs.addRow(i);
        }
        return rs;
    }
}
