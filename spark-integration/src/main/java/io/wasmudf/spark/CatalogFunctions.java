package io.wasmudf.spark;

import io.wasmudf.sql.Volatility;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the scalar functions and their modules from a WasmUDF catalog ({@code wasm.functions},
 * {@code wasm.modules}) over any JDBC connection: embedded {@code jdbc:wasm:} or pgJDBC to the
 * wire server, both of which let every role read the catalog (as PostgreSQL's pg_proc).
 */
final class CatalogFunctions {
    private CatalogFunctions() {}

    /** One function and its module's bytes. */
    record Entry(long id, FunctionSpec spec, String moduleName, byte[] module) {}

    static List<Entry> read(Connection c) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(f.display_name, f.name), f.arg_types, f.return_type,"
                + " f.export_name, f.volatility, f.is_strict, f.max_memory, f.fuel, f.timeout_ms, f.grants, f.module_name, m.bytes, f.id"
                + " FROM wasm.functions f JOIN wasm.modules m ON m.name = f.module_name WHERE f.kind = 'scalar'"
                + " ORDER BY f.schema_name, f.name")) {
            while (rs.next()) {
                String args = rs.getString(2);
                List<String> types = args.isBlank() ? List.of() : Arrays.stream(args.split(",")).map(String::trim).toList();
                long maxMemory = rs.getLong(7);
                Integer pages = rs.wasNull() ? null : (int) (maxMemory / io.wasmudf.sql.FunctionLimits.PAGE_BYTES);
                long fuel = rs.getLong(8);
                Long f = rs.wasNull() ? null : fuel;
                long timeout = rs.getLong(9);
                Long t = rs.wasNull() ? null : timeout;
                FunctionSpec spec = new FunctionSpec(pgName(rs.getString(1)), types, rs.getString(3), rs.getBoolean(6),
                        Volatility.valueOf(rs.getString(5)), rs.getString(4), pages, f, t, rs.getString(10));
                out.add(new Entry(rs.getLong(13), spec, rs.getString(11), rs.getBytes(12)));
            }
        }
        return out;
    }

    /**
     * The function's PostgreSQL name from its display form ({@code add_i32(integer, integer)},
     * possibly schema-qualified): the catalog's {@code name} column is H2's, upper case.
     */
    static String pgName(String display) {
        int paren = display.indexOf('(');
        String n = paren < 0 ? display : display.substring(0, paren);
        int dot = n.lastIndexOf('.');
        n = dot < 0 ? n : n.substring(dot + 1);
        return n.startsWith("\"") && n.endsWith("\"") && n.length() > 1 ? n.substring(1, n.length() - 1).replace("\"\"", "\"") : n;
    }
}
