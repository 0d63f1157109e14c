package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the pg_catalog queries of psql and pgJDBC (H2 cannot run them: pg_proc is empty and
 * functions such as pg_get_function_result are missing) and answers them from JDBC metadata and
 * the wasm function catalog. An unrecognised catalog query is refused with 0A000 (an empty answer
 * would be a wrong one), except those reading only relations that are empty in this server.
 */
final class CatalogQueries {
    private static final Logger LOG = Logger.getLogger(CatalogQueries.class.getName());

    private final Session session;
    private final PsqlDescribe psql;

    CatalogQueries(Session session) {
        this.session = session;
        this.psql = new PsqlDescribe(session);
    }

    private static final Pattern SIMPLE_FUNCTION = Pattern.compile(
            "(?is)\\s*SELECT\\s+(pg_catalog\\.)?(current_database\\(\\)|current_catalog|version\\(\\)|current_user|session_user|user"
                    + "|current_schema(?:\\(\\))?|pg_backend_pid\\(\\)|current_setting\\('([^']+)'\\))\\s*(?:AS\\s+\"?(\\w+)\"?)?\\s*;?\\s*");

    /**
     * The relations of PostgreSQL 15's pg_catalog (tables and views): an unqualified name in
     * this list means the catalog's relation, as pg_catalog is searched first.
     */
    private static final Set<String> RELATIONS = Set.of(("pg_aggregate pg_am pg_amop pg_amproc pg_attrdef pg_attribute pg_auth_members"
            + " pg_authid pg_available_extension_versions pg_available_extensions pg_backend_memory_contexts pg_cast pg_class pg_collation"
            + " pg_config pg_constraint pg_conversion pg_cursors pg_database pg_db_role_setting pg_default_acl pg_depend pg_description"
            + " pg_enum pg_event_trigger pg_extension pg_file_settings pg_foreign_data_wrapper pg_foreign_server pg_foreign_table pg_group"
            + " pg_hba_file_rules pg_ident_file_mappings pg_index pg_indexes pg_inherits pg_init_privs pg_language pg_largeobject"
            + " pg_largeobject_metadata pg_locks pg_matviews pg_namespace pg_opclass pg_operator pg_opfamily pg_parameter_acl"
            + " pg_partitioned_table pg_policies pg_policy pg_prepared_statements pg_prepared_xacts pg_proc pg_publication"
            + " pg_publication_namespace pg_publication_rel pg_publication_tables pg_range pg_replication_origin"
            + " pg_replication_origin_status pg_replication_slots pg_rewrite pg_roles pg_rules pg_seclabel pg_seclabels pg_sequence"
            + " pg_sequences pg_settings pg_shadow pg_shdepend pg_shdescription pg_shmem_allocations pg_shseclabel pg_stat_activity"
            + " pg_stat_all_indexes pg_stat_all_tables pg_stat_archiver pg_stat_bgwriter pg_stat_database pg_stat_database_conflicts"
            + " pg_stat_gssapi pg_stat_progress_analyze pg_stat_progress_basebackup pg_stat_progress_cluster pg_stat_progress_copy"
            + " pg_stat_progress_create_index pg_stat_progress_vacuum pg_stat_recovery_prefetch pg_stat_replication"
            + " pg_stat_replication_slots pg_stat_slru pg_stat_ssl pg_stat_subscription pg_stat_subscription_stats pg_stat_sys_indexes"
            + " pg_stat_sys_tables pg_stat_user_functions pg_stat_user_indexes pg_stat_user_tables pg_stat_wal pg_stat_wal_receiver"
            + " pg_stat_xact_all_tables pg_stat_xact_sys_tables pg_stat_xact_user_functions pg_stat_xact_user_tables"
            + " pg_statio_all_indexes pg_statio_all_sequences pg_statio_all_tables pg_statio_sys_indexes pg_statio_sys_sequences"
            + " pg_statio_sys_tables pg_statio_user_indexes pg_statio_user_sequences pg_statio_user_tables pg_statistic pg_statistic_ext"
            + " pg_statistic_ext_data pg_stats pg_stats_ext pg_stats_ext_exprs pg_subscription pg_subscription_rel pg_tables"
            + " pg_tablespace pg_timezone_abbrevs pg_timezone_names pg_transform pg_trigger pg_ts_config pg_ts_config_map pg_ts_dict"
            + " pg_ts_parser pg_ts_template pg_type pg_user pg_user_mapping pg_user_mappings pg_views").split(" "));

