package io.wasmudf.pg;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Answers psql's describe queries (\df, \dt, \d, \d NAME, \dn, \l). Values are computed per
 * select item, from the item's output name or expression, so the answers follow the column list
 * psql actually sent (it differs between psql versions and for the "+" variants).
 */
final class PsqlDescribe {
    private final Session session;

    PsqlDescribe(Session session) {
        this.session = session;
    }

    /** Computes one cell from the item and the object the row is about. */
    private interface Cell<T> {
        Object value(SelectList.Item item, T row) throws SQLException;
    }

    private static final Pattern DF = Pattern.compile("(?is).*pg_get_function_result\\(p\\.oid\\)\\s+as\\s+\"Result data type\".*");
    /** psql's \\da: aggregates only, the result type through format_type. */
    private static final Pattern DA = Pattern.compile("(?is).*format_type\\(p\\.prorettype,\\s*NULL\\)\\s+AS\\s+\"Result data type\".*"
            + "WHERE\\s+p\\.prokind\\s*=\\s*'a'.*");
    private static final Pattern ONLY_AGGREGATES = Pattern.compile("(?is).*p\\.prokind\\s*=\\s*'a'.*");
    private static final Pattern NO_AGGREGATES = Pattern.compile("(?is).*p\\.prokind\\s*(<>|!=)\\s*'a'.*");
    private static final Pattern RELATION_LIST = Pattern.compile("(?is).*c\\.relname\\s+as\\s+\"Name\".*pg_catalog\\.pg_class\\s+c\\b.*");
    private static final Pattern SCHEMA_LIST = Pattern.compile("(?is).*n\\.nspname\\s+AS\\s+\"Name\".*FROM\\s+pg_catalog\\.pg_namespace\\s+n\\b.*");
    private static final Pattern DATABASE_LIST = Pattern.compile("(?is).*d\\.datname\\s+as\\s+\"Name\".*FROM\\s+pg_catalog\\.pg_database\\s+d\\b.*");
    private static final Pattern RELATION_LOOKUP = Pattern.compile(
            "(?is)\\s*SELECT\\s+c\\.oid,\\s*n\\.nspname,\\s*c\\.relname\\s+FROM\\s+pg_catalog\\.pg_class\\s+c\\b.*");
    private static final Pattern RELATION_DETAILS = Pattern.compile("(?is)\\s*SELECT\\s+c\\.relchecks,.*FROM\\s+pg_catalog\\.pg_class\\s+c\\b.*");
    private static final Pattern ATTRIBUTES = Pattern.compile(
            "(?is)\\s*SELECT\\s+a\\.attname,.*FROM\\s+pg_catalog\\.pg_attribute\\s+a\\s+WHERE\\s+a\\.attrelid\\s*=.*");
    private static final Pattern ROLES = Pattern.compile("(?is)\\s*SELECT\\s+r\\.rolname,.*FROM\\s+pg_catalog\\.pg_roles\\s+r\\b.*");
    private static final Pattern VIEW_DEF = Pattern.compile("(?is)\\s*SELECT\\s+pg_catalog\\.pg_get_viewdef\\('(\\d+)'.*");
    private static final Pattern INDEXES = Pattern.compile(
            "(?is)\\s*SELECT\\s+c2\\.relname,\\s*i\\.indisprimary.*pg_catalog\\.pg_index\\s+i\\b.*");

