package io.wasmudf.pg;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A PostgreSQL-shaped view of the database, read from JDBC metadata and the wasm function catalog:
 * namespaces, relations with columns and indexes, and functions, each with a stable synthetic OID.
 */
final class CatalogSnapshot {
    record Namespace(long oid, String name) {
    }

    record Attribute(String name, int num, PgType type, int typmod, String formatType, boolean notNull, String defaultExpr,
            boolean identity) {
    }

    record Index(long oid, String name, boolean primary, boolean unique, List<String> columns) {
    }

    record Relation(long oid, String schema, String name, char kind, String h2Schema, String h2Name, String remarks) {
    }

    /**
     * A wasm function ({@code kind} f), table function or aggregate ({@code kind} a, PostgreSQL's
     * prokind); {@code owner} is its creator's H2 user, {@code acl} its EXECUTE grantees (null: the
     * default, PUBLIC); {@code config} its {@code SET wasm.…} settings as pg_proc.proconfig holds them
     * ({@code name=value}).
     */
    record Function(long oid, String schema, String name, String arguments, String argTypes, String result,
            char volatility, boolean strict, String module, String export, String grants, String owner, String acl,
            String description, char kind, List<String> config) {
        Function {
            config = config == null ? List.of() : List.copyOf(config);
        }

        /** Whether it returns rows (RETURNS TABLE or SETOF: pg_proc.proretset). */
        boolean returnsSet() {
            return result.startsWith("TABLE(") || result.startsWith("SETOF ");
        }

        /** OIDs of the argument types, in order. */
        List<PgType> argPgTypes() {
            List<PgType> out = new ArrayList<>();
            if (argTypes.isBlank()) {
                return out;
            }
            for (String t : argTypes.split(",")) {
                PgType pt = PgType.byName(t.trim().replaceAll("\\(.*\\)", ""));
                out.add(pt == null ? PgType.TEXT : pt);
            }
            return out;
        }

        List<String> argNames() {
            List<String> out = new ArrayList<>();
            if (arguments.isBlank()) {
                return out;
            }
            List<PgType> types = argPgTypes();
            String[] parts = arguments.split(",");
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].trim();
                String typeName = i < types.size() ? types.get(i).sqlName : "";
                // "a integer" -> "a"; an unnamed argument is just its type
                out.add(p.equalsIgnoreCase(typeName) || !p.contains(" ") ? "" : p.substring(0, p.indexOf(' ')));
            }
            return out;
        }

        PgType resultType() {
            PgType t = PgType.byName(result.replaceAll("\\(.*\\)", ""));
            return t == null ? PgType.TEXT : t;
        }
    }

    static final long PG_CATALOG_OID = 11;
    static final long PUBLIC_OID = 2200;

    private final Connection conn;
    private final DatabaseMetaData md;
    private final boolean upperCase;
    final List<Namespace> namespaces = new ArrayList<>();
    final List<Relation> relations = new ArrayList<>();
    final List<Function> functions = new ArrayList<>();
    final Set<String> visibleSchemas = new LinkedHashSet<>();
    private final Map<Long, List<Attribute>> attributes = new TreeMap<>();
    private final Map<Long, List<Index>> indexes = new TreeMap<>();

    CatalogSnapshot(Connection conn, String user) throws SQLException {
        this.conn = conn;
        this.md = conn.getMetaData();
        this.upperCase = md.storesUpperCaseIdentifiers();
        Map<String, Namespace> ns = new LinkedHashMap<>();
        ns.put("pg_catalog", new Namespace(PG_CATALOG_OID, "pg_catalog"));
        try (ResultSet rs = md.getSchemas()) {
            while (rs.next()) {
                String name = pgName(rs.getString("TABLE_SCHEM"));
                if (!isSystemSchema(name)) {
                    ns.putIfAbsent(name, new Namespace(namespaceOid(name), name));
                }
            }
        }
        namespaces.addAll(ns.values());
        String current = conn.getSchema();
        visibleSchemas.add("pg_catalog");
        if (ns.containsKey(user)) {
            visibleSchemas.add(user);
        }
        visibleSchemas.add("public");
        if (current != null) {
            visibleSchemas.add(pgName(current));
        }
        try (ResultSet rs = md.getTables(null, null, "%", null)) {
            while (rs.next()) {
                String schema = pgName(rs.getString("TABLE_SCHEM"));
                if (isSystemSchema(schema)) {
                    continue;
                }
                String type = String.valueOf(rs.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT);
                if (type.contains("SYSTEM")) {
                    continue;
                }
                char kind = type.contains("VIEW") ? 'v' : 'r';
                String name = pgName(rs.getString("TABLE_NAME"));
                relations.add(new Relation(stableOid("r:" + schema + "." + name), schema, name, kind, rs.getString("TABLE_SCHEM"),
                        rs.getString("TABLE_NAME"), rs.getString("REMARKS")));
            }
        }
        relations.sort((a, b) -> a.schema.equals(b.schema) ? a.name.compareTo(b.name) : a.schema.compareTo(b.schema));
        loadFunctions();
    }

    private void loadFunctions() {
        // only functions whose H2 alias is still the bridge the catalog recorded: an alias dropped or replaced
        // behind the catalog's back (by an embedding application) is not a wasm function any more
        String sql = "SELECT f.schema_name, f.name, f.arguments, f.arg_types, f.return_type, f.volatility, f.is_strict, f.module_name,"
                + " f.export_name, f.grants, f.owner, f.acl, (SELECT c.description FROM wasm.function_comments c WHERE c.function_id = f.id),"
                + " f.max_memory, f.fuel, f.timeout_ms"
                + " FROM wasm.functions f WHERE EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.ROUTINES r"
                + " WHERE r.ROUTINE_SCHEMA = f.schema_name AND r.ROUTINE_NAME = f.name AND r.EXTERNAL_NAME = f.bridge)"
                + " ORDER BY f.schema_name, f.name, f.id";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String schema = pgName(rs.getString(1));
                String name = pgName(rs.getString(2));
                String vol = String.valueOf(rs.getString(6)).toUpperCase(Locale.ROOT);
                char v = vol.startsWith("I") ? 'i' : vol.startsWith("S") ? 's' : 'v';
                // overloads differ by their argument types, so the OID includes them
                functions.add(new Function(stableOid("f:" + schema + "." + name + "(" + rs.getString(4) + ")"), schema, name, rs.getString(3),
                        rs.getString(4),
                        rs.getString(5), v, rs.getBoolean(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                        rs.getString(13), 'f', FunctionConfig.of(vol, (Long) rs.getObject(14, Long.class), (Long) rs.getObject(15, Long.class),
                                (Long) rs.getObject(16, Long.class), rs.getString(10))));
            }
        } catch (SQLException e) {
            // no wasm catalog in this database (plain H2): there are no wasm functions to list
        }
        loadTableResults();
        loadAggregates();
    }

    /** Table functions show {@code TABLE(a integer, …)} or {@code SETOF type} as their result, as pg_get_function_result does. */
    private void loadTableResults() {
        String sql = "SELECT f.schema_name, f.name, c.name, c.type, c.setof FROM wasm.function_columns c JOIN wasm.functions f"
                + " ON f.id = c.function_id ORDER BY f.schema_name, f.name, c.position";
        Map<String, List<String>> cols = new LinkedHashMap<>();
        Map<String, String> setof = new java.util.HashMap<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String key = pgName(rs.getString(1)) + "." + pgName(rs.getString(2));
                cols.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getString(3) + " " + rs.getString(4));
                if (rs.getBoolean(5)) {
                    setof.put(key, "SETOF " + rs.getString(4));
                }
            }
        } catch (SQLException e) {
            return; // no table functions in this catalog
        }
        functions.replaceAll(f -> {
            String key = f.schema() + "." + f.name();
            if (!cols.containsKey(key)) {
                return f;
            }
            String result = setof.getOrDefault(key, "TABLE(" + String.join(", ", cols.get(key)) + ")");
            return new Function(f.oid(), f.schema(), f.name(), f.arguments(), f.argTypes(), result, f.volatility(), f.strict(), f.module(),
                    f.export(), f.grants(), f.owner(), f.acl(), f.description(), f.kind(), f.config());
        });
    }

    /** The wasm aggregates whose H2 aggregate is still the bridge the catalog recorded. */
    private void loadAggregates() {
        String sql = "SELECT a.schema_name, a.name, a.arg_types, a.result_type FROM wasm.aggregates a WHERE EXISTS (SELECT 1"
                + " FROM INFORMATION_SCHEMA.ROUTINES r WHERE r.ROUTINE_SCHEMA = a.schema_name AND r.ROUTINE_NAME = a.name"
                + " AND r.EXTERNAL_NAME = a.bridge) ORDER BY a.schema_name, a.name";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String schema = pgName(rs.getString(1));
                String name = pgName(rs.getString(2));
                String args = rs.getString(3).replace(";", ", ");
                functions.add(new Function(stableOid("f:" + schema + "." + name + "(" + args + ")"), schema, name, args, args, rs.getString(4), 'i', false,
                        "aggregate_dummy", null, null, null, null, null, 'a', null));
            }
        } catch (SQLException e) {
            // no aggregates table (a catalog of an older build, or plain H2): no aggregates to list
        }
    }

    static boolean isSystemSchema(String name) {
        return name.equalsIgnoreCase("information_schema") || name.equalsIgnoreCase("pg_catalog");
    }

    /** PostgreSQL folds unquoted names to lower case where H2 folds them to upper case. */
    String pgName(String h2Name) {
        if (h2Name == null) {
            return null;
        }
        return upperCase && h2Name.equals(h2Name.toUpperCase(Locale.ROOT)) ? h2Name.toLowerCase(Locale.ROOT) : h2Name;
    }

    static long namespaceOid(String name) {
        if (name.equals("pg_catalog")) {
            return PG_CATALOG_OID;
        }
        return name.equals("public") ? PUBLIC_OID : stableOid("n:" + name);
    }

    /** An OID derived from the object's identity, so separate queries agree without shared state. */
    static long stableOid(String key) {
        long h = 1125899906842597L;
        for (int i = 0; i < key.length(); i++) {
            h = 31 * h + key.charAt(i);
        }
        return 16384 + Math.floorMod(h, 2_000_000_000L);
    }

    boolean isVisible(String schema) {
        return visibleSchemas.contains(schema);
    }

    Relation relation(long oid) {
        for (Relation r : relations) {
            if (r.oid == oid) {
                return r;
            }
        }
        return null;
    }

    Namespace namespace(String name) {
        for (Namespace n : namespaces) {
            if (n.name.equals(name)) {
                return n;
            }
        }
        return null;
    }

    /** The columns of a relation, read on first use. */
    List<Attribute> attributes(Relation r) throws SQLException {
        List<Attribute> cached = attributes.get(r.oid);
        if (cached != null) {
            return cached;
        }
        List<Attribute> out = new ArrayList<>();
        try (ResultSet rs = md.getColumns(null, r.h2Schema, r.h2Name, "%")) {
            int num = 0;
            while (rs.next()) {
                num++;
                String typeName = String.valueOf(rs.getString("TYPE_NAME")).toUpperCase(Locale.ROOT);
                long size = rs.getLong("COLUMN_SIZE");
                int scale = rs.getInt("DECIMAL_DIGITS");
                PgType type = PgType.fromJdbc(rs.getInt("DATA_TYPE"), typeName, size);
                int typmod = Results.typmod(type, size, scale);
                String def = rs.getString("COLUMN_DEF");
                boolean identity = "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"));
                out.add(new Attribute(pgName(rs.getString("COLUMN_NAME")), num, type, typmod, formatType(type, typmod, typeName),
                        rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls, identity ? null : pgDefault(def), identity));
            }
        }
        attributes.put(r.oid, out);
        return out;
    }

    private static String pgDefault(String def) {
        if (def == null || def.isEmpty()) {
            return null;
        }
        if (def.equalsIgnoreCase("TRUE") || def.equalsIgnoreCase("FALSE")) {
            return def.toLowerCase(Locale.ROOT);
        }
        return def;
    }

    /** What format_type(oid, typmod) prints. */
    static String formatType(PgType type, int typmod, String h2TypeName) {
        switch (type) {
            case VARCHAR:
            case BPCHAR:
                return typmod > 4 ? type.sqlName + "(" + (typmod - 4) + ")" : type.sqlName;
            case NUMERIC:
                if (typmod > 4) {
                    int t = typmod - 4;
                    return "numeric(" + (t >> 16) + "," + (t & 0xFFFF) + ")";
                }
                return "numeric";
            case TEXT:
                return h2TypeName == null || h2TypeName.contains("CHAR") || h2TypeName.contains("CLOB")
                        || h2TypeName.contains("CHARACTER") ? "text" : h2TypeName.toLowerCase(Locale.ROOT);
            default:
                return type.sqlName;
        }
    }

    /** The indexes of a relation (primary key first), read on first use. */
    List<Index> indexes(Relation r) throws SQLException {
        List<Index> cached = indexes.get(r.oid);
        if (cached != null) {
            return cached;
        }
        Map<String, List<String>> cols = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(null, r.h2Schema, r.h2Name, false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name == null || rs.getString("COLUMN_NAME") == null) {
                    continue;
                }
                cols.computeIfAbsent(name, k -> new ArrayList<>()).add(pgName(rs.getString("COLUMN_NAME")));
                unique.put(name, !rs.getBoolean("NON_UNIQUE"));
            }
        } catch (SQLException e) {
            // a view has no indexes
        }
        List<String> pkCols = new ArrayList<>();
        try (ResultSet rs = md.getPrimaryKeys(null, r.h2Schema, r.h2Name)) {
            TreeMap<Integer, String> bySeq = new TreeMap<>();
            while (rs.next()) {
                bySeq.put(rs.getInt("KEY_SEQ"), pgName(rs.getString("COLUMN_NAME")));
            }
            pkCols.addAll(bySeq.values());
        }
        List<Index> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : cols.entrySet()) {
            boolean primary = !pkCols.isEmpty() && e.getValue().equals(pkCols) && unique.get(e.getKey())
                    && out.stream().noneMatch(Index::primary);
            String name = pgName(e.getKey());
            if (primary && name.matches("(?i)primary_key_\\w*")) {
                name = r.name + "_pkey"; // H2 generated this name; PostgreSQL's convention reads better in psql
            }
            out.add(new Index(stableOid("i:" + r.schema + "." + name), name, primary, unique.get(e.getKey()), e.getValue()));
        }
        out.sort((a, b) -> a.primary != b.primary ? (a.primary ? -1 : 1) : a.name.compareTo(b.name));
        indexes.put(r.oid, out);
        return out;
    }

    /** CREATE INDEX text as pg_get_indexdef prints it. */
    static String indexDef(Relation r, Index i) {
        return "CREATE " + (i.unique ? "UNIQUE " : "") + "INDEX " + quoteIdent(i.name) + " ON " + quoteIdent(r.schema) + "."
                + quoteIdent(r.name) + " USING btree (" + String.join(", ", i.columns.stream().map(CatalogSnapshot::quoteIdent).toList()) + ")";
    }

    static String quoteIdent(String s) {
        if (s.matches("[a-z_][a-z0-9_$]*")) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