    /** Whether an unqualified relation name means a pg_catalog relation. */
    static boolean isCatalogRelation(String name) {
        return RELATIONS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Catalog relations that are empty in this server (no policies, publications, inheritance,
     * extended statistics, rules, foreign tables, event triggers, partitions…): a query that reads
     * only them, without aggregates or set operations, has no rows, which is the true answer.
     */
    private static final Set<String> EMPTY_RELATIONS = Set.of("pg_policy", "pg_policies", "pg_publication", "pg_publication_rel",
            "pg_publication_namespace", "pg_publication_tables", "pg_inherits", "pg_statistic_ext", "pg_statistic_ext_data", "pg_rewrite",
            "pg_rules", "pg_foreign_table", "pg_foreign_server", "pg_foreign_data_wrapper", "pg_user_mapping", "pg_event_trigger",
            "pg_partitioned_table", "pg_subscription", "pg_subscription_rel", "pg_extension", "pg_trigger", "pg_seclabel",
            "pg_shseclabel", "pg_transform", "pg_largeobject", "pg_largeobject_metadata", "pg_default_acl", "pg_init_privs");

    /** H2's schema and table for a PostgreSQL relation name ('t', 'public.t', '"T"'); 42P01 when there is none. */
    String[] resolveTable(String name) throws SQLException {
        String[] parts = splitName(name);
        String schema = parts[0] == null ? session.conn.getSchema() : parts[0];
        try (java.sql.ResultSet rs = session.conn.getMetaData().getTables(null, schema, parts[1], null)) {
            if (rs.next()) {
                return new String[] {rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME")};
            }
        }
        throw new SQLException("relation \"" + name + "\" does not exist", "42P01");
    }

    String resolveSchema(String name) throws SQLException {
        String schema = splitName(name)[1];
        try (java.sql.ResultSet rs = session.conn.getMetaData().getSchemas(null, schema)) {
            if (rs.next()) {
                return rs.getString("TABLE_SCHEM");
            }
        }
        throw new SQLException("schema \"" + name + "\" does not exist", "3F000");
    }

    /**
     * The wasm function of that name ('f', 'f(integer)', 's.f'), as regproc and regprocedure find it:
     * by its argument types when given (spelled as DDL spells them: 'f(int)' is f(integer)), else
     * the one function of that name (42725 "more than one function named" when it has overloads);
     * 42883 when there is none.
     */
    CatalogSnapshot.Function resolveFunction(String signature) throws SQLException {
        String[] parts = splitName(signature.replaceAll("(?s)\\(.*", "").trim());
        String argTypes = null;
        if (signature.contains("(")) {
            try {
                io.wasmudf.sql.WasmDdl d = io.wasmudf.sql.FunctionDdlParser.parse("DROP FUNCTION " + signature);
                List<io.wasmudf.sql.SqlType> types = ((io.wasmudf.sql.DropFunction) d).targets().get(0).argTypes();
                argTypes = types == null ? "" : String.join(", ", types.stream().map(io.wasmudf.sql.SqlType::sqlName).toList());
            } catch (SQLException | RuntimeException e) {
                throw new SQLException("function \"" + signature + "\" does not exist", "42883");
            }
        }
        List<CatalogSnapshot.Function> named = new ArrayList<>();
        for (CatalogSnapshot.Function f : snapshot().functions) {
            if (f.name().equalsIgnoreCase(parts[1]) && (parts[0] == null || f.schema().equalsIgnoreCase(parts[0]))
                    && (argTypes == null || argTypes.equals(f.argTypes()))) {
                named.add(f);
            }
        }
        if (named.size() > 1) {
            throw new SQLException("more than one function named \"" + signature + "\"", SqlStates.AMBIGUOUS_FUNCTION);
        }
        if (named.isEmpty()) {
            throw new SQLException("function \"" + signature + "\" does not exist", "42883");
        }
        return named.get(0);
    }

    /** [schema or null, name] of a possibly qualified, possibly quoted name, folded as the database folds unquoted names. */
    private String[] splitName(String name) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < name.length() && name.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                    wasQuoted = true;
                }
            } else if (c == '.' && !quoted) {
                parts.add(fold(cur.toString().trim(), wasQuoted));
                cur.setLength(0);
                wasQuoted = false;
            } else {
                cur.append(c);
            }
        }
        parts.add(fold(cur.toString().trim(), wasQuoted));
        return new String[] {parts.size() > 1 ? parts.get(parts.size() - 2) : null, parts.get(parts.size() - 1)};
    }

    private String fold(String part, boolean quoted) {
        if (quoted) {
            return part;
        }
        return session.foldUpper ? part.toUpperCase(Locale.ROOT) : part.toLowerCase(Locale.ROOT);
    }

    /** The answer for a FROM-less SELECT of a session function (current_user, version()…), or null. */
    LocalStatement bareFunction(SqlStatement s) {
        Matcher f = SIMPLE_FUNCTION.matcher(s.sql);
        return f.matches() ? simpleFunction(f) : FunctionDefinitions.match(this, s.sql);
    }

    /** The wasm functions and aggregates, as pg_proc rows see them. */
    List<CatalogSnapshot.Function> snapshotFunctions() throws SQLException {
        return snapshot().functions;
    }

    /** The wasm function or aggregate with that OID, or null. */
    CatalogSnapshot.Function function(long oid) throws SQLException {
        for (CatalogSnapshot.Function f : snapshot().functions) {
            if (f.oid() == oid) {
                return f;
            }
        }
        return null;
    }

    /** The local answer for a catalog query ({@link StatementClassifier#isCatalogQuery}); 0A000 when it is not one the server knows. */
    LocalStatement match(SqlStatement statement) throws SQLException {
        String sql = statement.sql;
        LocalStatement s = psql.match(sql);
        if (s == null) {
            s = jdbcMetadata(sql);
        }
        if (s == null) {
            s = typeLookup(sql);
        }
        if (s == null) {
            s = ProcRows.match(this, sql);
        }
        if (s == null && readsOnlyEmptyRelations(statement)) {
            s = LocalStatement.of(Column.texts(SelectList.items(sql)), p -> LocalStatement.Result.rows(List.of()));
        }
        if (s == null) {
            LOG.log(Level.FINE, "refusing an unrecognised catalog query: {0}", sql);
            throw new SQLException("catalog query not supported by this server (it answers the catalog queries of psql and pgJDBC): "
                    + abbreviate(sql), SqlStates.FEATURE_NOT_SUPPORTED);
        }
        return s;
    }

    private static String abbreviate(String sql) {
        String one = sql.strip().replaceAll("\\s+", " ");
        return one.length() <= 120 ? one : one.substring(0, 117) + "...";
    }

    /**
     * Every branch of the outermost query (UNION, INTERSECT, EXCEPT) inner-joins an empty
     * relation (FROM it, a comma or an inner JOIN, not a LEFT one), and nothing at its level (a
     * RIGHT or FULL join, an aggregate) could make a row out of none.
     */
    private static boolean readsOnlyEmptyRelations(SqlStatement s) {
        List<SqlStatement.Relation> rels = s.fromRelations();
        if (rels.isEmpty()) {
            return false;
        }
        int top = rels.stream().mapToInt(SqlStatement.Relation::depth).min().getAsInt();
        List<Integer> branchStarts = new ArrayList<>(List.of(0));
        for (int i = 0; i < s.tokens.size(); i++) {
            String w = s.word(i);
            if (s.depth(i) != top) {
                continue;
            }
            if (w.equals("UNION") || w.equals("INTERSECT") || w.equals("EXCEPT")) {
                branchStarts.add(i);
            } else if (w.equals("RIGHT") || w.equals("FULL")) {
                return false;
            }
        }
        for (int b = 0; b < branchStarts.size(); b++) {
            int from = branchStarts.get(b);
            int to = b + 1 < branchStarts.size() ? branchStarts.get(b + 1) : s.tokens.size();
            boolean empty = rels.stream().anyMatch(r -> r.depth() == top && r.token() >= from && r.token() < to && !r.function()
                    && EMPTY_RELATIONS.contains(r.name().toLowerCase(Locale.ROOT)) && !outerJoined(s, r.token()));
            if (!empty) {
                return false;
            }
        }
        for (SqlStatement.Call c : s.calls()) {
            if (s.depth(c.token()) == top && AGGREGATES.contains(c.name())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the relation at {@code token} comes in by a LEFT [OUTER] JOIN (its emptiness removes no row). */
    private static boolean outerJoined(SqlStatement s, int token) {
        int i = token - 1;
        while (i >= 0 && (s.word(i).equals("ONLY") || s.word(i).equals("LATERAL"))) {
            i--;
        }
        if (i < 0 || !s.word(i).equals("JOIN")) {
            return false;
        }
        return s.word(i - 1).equals("LEFT") || s.word(i - 1).equals("OUTER");
    }

    private static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "MIN", "MAX", "AVG", "BOOL_AND", "BOOL_OR", "EVERY",
            "ARRAY_AGG", "STRING_AGG", "JSON_AGG", "JSONB_AGG", "JSON_OBJECT_AGG", "XMLAGG", "BIT_AND", "BIT_OR");

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
        if (sql.contains("AS \"PROCEDURE_CAT\"")) {
            return getProcedures(sql, db);
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
        String kinds = prokinds(sql);
        return LocalStatement.of(cols, params -> {
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Function f : matchingFunctions(snapshot(), sql, params, kinds)) {
                // FUNCTION_TYPE: DatabaseMetaData.functionReturnsTable (2) for TABLE/SETOF results, else functionNoTable (1)
                rows.add(new Object[] {db, f.schema(), f.name(), f.description(), f.returnsSet() ? 2 : 1, f.name() + "_" + f.oid()});
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    /** pgJDBC's getProcedures: wasm functions are functions, not procedures (prokind 'p'), so servers from 11 on list none. */
    private LocalStatement getProcedures(String sql, String db) {
        List<Column> cols = columns("PROCEDURE_CAT", PgType.NAME, "PROCEDURE_SCHEM", PgType.NAME, "PROCEDURE_NAME", PgType.NAME,
                "?column?", PgType.TEXT, "?column?", PgType.TEXT, "?column?", PgType.TEXT, "REMARKS", PgType.TEXT,
                "PROCEDURE_TYPE", PgType.INT4, "SPECIFIC_NAME", PgType.TEXT);
        String kinds = prokinds(sql);
        return LocalStatement.of(cols, params -> {
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Function f : matchingFunctions(snapshot(), sql, params, kinds)) {
                rows.add(new Object[] {db, f.schema(), f.name(), null, null, null, f.description(), 2, f.name() + "_" + f.oid()});
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    /** The prokinds a query's {@code p.prokind='x'} filter admits ("fa" without one). */
    private static String prokinds(String sql) {
        Matcher m = Pattern.compile("(?i)\\bp\\.prokind\\s*=\\s*'(\\w)'").matcher(sql);
        return m.find() ? m.group(1) : "fa";
    }

    private LocalStatement getFunctionColumns(String sql, String db) {
        List<Column> cols = columns("current_database", PgType.NAME, "nspname", PgType.NAME, "proname", PgType.NAME, "prorettype",
                PgType.OID, "proargtypes", PgType.OIDVECTOR, "typtype", PgType.CHAR, "typrelid", PgType.OID, "proargnames",
                PgType.TEXT_ARRAY, "proargmodes", PgType.CHAR_ARRAY, "proallargtypes", PgType.OID_ARRAY, "oid", PgType.OID);
        return LocalStatement.of(cols, params -> {
            List<Object[]> rows = new ArrayList<>();
            for (CatalogSnapshot.Function f : matchingFunctions(snapshot(), sql, params, null)) {
                StringBuilder argTypes = new StringBuilder();
                for (PgType t : f.argPgTypes()) {
                    argTypes.append(argTypes.length() == 0 ? "" : " ").append(t.oid);
                }
                List<String> names = f.argNames();
                Object argNames = names.stream().allMatch(String::isEmpty) ? null : names.toArray(new Object[0]);
                rows.add(new Object[] {db, f.schema(), f.name(), (long) f.resultType().oid, argTypes.toString(), "b", 0L, argNames,
                    null, null, f.oid()});
            }
            return LocalStatement.Result.rows(rows);
        });
    }

    /** The functions a pgJDBC metadata query asks for: LIKE patterns on n.nspname and p.proname, of a prokind in {@code kinds} (null: any). */
    private static List<CatalogSnapshot.Function> matchingFunctions(CatalogSnapshot cat, String sql, Object[] params, String kinds) {
        String schemaPattern = SelectList.likePattern(sql, "n.nspname", params);
        String namePattern = SelectList.likePattern(sql, "p.proname", params);
        List<CatalogSnapshot.Function> out = new ArrayList<>();
        for (CatalogSnapshot.Function f : cat.functions) {
            if (SelectList.like(schemaPattern, f.schema()) && SelectList.like(namePattern, f.name()) && (kinds == null || kinds.indexOf(f.kind()) >= 0)) {
                out.add(f);
            }
        }
        return out;
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

    private static final Pattern ELEMENT_JOIN = Pattern.compile("(?is).*\\bt\\.typelem\\s*=\\s*e\\.oid\\b.*");

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
            return TYPE_CACHE.matcher(sql).matches() ? allTypes(sql) : null;
        }
        List<SelectList.Item> items = SelectList.items(sql);
        List<Column> cols = Column.texts(items);
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
            if (t != null && ELEMENT_JOIN.matcher(sql).matches()) {
                // pgJDBC's getPGArrayElement: the row describes the array's element type (e)
                t = t.element();
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

    /** pgJDBC's TypeInfoCache.cacheSQLTypes: every type with is_array, typtype, typname and oid. */
    private static final Pattern TYPE_CACHE = Pattern.compile(
            "(?is)\\s*SELECT\\s+typinput\\s*=\\s*'pg_catalog\\.array_in'::regproc\\s+as\\s+is_array\\s*,\\s*typtype\\s*,\\s*typname\\s*,"
                    + "\\s*pg_type\\.oid\\s+FROM\\s+pg_catalog\\.pg_type\\s+LEFT\\s+JOIN\\b(?!.*\\btypname\\s*=).*");

    private static LocalStatement allTypes(String sql) {
        List<SelectList.Item> items = SelectList.items(sql);
        List<Column> cols = Column.texts(items);
        return LocalStatement.of(cols, params -> {
            List<Object[]> rows = new ArrayList<>();
            for (PgType t : PgType.values()) {
                Object[] row = new Object[items.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = typeCell(items.get(i), t);
                }
                rows.add(row);
            }
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
            return t.element() == null ? "0" : Integer.toString(t.element().oid);
        }
        if (e.endsWith("oid")) {
            return Integer.toString(t.oid);
        }
        return null;
    }
}
