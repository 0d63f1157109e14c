package io.wasmudf.h2;

import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the catalog table of wasm aggregates, {@code wasm.aggregates} (docs/CATALOG.md),
 * which {@link CatalogStore} creates with the rest of the catalog (version 5).
 */
final class AggregateStore {
    private AggregateStore() {}

    /** An aggregate as stored, with the bridge class H2 persisted for it. */
    record Stored(AggregateDef def, String bridge) {}

    static List<Stored> load(Connection sys) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (Statement st = sys.createStatement(); ResultSet rs = st.executeQuery("SELECT id, version, schema_name, name, display_name, owner,"
                + " arg_types, sfunc_id, stype, finalfunc_id, combinefunc_id, initcond, result_type, parallel, bridge FROM wasm.aggregates")) {
            while (rs.next()) {
                AggregateDef def = new AggregateDef(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), types(rs.getString(7)), rs.getLong(8), SqlTypes.byName(rs.getString(9)), rs.getLong(10),
                        rs.getLong(11), rs.getString(12), SqlTypes.byName(rs.getString(13)), rs.getString(14));
                out.add(new Stored(def, rs.getString(15)));
            }
        }
        return out;
    }

    static void insert(Connection sys, AggregateDef a, String bridge) throws SQLException {
        try (PreparedStatement ps = sys.prepareStatement("INSERT INTO wasm.aggregates(id, version, schema_name, name, display_name, owner,"
                + " arg_types, sfunc_id, stype, finalfunc_id, combinefunc_id, initcond, result_type, parallel, bridge)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, a.id());
            ps.setInt(2, a.version());
            ps.setString(3, a.schema());
            ps.setString(4, a.name());
            ps.setString(5, a.display());
            ps.setString(6, a.owner());
            ps.setString(7, String.join(";", a.argTypes().stream().map(SqlType::sqlName).toList()));
            ps.setLong(8, a.sfunc());
            ps.setString(9, a.stype().sqlName());
            ps.setObject(10, a.finalFunc() == 0 ? null : a.finalFunc(), Types.BIGINT);
            ps.setObject(11, a.combineFunc() == 0 ? null : a.combineFunc(), Types.BIGINT);
            ps.setString(12, a.initCond());
            ps.setString(13, a.result().sqlName());
            ps.setString(14, a.parallel());
            ps.setString(15, bridge);
            ps.executeUpdate();
        }
    }

    static void delete(Connection sys, long id) throws SQLException {
        try (PreparedStatement ps = sys.prepareStatement("DELETE FROM wasm.aggregates WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** The stored type list: canonical names separated by {@code ;} (a name may contain commas, e.g. {@code numeric(10,2)}). */
    private static List<SqlType> types(String stored) {
        List<SqlType> out = new ArrayList<>();
        if (!stored.isEmpty()) {
            for (String t : stored.split(";")) {
                out.add(SqlTypes.byName(t));
            }
        }
        return out;
    }
}