    /** The answer for a psql describe query, or null if this is not one. */
    LocalStatement match(String sql) {
        if (DF.matcher(sql).matches() || DA.matcher(sql).matches()) {
            return listing(sql, this::functions, this::functionCell);
        }
        if (RELATION_LOOKUP.matcher(sql).matches()) {
            return listing(sql, this::relations, this::lookupCell);
        }
        if (RELATION_DETAILS.matcher(sql).matches()) {
            return listing(sql, this::relationByOid, this::detailCell);
        }
        if (ATTRIBUTES.matcher(sql).matches()) {
            return listing(sql, this::attributesByOid, PsqlDescribe::attributeCell);
        }
        if (INDEXES.matcher(sql).matches()) {
            return listing(sql, this::indexesByOid, PsqlDescribe::indexCell);
        }
        if (ROLES.matcher(sql).matches()) {
            return listing(sql, this::roles, PsqlDescribe::roleCell);
        }
        if (VIEW_DEF.matcher(sql).matches()) {
            return listing(sql, this::viewDefinition, (item, def) -> def);
        }
        if (RELATION_LIST.matcher(sql).matches()) {
            return listing(sql, this::relations, this::relationCell);
        }
        if (SCHEMA_LIST.matcher(sql).matches()) {
            return listing(sql, this::schemas, this::schemaCell);
        }
        if (DATABASE_LIST.matcher(sql).matches()) {
            return listing(sql, s -> List.of(session.server.databaseName()), this::databaseCell);
        }
        return null;
    }

    private interface Rows<T> {
        List<T> load(String sql) throws SQLException;
    }

    /** A statement whose rows are objects of the model and whose cells come from the select items. */
    private <T> LocalStatement listing(String sql, Rows<T> rows, Cell<T> cell) {
        List<SelectList.Item> items = SelectList.items(sql);
        List<Column> cols = Column.texts(items);
        return LocalStatement.of(cols, params -> {
            List<Object[]> out = new ArrayList<>();
            for (T row : rows.load(sql)) {
                Object[] values = new Object[items.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = text(cell.value(items.get(i), row));
                }
                out.add(values);
            }
            return LocalStatement.Result.rows(out);
        });
    }

    private static Object text(Object v) {
        if (v instanceof Boolean b) {
            return b ? "t" : "f";
        }
        return v == null ? null : v.toString();
    }

    private CatalogSnapshot snapshot() throws SQLException {
        return new CatalogSnapshot(session.conn, session.user);
    }

    // ---- \df ----------------------------------------------------------------------------

    private List<CatalogSnapshot.Function> functions(String sql) throws SQLException {
        CatalogSnapshot cat = snapshot();
        var names = SelectList.regexConditions(sql, "proname");
        var schemas = SelectList.regexConditions(sql, "nspname");
        List<String> excluded = SelectList.excludedValues(sql, "nspname");
        boolean visibleOnly = schemas.stream().allMatch(SelectList.RegexCondition::negated) && sql.contains("pg_function_is_visible");
        // \\da, \\dfa ask for prokind = 'a'; \\dfn excludes aggregates
        boolean onlyAggregates = ONLY_AGGREGATES.matcher(sql).matches();
        boolean noAggregates = NO_AGGREGATES.matcher(sql).matches();
        List<CatalogSnapshot.Function> out = new ArrayList<>();
        for (CatalogSnapshot.Function f : cat.functions) {
            if ((f.kind() == 'a' ? !noAggregates : !onlyAggregates) && SelectList.allMatch(names, f.name()) && SelectList.allMatch(schemas, f.schema()) && !excluded.contains(f.schema())
                    && (!visibleOnly || cat.isVisible(f.schema()))) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparing(CatalogSnapshot.Function::schema).thenComparing(CatalogSnapshot.Function::name)
                .thenComparing(CatalogSnapshot.Function::arguments));
        return out;
    }

    private Object functionCell(SelectList.Item item, CatalogSnapshot.Function f) {
        switch (item.label()) {
            case "Schema":
                return f.schema();
            case "Name":
                return f.name();
            case "Result data type":
                return f.result();
            case "Argument data types":
                return f.arguments();
            case "Type":
                return f.kind() == 'a' ? "agg" : "func";
            case "Volatility":
                return f.volatility() == 'i' ? "immutable" : f.volatility() == 's' ? "stable" : "volatile";
            case "Parallel":
                return "unsafe";
            case "Owner":
                return functionOwner(f);
            case "Access privileges":
                return functionAcl(f);
            case "Security":
                return "invoker";
            case "Language":
                return "wasm";
            case "Source code":
            case "Internal name":
                // prosrc: for a C function PostgreSQL keeps the link symbol there (the library is probin), so: the export
                return f.kind() == 'a' ? f.module() : f.export();
            case "Description":
                // COMMENT ON FUNCTION's text, as PostgreSQL shows it; without one, what the guest may see of clocks and
                // random numbers (docs/WASI.md), since PostgreSQL shows proconfig nowhere in \df+
                if (f.description() != null) {
                    return f.description();
                }
                return f.grants() == null ? null : "wasm.grants = '" + f.grants() + "'";
            default:
                return null;
        }
    }

