package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the pg_catalog queries of psql and pgJDBC (H2 cannot run them: pg_proc is empty and
 * functions such as pg_get_function_result are missing) and answers them from JDBC metadata and
 * the wasm function catalog. Unrecognised catalog queries get an empty result of the right shape.
 */
final class CatalogQueries {
    private static final Logger LOG = Logger.getLogger(CatalogQueries.class.getName());

    private final Session session;
    private final PsqlDescribe psql;

    CatalogQueries(Session session) {
        this.session = session;
        this.psql = new PsqlDescribe(session);
    }

    private static final Pattern MENTIONS_CATALOG = Pattern.compile(
            "(?i)(\\bpg_catalog\\s*\\.|\\binformation_schema\\._pg_|\\bpg_(type|class|namespace|proc|attribute|index|database|roles"
                    + "|settings|description|constraint|am|user|tables|views|attrdef|inherits|trigger|depend|extension|enum|range"
                    + "|collation|tablespace|stat_\\w+|locks|matviews|indexes|sequences?)\\b)");
    private static final Pattern SIMPLE_FUNCTION = Pattern.compile(
            "(?is)\\s*SELECT\\s+(pg_catalog\\.)?(current_database\\(\\)|current_catalog|version\\(\\)|current_user|session_user|user"
                    + "|current_schema(?:\\(\\))?|pg_backend_pid\\(\\)|current_setting\\('([^']+)'\\))\\s*(?:AS\\s+\"?(\\w+)\"?)?\\s*;?\\s*");

    /** The local answer for a catalog query, or null when the SQL should go to the database. */
    LocalStatement match(String sql) {
        Matcher f = SIMPLE_FUNCTION.matcher(sql);
        if (f.matches()) {
            return simpleFunction(f);
        }
        if (!SqlText.keywords(sql, 1).contains("SELECT") && !SqlText.keywords(sql, 1).contains("WITH")) {
            return null;
        }
        if (!MENTIONS_CATALOG.matcher(sql).find()) {
            return null;
        }
        LocalStatement s = psql.match(sql);
        if (s == null) {
            s = jdbcMetadata(sql);
        }
        if (s == null) {
            s = typeLookup(sql);
        }
        if (s == null) {
            LOG.log(Level.FINE, "answering an unrecognised catalog query with no rows: {0}", sql);
            List<Column> cols = new ArrayList<>();
            for (SelectList.Item it : SelectList.items(sql)) {
                cols.add(new Column(it.label(), PgType.TEXT));
            }
            s = LocalStatement.of(cols, p -> LocalStatement.Result.rows(List.of()));
        }
        return s;
    }

