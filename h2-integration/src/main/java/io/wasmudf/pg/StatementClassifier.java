package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one place every statement of a wire session passes before anything runs. It lexes the
 * text as H2 will ({@link StatementLexer}), then decides in this order:
 * <ol>
 * <li>refusals that hold for every client, superuser included ({@link HostAccessPolicy}), and
 *     the statement policy: one statement per message, the wasm catalog written only through its
 *     DDL, read-only transactions (25006);</li>
 * <li>session commands (BEGIN, SET, SHOW…), answered by {@link SessionCommands};</li>
 * <li>role and privilege commands (CREATE ROLE, GRANT…), answered by {@link RoleCommands};</li>
 * <li>catalog queries, only when a FROM item is a {@code pg_catalog} relation (or the statement
 *     calls a {@code pg_catalog} function): answered by {@link CatalogQueries}, and an unknown
 *     one is 0A000, never an empty result;</li>
 * <li>everything else goes to the database.</li>
 * </ol>
 */
final class StatementClassifier {
    private final Session session;

    StatementClassifier(Session session) {
        this.session = session;
    }

    /**
     * Where one statement goes: answered by the server ({@code local}), a COPY the server runs row by
     * row ({@code copy}), or run by the database (both null).
     */
    record Route(SqlStatement statement, LocalStatement local, CopyStatement copy) {
        Route(SqlStatement statement, LocalStatement local) {
            this(statement, local, null);
        }

        boolean empty() {
            return statement.isEmpty();
        }
    }

    /** Classifies {@code sql}; throws the refusal (42501, 25006, 0A000, 42601) when it may not run. */
    Route classify(String sql) throws SQLException {
        SqlStatement s = SqlStatement.of(sql);
        if (s.isEmpty()) {
            return new Route(s, null);
        }
        checkPolicy(s);
        if (s.kind.equals("COPY")) {
            // its rows move as an INSERT or a query, which classify() checks again when the COPY runs
            return new Route(s, null, CopyStatement.parse(s));
        }
        LocalStatement local = SessionCommands.match(session, s);
        if (local == null) {
            local = session.roles.match(s);
        }
        if (local == null && s.isQuery() && s.fromRelations().isEmpty()) {
            local = session.catalog.bareFunction(s);
            if (local == null) {
                local = new ServerFunctions(session).match(s);
            }
        }
        if (local == null && isCatalogQuery(s)) {
            local = session.catalog.match(s);
        }
        if (local == null) {
            checkLies(s);
            checkReadOnly(s);
        }
        return new Route(s, local);
    }

    /**
     * Whether {@code s} is a superuser's query that reads only {@code information_schema.sessions}
     * and calls only harmless functions: H2 shows other sessions only to its administrators, and a
     * superuser's session is not one, so such a query runs on the server's own connection instead
     * (PostgreSQL shows every session's query to superusers in pg_stat_activity). Nothing else
     * ever runs there for a client.
     */
    boolean observesSessions(SqlStatement s) {
        if (!session.superuser || session.pg == null || session.pg.roles() == null || !s.isQuery()) {
            return false;
        }
        List<SqlStatement.Relation> relations = s.fromRelations();
        if (relations.isEmpty()) {
            return false;
        }
        for (SqlStatement.Relation r : relations) {
            if (r.function() || r.schema() == null || !r.schema().equalsIgnoreCase("INFORMATION_SCHEMA") || !r.name().equalsIgnoreCase("SESSIONS")) {
                return false;
            }
        }
        for (SqlStatement.Call c : s.calls()) {
            if (!SESSION_QUERY_FUNCTIONS.contains(c.name())) {
                return false;
            }
        }
        return true;
    }

    private static final Set<String> SESSION_QUERY_FUNCTIONS = Set.of("COUNT", "MIN", "MAX", "COALESCE", "LOWER", "UPPER", "LENGTH",
            "SUBSTRING", "LEFT", "POSITION", "CAST", "NOW", "CURRENT_TIMESTAMP");

    /**
     * Checks the exact text about to be given to the database (after the server's own rewrites of
     * parameters and bytea literals), so no rewrite can turn a literal into code.
     */
    void checkDatabaseText(String h2Sql) throws SQLException {
        SqlStatement s = SqlStatement.of(h2Sql);
        checkPolicy(s);
        checkLies(s);
    }

    private void checkPolicy(SqlStatement s) throws SQLException {
        if (s.hasSeveralStatements()) {
            throw new SQLException("cannot insert multiple commands into a prepared statement", SqlStates.SYNTAX_ERROR);
        }
        HostAccessPolicy.check(s, session.hostAccessAllowed());
        checkCatalogWrites(s);
    }