    /** The role that created {@code f} (functions of the embedding application's H2 user: the bootstrap role's). */
    private String functionOwner(CatalogSnapshot.Function f) {
        RoleStore store = session.pg == null ? null : session.pg.roles();
        if (store == null || f.owner() == null) {
            return session.user;
        }
        String role = store.roleOfH2User(f.owner());
        return store.find(role) != null ? role : store.bootstrapRole();
    }

    /** {@code f}'s EXECUTE privileges as PostgreSQL's aclitems, one a line; null (empty) for the default, as psql shows it. */
    private String functionAcl(CatalogSnapshot.Function f) {
        if (f.acl() == null) {
            return null;
        }
        String owner = functionOwner(f);
        RoleStore store = session.pg == null ? null : session.pg.roles();
        List<String> items = new ArrayList<>();
        for (String g : f.acl().split(",")) {
            if (!g.isEmpty()) {
                String grantee = g.equals("PUBLIC") ? "" : store == null ? g.toLowerCase(Locale.ROOT) : store.roleOfH2User(g);
                items.add(grantee + "=X/" + owner);
            }
        }
        return String.join("\n", items);
    }

    // ---- \dt, \d, \dv and the \d NAME lookup --------------------------------------------

    private List<CatalogSnapshot.Relation> relations(String sql) throws SQLException {
        CatalogSnapshot cat = snapshot();
        var names = SelectList.regexConditions(sql, "relname");
        var schemas = SelectList.regexConditions(sql, "nspname");
        List<String> excluded = SelectList.excludedValues(sql, "nspname");
        String kinds = SelectList.relkinds(sql);
        boolean visibleOnly = schemas.stream().allMatch(SelectList.RegexCondition::negated) && sql.contains("pg_table_is_visible");
        List<CatalogSnapshot.Relation> out = new ArrayList<>();
        for (CatalogSnapshot.Relation r : cat.relations) {
            if ((kinds == null || kinds.indexOf(r.kind()) >= 0) && SelectList.allMatch(names, r.name())
                    && SelectList.allMatch(schemas, r.schema()) && !excluded.contains(r.schema())
                    && (!visibleOnly || cat.isVisible(r.schema()))) {
                out.add(r);
            }
        }
        return out;
    }

    private Object lookupCell(SelectList.Item item, CatalogSnapshot.Relation r) {
        switch (item.label()) {
            case "oid":
                return r.oid();
            case "nspname":
                return r.schema();
            case "relname":
                return r.name();
            default:
                return null;
        }
    }

    private Object relationCell(SelectList.Item item, CatalogSnapshot.Relation r) throws SQLException {
        switch (item.label()) {
            case "Schema":
                return r.schema();
            case "Name":
                return r.name();
            case "Type":
                return r.kind() == 'v' ? "view" : "table";
            case "Owner":
                return owner(r);
            case "Access privileges":
                return session.pg == null || session.pg.roles() == null ? null
                        : session.pg.roles().accessPrivileges(r.h2Schema(), r.h2Name());
            case "Persistence":
                return "permanent";
            case "Access method":
                return r.kind() == 'v' ? null : "heap";
            case "Size":
                return r.kind() == 'v' ? "0 bytes" : "8192 bytes";
            case "Description":
                return r.remarks() == null || r.remarks().isEmpty() ? null : r.remarks();
            default:
                return null;
        }
    }

    /** The owner of a relation: in H2 the owner of its schema, shown as its role. */
    private String owner(CatalogSnapshot.Relation r) throws SQLException {
        RoleStore store = session.pg == null ? null : session.pg.roles();
        return store == null ? session.user : store.schemaOwner(r.h2Schema());
    }