    private LocalStatement simpleFunction(Matcher m) {
        String fn = m.group(2).toLowerCase(Locale.ROOT);
        String label = m.group(4) != null ? m.group(4).toLowerCase(Locale.ROOT) : fn.replaceAll("\\(.*", "");
        Object value;
        PgType type = PgType.NAME;
        if (fn.startsWith("current_database") || fn.startsWith("current_catalog")) {
            value = session.server.databaseName();
        } else if (fn.startsWith("version")) {
            value = "PostgreSQL " + session.server.serverVersion() + " (WasmUDF on H2, Java " + Runtime.version().feature() + ")";
            type = PgType.TEXT;
        } else if (fn.startsWith("current_schema")) {
            // H2 would answer in its own case (PUBLIC); clients compare it with catalog names
            String schema;
            try {
                schema = session.conn.getSchema();
            } catch (SQLException e) {
                schema = null;
            }
            value = schema == null ? null : schema.equals(schema.toUpperCase(Locale.ROOT)) ? schema.toLowerCase(Locale.ROOT) : schema;
        } else if (fn.startsWith("pg_backend_pid")) {
            value = session.processId;
            type = PgType.INT4;
        } else if (fn.startsWith("current_setting")) {
            String name = m.group(3);
            label = "current_setting";
            type = PgType.TEXT;
            value = null;
            for (var e : session.settings.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    value = e.getValue();
                }
            }
            if (value == null) {
                return LocalStatement.of(List.of(new Column(label, type)), p -> {
                    throw new SQLException("unrecognized configuration parameter \"" + name + "\"", SqlStates.UNDEFINED_OBJECT);
                });
            }
        } else {
            value = session.user;
        }
        Object v = value;
        return LocalStatement.of(List.of(new Column(label, type)), p -> {
            List<Object[]> rows = new ArrayList<>();
            rows.add(new Object[] {v});
            return LocalStatement.Result.rows(rows);
        });
    }

    // ---- pgJDBC DatabaseMetaData --------------------------------------------------------

    private static List<Column> columns(Object... nameTypePairs) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            cols.add(new Column((String) nameTypePairs[i], (PgType) nameTypePairs[i + 1]));
        }
        return cols;
    }

    private CatalogSnapshot snapshot() throws SQLException {
        return new CatalogSnapshot(session.conn, session.user);
    }

    private LocalStatement jdbcMetadata(String sql) {
        String db = session.server.databaseName();
        if (sql.contains("AS \"TABLE_CAT\"") && sql.contains("AS \"TABLE_TYPE\"")) {
            return getTables(sql, db);
        }
        if (sql.contains("a.attgenerated") && sql.contains("row_number() OVER (PARTITION BY a.attrelid")) {
            return getColumns(sql, db);
        }
        if (sql.contains("AS \"FUNCTION_CAT\"")) {
            return getFunctions(sql, db);
        }
        if (sql.contains("p.proargnames, p.proargmodes, p.proallargtypes")) {
            return getFunctionColumns(sql, db);
        }
        if (sql.contains("AS \"PK_NAME\"") && sql.contains("contype = 'p'")) {
            return getPrimaryKeys(sql, db);
        }
        if (sql.contains("AS \"INDEX_QUALIFIER\"") && sql.contains("AS \"ASC_OR_DESC\"")) {
            return getIndexInfo(sql, db);
        }
        if (sql.contains("AS \"TABLE_SCHEM\"") && sql.contains("pg_catalog.pg_namespace") && !sql.contains("TABLE_NAME")) {
            return getSchemas(sql, db);
        }
        return null;
    }

    private LocalStatement getTables(String sql, String db) {
        List<Column> cols = columns("TABLE_CAT", PgType.NAME, "TABLE_SCHEM", PgType.NAME, "TABLE_NAME", PgType.NAME, "TABLE_TYPE",
                PgType.TEXT, "REMARKS", PgType.TEXT, "TYPE_CAT", PgType.TEXT, "TYPE_SCHEM", PgType.TEXT, "TYPE_NAME", PgType.TEXT,
                "SELF_REFERENCING_COL_NAME", PgType.TEXT, "REF_GENERATION", PgType.TEXT);
        String kinds = requestedUserKinds(sql);
        return LocalStatement.of(cols, params -> {
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Relation r : matchingRelations(snapshot(), sql, params, "c.relname")) {
                if (kinds.indexOf(r.kind()) >= 0) {
                    rows.add(new Object[] {db, r.schema(), r.name(), r.kind() == 'v' ? "VIEW" : "TABLE", r.remarks(), "", "", "", "", ""});
                }
            }
            rows.sort(Comparator.comparing((Object[] a) -> (String) a[3]).thenComparing(a -> (String) a[1])
                    .thenComparing(a -> (String) a[2]));
            return LocalStatement.Result.rows(rows);
        });
    }

    /** Which user relation kinds (r, v) a getTables query asks for; all when it has no type list. */
    private static String requestedUserKinds(String sql) {
        int start = sql.indexOf("(false");
        if (start < 0) {
            return "rv";
        }
        StringBuilder kinds = new StringBuilder();
        for (String clause : sql.substring(start).split("\\bOR\\s+\\(")) {
            boolean userObjects = clause.contains("!~ '^pg_'") || clause.contains("<> 'pg_catalog'");
            Matcher m = Pattern.compile("c\\.relkind\\s*(?:=|IN\\s*\\()\\s*'(\\w)'").matcher(clause);
            if (userObjects && m.find()) {
                kinds.append(m.group(1));
            }
        }
        return kinds.toString();
    }

    private LocalStatement getColumns(String sql, String db) {
        List<Column> cols = columns("current_database", PgType.NAME, "nspname", PgType.NAME, "relname", PgType.NAME, "attname",
                PgType.NAME, "atttypid", PgType.OID, "attnotnull", PgType.BOOL, "atttypmod", PgType.INT4, "attlen", PgType.INT2,
                "typtypmod", PgType.INT4, "attnum", PgType.INT8, "attidentity", PgType.CHAR, "attgenerated", PgType.CHAR, "adsrc",
                PgType.TEXT, "description", PgType.TEXT, "typbasetype", PgType.OID, "typtype", PgType.CHAR);
        return LocalStatement.of(cols, params -> {
            String columnPattern = SelectList.likePattern(sql, "attname", params);
            CatalogSnapshot cat = snapshot();
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Relation r : matchingRelations(cat, sql, params, "c.relname")) {
                for (CatalogSnapshot.Attribute a : cat.attributes(r)) {
                    if (SelectList.like(columnPattern, a.name())) {
                        rows.add(new Object[] {db, r.schema(), r.name(), a.name(), (long) a.type().oid, a.notNull(), a.typmod(),
                            a.type().length, -1, (long) a.num(), a.identity() ? "d" : null, null, a.defaultExpr(), null, 0L, "b"});
                    }
                }
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    private LocalStatement getFunctions(String sql, String db) {
        List<Column> cols = columns("FUNCTION_CAT", PgType.NAME, "FUNCTION_SCHEM", PgType.NAME, "FUNCTION_NAME", PgType.NAME,
                "REMARKS", PgType.TEXT, "FUNCTION_TYPE", PgType.INT4, "SPECIFIC_NAME", PgType.TEXT);
        return LocalStatement.of(cols, params -> {
            String schemaPattern = SelectList.likePattern(sql, "n.nspname", params);
            String namePattern = SelectList.likePattern(sql, "p.proname", params);
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Function f : snapshot().functions) {
                if (SelectList.like(schemaPattern, f.schema()) && SelectList.like(namePattern, f.name())) {
                    // FUNCTION_TYPE 1 = DatabaseMetaData.functionNoTable
                    rows.add(new Object[] {db, f.schema(), f.name(), null, 1, f.name() + "_" + f.oid()});
                }
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    private LocalStatement getFunctionColumns(String sql, String db) {
        List<Column> cols = columns("current_database", PgType.NAME, "nspname", PgType.NAME, "proname", PgType.NAME, "prorettype",
                PgType.OID, "proargtypes", PgType.OIDVECTOR, "typtype", PgType.CHAR, "typrelid", PgType.OID, "proargnames",
                PgType.TEXT_ARRAY, "proargmodes", PgType.CHAR_ARRAY, "proallargtypes", PgType.OID_ARRAY, "oid", PgType.OID);
        return LocalStatement.of(cols, params -> {
            String schemaPattern = SelectList.likePattern(sql, "n.nspname", params);
            String namePattern = SelectList.likePattern(sql, "p.proname", params);
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Function f : snapshot().functions) {
                if (SelectList.like(schemaPattern, f.schema()) && SelectList.like(namePattern, f.name())) {
                    StringBuilder argTypes = new StringBuilder();
                    for (PgType t : f.argPgTypes()) {
                        argTypes.append(argTypes.length() == 0 ? "" : " ").append(t.oid);
                    }
                    List<String> names = f.argNames();
                    Object argNames = names.stream().allMatch(String::isEmpty) ? null : names.toArray(new Object[0]);
                    rows.add(new Object[] {db, f.schema(), f.name(), (long) f.resultType().oid, argTypes.toString(), "b", 0L, argNames,
                        null, null, f.oid()});
                }
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    /** The relations a pgJDBC metadata query asks for: LIKE patterns on n.nspname and on {@code tableColumn}. */
    private static List<CatalogSnapshot.Relation> matchingRelations(CatalogSnapshot cat, String sql, Object[] params, String tableColumn) {
        String schemaPattern = SelectList.likePattern(sql, "n.nspname", params);
        String tablePattern = SelectList.likePattern(sql, tableColumn, params);
        List<CatalogSnapshot.Relation> out = new ArrayList<>();
        for (CatalogSnapshot.Relation r : cat.relations) {
            if (SelectList.like(schemaPattern, r.schema()) && SelectList.like(tablePattern, r.name())) {
                out.add(r);
            }
        }
        return out;
    }

    private LocalStatement getPrimaryKeys(String sql, String db) {
        List<Column> cols = columns("TABLE_CAT", PgType.NAME, "TABLE_SCHEM", PgType.NAME, "TABLE_NAME", PgType.NAME, "COLUMN_NAME",
                PgType.NAME, "KEY_SEQ", PgType.INT4, "PK_NAME", PgType.NAME);
        return LocalStatement.of(cols, params -> {
            CatalogSnapshot cat = snapshot();
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Relation r : matchingRelations(cat, sql, params, "ct.relname")) {
                for (CatalogSnapshot.Index i : cat.indexes(r)) {
                    if (i.primary()) {
                        for (int k = 0; k < i.columns().size(); k++) {
                            rows.add(new Object[] {db, r.schema(), r.name(), i.columns().get(k), k + 1, i.name()});
                        }
                    }
                }
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    private LocalStatement getIndexInfo(String sql, String db) {
        List<Column> cols = columns("TABLE_CAT", PgType.NAME, "TABLE_SCHEM", PgType.NAME, "TABLE_NAME", PgType.NAME, "NON_UNIQUE",
                PgType.BOOL, "INDEX_QUALIFIER", PgType.TEXT, "INDEX_NAME", PgType.NAME, "TYPE", PgType.INT4, "ORDINAL_POSITION",
                PgType.INT4, "COLUMN_NAME", PgType.TEXT, "ASC_OR_DESC", PgType.TEXT, "CARDINALITY", PgType.FLOAT4, "PAGES", PgType.INT4,
                "FILTER_CONDITION", PgType.TEXT, "REMARKS", PgType.TEXT);
        boolean uniqueOnly = Pattern.compile("(?i)AND\\s+i\\.indisunique\\b").matcher(sql).find();
        return LocalStatement.of(cols, params -> {
            CatalogSnapshot cat = snapshot();
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Relation r : matchingRelations(cat, sql, params, "ct.relname")) {
                for (CatalogSnapshot.Index i : cat.indexes(r)) {
                    if (uniqueOnly && !i.unique()) {
                        continue;
                    }
                    for (int k = 0; k < i.columns().size(); k++) {
                        // TYPE 3 = DatabaseMetaData.tableIndexOther (a btree)
                        rows.add(new Object[] {db, r.schema(), r.name(), !i.unique(), null, i.name(), 3, k + 1, i.columns().get(k), "A",
                            0f, 0, null, null});
                    }
                }
            }
            rows.sort(Comparator.comparing((Object[] a) -> (Boolean) a[3]).thenComparing(a -> (String) a[5])
                    .thenComparing(a -> (Integer) a[7]));
            return LocalStatement.Result.rows(rows);
        });
    }

    private LocalStatement getSchemas(String sql, String db) {
        List<Column> cols = columns("TABLE_SCHEM", PgType.NAME, "TABLE_CATALOG", PgType.NAME);
        return LocalStatement.of(cols, params -> {
            String pattern = SelectList.likePattern(sql, "nspname", params);
            List<String> names = new ArrayList<>();
            for (CatalogSnapshot.Namespace n : snapshot().namespaces) {
                if (SelectList.like(pattern, n.name())) {
                    names.add(n.name());
                }
            }
            if (SelectList.like(pattern, "information_schema")) {
                names.add("information_schema");
            }
            names.sort(null);
            List<Object[]> rows = new ArrayList<>();
            for (String n : names) {
                rows.add(new Object[] {n, db});
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    // ---- pg_type lookups (pgJDBC TypeInfoCache and friends) -----------------------------

    private static final Pattern TYPE_BY_OID = Pattern.compile("(?is).*\\bpg_type\\b.*\\b(?:t\\.|pg_type\\.)?oid\\s*=\\s*(\\$1|'?\\d+'?).*");
    private static final Pattern TYPE_BY_NAME = Pattern.compile("(?is).*\\bpg_type\\b.*\\btypname\\s*=\\s*(\\$1|'[^']*').*");

    private static final Pattern TYPE_LIST = Pattern.compile("(?is)\\s*SELECT\\s+t\\.typname\\s*,\\s*t\\.oid\\s+FROM\\s+pg_catalog\\.pg_type\\s+t\\b.*");

    private LocalStatement typeLookup(String sql) {
        if (TYPE_LIST.matcher(sql).matches()) {
            // DatabaseMetaData.getTypeInfo: every type this server can send or receive
            return LocalStatement.of(columns("typname", PgType.NAME, "oid", PgType.OID), params -> {
                List<Object[]> rows = new ArrayList<>();
                for (PgType t : PgType.values()) {
                    rows.add(new Object[] {t.typname, (long) t.oid});
                }
                return LocalStatement.Result.rows(rows);
            });
        }
        boolean byOid = TYPE_BY_OID.matcher(sql).matches();
        boolean byName = !byOid && TYPE_BY_NAME.matcher(sql).matches();
        if (!byOid && !byName) {
            return null;
        }
        List<SelectList.Item> items = SelectList.items(sql);
        List<Column> cols = new ArrayList<>();
        for (SelectList.Item it : items) {
            cols.add(new Column(it.label(), PgType.TEXT));
        }
        Matcher key = (byOid ? TYPE_BY_OID : TYPE_BY_NAME).matcher(sql);
        key.matches();
        String literal = key.group(1);
        return LocalStatement.of(cols, params -> {
            String k = literal.equals("$1") ? (params.length > 0 && params[0] != null ? params[0].toString() : "") : literal.replace("'", "");
            PgType t = null;
            if (byOid) {
                try {
                    t = PgType.byOid(Integer.parseInt(k.trim()));
                } catch (NumberFormatException e) {
                    t = null;
                }
            } else {
                t = PgType.byName(k);
            }
            if (t == null) {
                return LocalStatement.Result.rows(List.of());
            }
            Object[] row = new Object[items.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = typeCell(items.get(i), t);
            }
            List<Object[]> rows = new ArrayList<>();
            rows.add(row);
            return LocalStatement.Result.rows(rows);
        });
    }

    private static Object typeCell(SelectList.Item item, PgType t) {
        String e = item.lower();
        boolean array = t.typname.startsWith("_");
        if (e.contains("array_in")) {
            return array ? "t" : "f";
        }
        if (e.contains("= any(current_schemas") || e.contains("=any(current_schemas")) {
            return "t";
        }
        if (e.contains("nspname")) {
            return "pg_catalog";
        }
        if (e.contains("typdelim")) {
            return ",";
        }
        if (e.contains("typtype")) {
            return "b";
        }
        if (e.contains("typname")) {
            return t.typname;
        }
        if (e.contains("typarray")) {
            return Integer.toString(t.arrayOid);
        }
        if (e.contains("typelem")) {
            return "0";
        }
        if (e.endsWith("oid")) {
            return Integer.toString(t.oid);
        }
        return null;
    }
}
