package io.wasmudf.spark;

import io.wasmudf.sql.SqlTypes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the aggregates of a WasmUDF catalog ({@code wasm.aggregates}, CREATE AGGREGATE): their
 * support functions are scalar functions referred to by id ({@link CatalogFunctions.Entry#id}).
 */
final class CatalogAggregates {
    private CatalogAggregates() {}

    /** One aggregate as stored: ids of its support functions, 0 for none; {@code initCond} the INITCOND text or null. */
    record Entry(String name, List<String> argTypes, long sfunc, String stype, long finalFunc, long combineFunc, String initCond,
                 String resultType) {}

    static List<Entry> read(Connection c) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT a.display_name, a.arg_types, a.sfunc_id, a.stype,"
                + " a.finalfunc_id, a.combinefunc_id, a.initcond, a.result_type FROM wasm.aggregates a ORDER BY a.schema_name, a.name")) {
            while (rs.next()) {
                String args = rs.getString(2);
                List<String> types = args.isBlank() ? List.of() : Arrays.stream(args.split(",")).map(String::trim).toList();
                out.add(new Entry(CatalogFunctions.pgName(rs.getString(1)), types, rs.getLong(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getString(7), rs.getString(8)));
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("aggregates")
                    && ("42S02".equals(e.getSQLState()) || "42P01".equals(e.getSQLState()))) {
                return List.of(); // a catalog from before aggregates
            }
            throw e;
        }
        return out;
    }

    /** Whether the names of the stored types are all known (the catalog may be of a newer release). */
    static boolean known(Entry e) {
        try {
            e.argTypes().forEach(SqlTypes::byName);
            SqlTypes.byName(e.stype());
            SqlTypes.byName(e.resultType());
            return true;
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }
}