    // ---- \d NAME: details, columns, indexes ---------------------------------------------

    private record Rel(CatalogSnapshot snapshot, CatalogSnapshot.Relation relation) {
    }

    private List<Rel> relationByOid(String sql) throws SQLException {
        CatalogSnapshot cat = snapshot();
        CatalogSnapshot.Relation r = cat.relation(SelectList.oidFilter(sql));
        return r == null ? List.of() : List.of(new Rel(cat, r));
    }

    private Object detailCell(SelectList.Item item, Rel rel) throws SQLException {
        String e = item.lower();
        CatalogSnapshot.Relation r = rel.relation;
        if (e.contains("relchecks") || e.contains("reltablespace") || e.contains("relpages")) {
            return "0";
        }
        if (e.contains("relkind")) {
            return String.valueOf(r.kind());
        }
        if (e.contains("relhasindex")) {
            return !rel.snapshot.indexes(r).isEmpty();
        }
        if (e.contains("reloftype") || e.equals("''")) {
            return "";
        }
        if (e.contains("relpersistence")) {
            return "p";
        }
        if (e.contains("relreplident")) {
            return "d";
        }
        if (e.contains("amname")) {
            return r.kind() == 'v' ? null : "heap";
        }
        if (e.startsWith("false") || e.contains("relhas") || e.contains("relrowsecurity") || e.contains("relforcerowsecurity")
                || e.contains("relispartition")) {
            return false;
        }
        if (e.startsWith("true")) {
            return true;
        }
        return null;
    }

    private record Attr(CatalogSnapshot.Attribute attribute) {
    }

    private List<Attr> attributesByOid(String sql) throws SQLException {
        CatalogSnapshot cat = snapshot();
        CatalogSnapshot.Relation r = cat.relation(SelectList.oidFilter(sql));
        List<Attr> out = new ArrayList<>();
        if (r != null) {
            for (CatalogSnapshot.Attribute a : cat.attributes(r)) {
                out.add(new Attr(a));
            }
        }
        return out;
    }

    private static Object attributeCell(SelectList.Item item, Attr row) {
        String e = item.lower();
        CatalogSnapshot.Attribute a = row.attribute;
        if (e.contains("pg_get_expr")) {
            return a.defaultExpr();
        }
        if (e.contains("collname") || e.contains("col_description")) {
            return null;
        }
        if (e.contains("format_type")) {
            return a.formatType();
        }
        if (e.contains("attnotnull")) {
            return a.notNull();
        }
        if (e.contains("attidentity")) {
            return a.identity() ? "d" : "";
        }
        if (e.contains("attgenerated") || e.contains("attcompression")) {
            return "";
        }
        if (e.contains("attstorage")) {
            // pg_type.typstorage: fixed-length types are plain, numeric is main, other varlena types extended
            return a.type().length > 0 ? "p" : a.type() == PgType.NUMERIC ? "m" : "x";
        }
        if (e.contains("attstattarget")) {
            return e.contains("then null") ? null : "-1"; // psql 15 asks for NULL instead of the default -1
        }
        if (e.contains("attname")) {
            return a.name();
        }
        return null;
    }

    private record Idx(CatalogSnapshot.Relation relation, CatalogSnapshot.Index index) {
    }

    private List<Idx> indexesByOid(String sql) throws SQLException {
        CatalogSnapshot cat = snapshot();
        CatalogSnapshot.Relation r = cat.relation(SelectList.oidFilter(sql));
        List<Idx> out = new ArrayList<>();
        if (r != null) {
            for (CatalogSnapshot.Index i : cat.indexes(r)) {
                out.add(new Idx(r, i));
            }
        }
        return out;
    }