    /**
     * The wasm catalog is written only by wasm DDL and module uploads: a client may insert,
     * update and delete rows of {@code wasm.modules} (its trigger guards them) and read the
     * rest, but no statement writes {@code wasm.functions} or changes the catalog's tables,
     * and no session makes {@code wasm} its current schema (so unqualified names never reach it).
     */
    private static void checkCatalogWrites(SqlStatement s) throws SQLException {
        List<String> objects = s.objectsInSchema(CATALOG_SCHEMA);
        java.util.Set<String> writes = s.writeWords();
        // wasm function DDL names settings such as wasm.fuel, not tables, and only the DDL pipeline carries it out
        if (!objects.isEmpty() && !writes.isEmpty() && !s.kind.equals("GRANT") && !s.kind.equals("REVOKE")
                && !io.wasmudf.sql.FunctionDdlParser.isFunctionDdl(s.sql)) {
            boolean rowChange = java.util.Set.of("INSERT", "UPDATE", "DELETE", "MERGE").containsAll(writes);
            for (String o : objects) {
                if (!(rowChange && o.equals("MODULES"))) {
                    throw new SQLException("permission denied for table " + o.toLowerCase(Locale.ROOT)
                            + ": the wasm catalog changes only through CREATE/DROP FUNCTION and rows of wasm.modules", SqlStates.INSUFFICIENT_PRIVILEGE);
                }
            }
        }
        if (s.kind.equals("DROP SCHEMA") || s.kind.equals("ALTER SCHEMA")) {
            int i = s.word(2).equals("IF") && s.word(3).equals("EXISTS") ? 4 : 2;
            if (i < s.tokens.size() && s.tokens.get(i).isName(CATALOG_SCHEMA)) {
                throw new SQLException("permission denied for schema wasm: the wasm catalog changes only through its DDL",
                        SqlStates.INSUFFICIENT_PRIVILEGE);
            }
        }
        if (s.kind.equals("USE") && s.tokens.size() > 1 && s.tokens.get(1).isName(CATALOG_SCHEMA)) {
            throw new SQLException("permission denied for schema wasm: it cannot be the current schema", SqlStates.INSUFFICIENT_PRIVILEGE);
        }
    }

    static final String CATALOG_SCHEMA = "wasm";

    /** H2 functions that answer PostgreSQL's questions with a constant: refused rather than trusted. */
    private static void checkLies(SqlStatement s) throws SQLException {
        for (SqlStatement.Call c : s.calls()) {
            if (ServerFunctions.NAMES.contains(c.name())) {
                throw new SQLException("function " + c.name().toLowerCase(Locale.ROOT) + " is only supported as a statement of its own,"
                        + " SELECT " + c.name().toLowerCase(Locale.ROOT) + "(…)", SqlStates.FEATURE_NOT_SUPPORTED);
            }
            if (c.name().equals("SET_CONFIG")) {
                throw new SQLException("function set_config is not supported: use SET", SqlStates.FEATURE_NOT_SUPPORTED);
            }
        }
    }

    /** A catalog query: a FROM item or a called function is in pg_catalog (or is a pg_catalog relation by its bare name). */
    static boolean isCatalogQuery(SqlStatement s) {
        for (SqlStatement.Relation r : s.fromRelations()) {
            if (r.schema() != null) {
                if (r.schema().equalsIgnoreCase("pg_catalog")
                        || r.schema().equalsIgnoreCase("information_schema") && r.name().toLowerCase(Locale.ROOT).startsWith("_pg_")) {
                    return true;
                }
            } else if (!r.function() && CatalogQueries.isCatalogRelation(r.name())) {
                return true;
            }
        }
        for (SqlStatement.Call c : s.calls()) {
            if ("PG_CATALOG".equals(c.schema())) {
                return true;
            }
        }
        return false;
    }

    /**
     * In a read-only transaction only queries run, as in PostgreSQL (25006 "cannot execute
     * INSERT in a read-only transaction"); H2 itself ignores JDBC's read-only flag.
     */
    private void checkReadOnly(SqlStatement s) throws SQLException {
        if (!session.isReadOnly()) {
            return;
        }
        if (s.kind.startsWith("EXPLAIN ") && !s.word(1).equals("ANALYZE")) {
            return; // shows a plan, runs nothing
        }
        String kind = s.kind;
        // a query is read-only unless it writes somewhere (WITH … DELETE, SELECT … FOR UPDATE, nextval); SET and CALL change no data;
        // EXECUTE of a prepared statement may, and is refused here rather than looked into
        boolean readKind = kind.equals("SELECT") || kind.startsWith("SET ") || kind.equals("CALL") || kind.equals("HELP")
                || kind.equals("PREPARE SELECT");
        boolean writes = !readKind || !s.writeWords().isEmpty();
        for (SqlStatement.Call c : s.calls()) {
            writes |= c.name().equals("NEXTVAL") || c.name().equals("SETVAL");
        }
        for (int i = 0; i + 2 < s.tokens.size() && !writes; i++) {
            writes = s.word(i).equals("NEXT") && s.word(i + 1).equals("VALUE") && s.word(i + 2).equals("FOR");
        }
        for (int i = 0; i + 1 < s.tokens.size() && !writes; i++) {
            writes = s.word(i).equals("FOR") && s.word(i + 1).equals("SHARE");
        }
        if (writes) {
            String what = kind.isEmpty() ? "this statement" : kind.startsWith("SELECT") ? "SELECT FOR UPDATE/nextval()" : kind;
            throw new SQLException("cannot execute " + what + " in a read-only transaction", SqlStates.READ_ONLY_SQL_TRANSACTION);
        }
    }
}
