package io.wasmudf.h2;

import io.wasmudf.sql.FunctionParameter;
import io.wasmudf.sql.SqlTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The result columns of one database's table functions ({@code RETURNS TABLE}/{@code SETOF}),
 * kept in {@code wasm.function_columns} (created on its own when absent) and here by function id.
 * The function itself is an ordinary row of {@code wasm.functions} of kind {@code table}.
 */
final class TableFunctions {
    /** A table function's result: its columns, and whether it was declared {@code SETOF type}. */
    record Result(List<FunctionParameter> columns, boolean setof) {
        /** {@code TABLE(a integer, b text)} or {@code SETOF integer}, as {@code pg_get_function_result} shows it. */
        String display() {
            if (setof) {
                return "SETOF " + columns.get(0).type().sqlName();
            }
            List<String> cols = new ArrayList<>();
            for (FunctionParameter c : columns) {
                cols.add(c.name() + " " + c.type().sqlName());
            }
            return "TABLE(" + String.join(", ", cols) + ")";
        }
    }

    private final Map<Long, Result> results = new ConcurrentHashMap<>();

    void start(Connection system) throws SQLException {
        // the table comes with the catalog (CatalogStore); a read-only database of an older release has none
        // (asked of H2's schema, not probed with a query: a failed probe writes a stack trace into the .trace.db)
        if (!H2Access.tableExists(system, "wasm", "function_columns")) {
            return;
        }
        try (Statement st = system.createStatement();
             ResultSet rs = st.executeQuery("SELECT function_id, name, type, setof FROM wasm.function_columns ORDER BY function_id, position")) {
            Map<Long, List<FunctionParameter>> cols = new java.util.LinkedHashMap<>();
            Map<Long, Boolean> setof = new java.util.HashMap<>();
            while (rs.next()) {
                cols.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new FunctionParameter(rs.getString(2),
                        SqlTypes.byName(rs.getString(3))));
                setof.put(rs.getLong(1), rs.getBoolean(4));
            }
            cols.forEach((id, c) -> results.put(id, new Result(c, setof.get(id))));
        } catch (SQLException e) {
            // a read-only database without the table has no table functions
        }
    }

    /** The result of table function {@code id}, or null. */
    Result result(long id) {
        return results.get(id);
    }

    void put(long id, Result r) {
        results.put(id, r);
    }

    void remove(long id) {
        results.remove(id);
    }

    /**
     * Adds to the plan of a {@code CREATE [OR REPLACE] FUNCTION} what a table function needs: its
     * columns known before H2 loads its bridge class, and their rows (replacing the old ones).
     */
    static void plan(DdlPlan plan, CatalogService service, io.wasmudf.sql.CreateFunction s, FunctionDef def, FunctionDef existing) {
        Result old = existing == null ? null : service.tables.result(existing.id());
        Result r = s.tableColumns() == null ? null : result(s.tableColumns(), def.name(), def.display());
        if (r == null && old == null) {
            return;
        }
        plan.before(() -> {
            if (r != null) {
                service.tables.put(def.id(), r);
            }
        }, () -> {
            if (old != null) {
                service.tables.put(def.id(), old);
            } else {
                service.tables.remove(def.id());
            }
        }).rows(sys -> {
            delete(sys, def.id());
            if (r != null) {
                insert(sys, def.id(), r);
            }
        }).onSuccess(() -> {
            if (r == null) {
                service.tables.remove(def.id());
            }
        });
    }

    /** The declared columns; a SETOF's one unnamed column takes the function's name, as in PostgreSQL. */
    private static Result result(List<FunctionParameter> declared, String h2Name, String display) {
        if (declared.size() == 1 && declared.get(0).name() == null) {
            String simple = display.substring(display.lastIndexOf('.') + 1);
            return new Result(List.of(new FunctionParameter(simple, declared.get(0).type())), true);
        }
        return new Result(declared, false);
    }

    static void insert(Connection sys, long id, Result r) throws SQLException {
        try (PreparedStatement ps = sys.prepareStatement("INSERT INTO wasm.function_columns(function_id, position, name, type, setof)"
                + " VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < r.columns().size(); i++) {
                ps.setLong(1, id);
                ps.setInt(2, i + 1);
                ps.setString(3, r.columns().get(i).name());
                ps.setString(4, r.columns().get(i).type().sqlName());
                ps.setBoolean(5, r.setof());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void delete(Connection sys, long id) throws SQLException {
        try (PreparedStatement ps = sys.prepareStatement("DELETE FROM wasm.function_columns WHERE function_id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