    private static Object indexCell(SelectList.Item item, Idx row) {
        String e = item.lower();
        CatalogSnapshot.Index i = row.index;
        if (e.contains("pg_get_indexdef")) {
            return CatalogSnapshot.indexDef(row.relation, i);
        }
        if (e.contains("pg_get_constraintdef")) {
            return i.primary() ? "PRIMARY KEY (" + String.join(", ", i.columns().stream().map(CatalogSnapshot::quoteIdent).toList()) + ")"
                    : null;
        }
        if (e.contains("reltablespace")) {
            return "0";
        }
        if (e.contains("relname")) {
            return i.name();
        }
        if (e.contains("indisprimary")) {
            return i.primary();
        }
        if (e.contains("indisunique")) {
            return i.unique();
        }
        if (e.contains("indisvalid")) {
            return true;
        }
        if (e.contains("contype")) {
            return i.primary() ? "p" : null;
        }
        return false; // indisclustered, condeferrable, condeferred, indisreplident, indnullsnotdistinct
    }

    // ---- \du and view definitions -------------------------------------------------------

    private List<RoleStore.Role> roles(String sql) {
        var names = SelectList.regexConditions(sql, "rolname");
        RoleStore store = session.pg == null ? null : session.pg.roles();
        List<RoleStore.Role> all = store == null ? List.of(new RoleStore.Role(session.user, true, true, true, null, "", -1, null)) : store.all();
        List<RoleStore.Role> out = new ArrayList<>();
        for (RoleStore.Role r : all) {
            if (SelectList.allMatch(names, r.name())) {
                out.add(r);
            }
        }
        return out;
    }

    private static Object roleCell(SelectList.Item item, RoleStore.Role r) {
        String e = item.lower();
        if (e.contains("memberof") || e.startsWith("array(")) {
            return "{}";
        }
        if (e.contains("rolname")) {
            return r.name();
        }
        if (e.contains("rolconnlimit")) {
            return Integer.toString(r.connectionLimit());
        }
        if (e.contains("rolvaliduntil")) {
            return r.validUntil() == null ? null : r.validUntil().toString();
        }
        if (e.contains("rolreplication") || e.contains("rolbypassrls")) {
            return false;
        }
        if (e.contains("rolsuper")) {
            return r.superuser();
        }
        if (e.contains("rolcreaterole")) {
            return r.superuser() || r.createRole();
        }
        if (e.contains("rolcreatedb")) {
            return r.superuser();
        }
        if (e.contains("rolcanlogin")) {
            return r.login();
        }
        return true; // rolinherit
    }

    private List<String> viewDefinition(String sql) throws SQLException {
        java.util.regex.Matcher m = VIEW_DEF.matcher(sql);
        m.matches();
        CatalogSnapshot cat = snapshot();
        CatalogSnapshot.Relation r = cat.relation(Long.parseLong(m.group(1)));
        if (r == null || r.kind() != 'v') {
            return List.of();
        }
        try (java.sql.PreparedStatement ps = session.conn.prepareStatement(
                "SELECT VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, r.h2Schema());
            ps.setString(2, r.h2Name());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? List.of(" " + rs.getString(1) + ";") : List.of();
            }
        }
    }

    // ---- \dn and \l ---------------------------------------------------------------------

    private List<CatalogSnapshot.Namespace> schemas(String sql) throws SQLException {
        CatalogSnapshot cat = snapshot();
        var names = SelectList.regexConditions(sql, "nspname");
        List<String> excluded = SelectList.excludedValues(sql, "nspname");
        List<CatalogSnapshot.Namespace> out = new ArrayList<>();
        for (CatalogSnapshot.Namespace n : cat.namespaces) {
            if (SelectList.allMatch(names, n.name()) && !excluded.contains(n.name())) {
                out.add(n);
            }
        }
        out.sort(Comparator.comparing(CatalogSnapshot.Namespace::name));
        return out;
    }

    private Object schemaCell(SelectList.Item item, CatalogSnapshot.Namespace n) {
        switch (item.label()) {
            case "Name":
                return n.name();
            case "Owner":
                return session.user;
            default:
                return null;
        }
    }

    private Object databaseCell(SelectList.Item item, String db) {
        switch (item.label().toLowerCase(Locale.ROOT)) {
            case "name":
                return db;
            case "owner":
                return session.user;
            case "encoding":
                return "UTF8";
            case "collate":
            case "ctype":
                return "C";
            case "locale provider":
                return "libc";
            default:
                return null;
        }
    }
}
