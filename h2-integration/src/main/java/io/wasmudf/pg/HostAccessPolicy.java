package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What no wire client may do, superuser included: everything in H2 2.4.240's grammar and
 * built-in functions that reaches the host's files, processes or network, loads Java code, or
 * stops, locks or destroys the service for everybody (the list was made from H2's
 * {@code Parser}, {@code CommandInterface} statement types, {@code SetTypes} and
 * {@code BuiltinFunctions}; docs/SECURITY.md gives the decision for each). A refusal is 42501
 * with PostgreSQL's "permission denied for …" wording, before anything runs. A server started
 * with host access allowed ({@code --allow-host-access}) lets the host-reaching entries through
 * for its superuser; the service-wide ones stay refused.
 */
final class HostAccessPolicy {
    private HostAccessPolicy() {
    }

    /** Why an entry is refused: it reaches the host (an operator may allow it) or it breaks the service for all. */
    enum Scope {
        HOST, SERVICE
    }

    /** One refused statement kind or function and the message a client gets. */
    record Entry(Scope scope, String message) {
    }

    private static final String JAVA = "permission denied for language java: H2 Java functions, triggers and aggregates run"
            + " arbitrary code in the server (use LANGUAGE wasm)";

    /** Statement kinds, as {@link SqlStatement#kind} names them. */
    static final Map<String, Entry> STATEMENTS = Map.ofEntries(
            Map.entry("CREATE ALIAS", new Entry(Scope.HOST, JAVA)),
            Map.entry("CREATE TRIGGER", new Entry(Scope.HOST, JAVA)),
            Map.entry("CREATE AGGREGATE", new Entry(Scope.HOST, JAVA)),
            Map.entry("CREATE LINKED TABLE", new Entry(Scope.HOST,
                    "permission denied to create linked table: it opens a JDBC connection (and files) from the server")),
            Map.entry("DROP ALIAS", new Entry(Scope.SERVICE,
                    "permission denied for DROP ALIAS: wasm functions are dropped with DROP FUNCTION, which keeps the catalog in step")),
            Map.entry("DROP AGGREGATE", new Entry(Scope.SERVICE, "permission denied for DROP AGGREGATE: H2 Java aggregates are managed by"
                    + " the embedding application")),
            Map.entry("DROP TRIGGER", new Entry(Scope.SERVICE, "permission denied for DROP TRIGGER: triggers are managed by the"
                    + " embedding application (wasm.modules_guard protects the module catalog)")),
            Map.entry("DROP ALL OBJECTS", new Entry(Scope.SERVICE, "permission denied for DROP ALL OBJECTS: it destroys the database"
                    + " (and with DELETE FILES its files)")),
            Map.entry("SCRIPT", new Entry(Scope.HOST, "permission denied for SCRIPT: it writes server files and reveals password"
                    + " hashes")),
            Map.entry("BACKUP", new Entry(Scope.HOST, "permission denied for BACKUP: it writes server files")),
            Map.entry("RUNSCRIPT", new Entry(Scope.HOST, "permission denied for RUNSCRIPT: it reads server files and URLs")),
            Map.entry("SHUTDOWN", new Entry(Scope.SERVICE, "permission denied for SHUTDOWN: stop the server with SIGTERM")),
            Map.entry("EXECUTE IMMEDIATE", new Entry(Scope.SERVICE, "permission denied for EXECUTE IMMEDIATE: statements built at run"
                    + " time bypass the server's statement checks")),
            Map.entry("PREPARE TRANSACTION", new Entry(Scope.SERVICE, "permission denied for two-phase commit: prepared transactions"
                    + " hold locks beyond their session")),
            Map.entry("COMMIT PREPARED", new Entry(Scope.SERVICE, "permission denied to finish prepared transaction")),
            Map.entry("ROLLBACK PREPARED", new Entry(Scope.SERVICE, "permission denied to finish prepared transaction")));

    /** H2 built-in functions, by upper-case name. */
    static final Map<String, Entry> FUNCTIONS = Map.ofEntries(
            Map.entry("FILE_READ", new Entry(Scope.HOST, "permission denied for function file_read")),
            Map.entry("FILE_WRITE", new Entry(Scope.HOST, "permission denied for function file_write")),
            Map.entry("CSVREAD", new Entry(Scope.HOST, "permission denied for function csvread")),
            Map.entry("CSVWRITE", new Entry(Scope.HOST, "permission denied for function csvwrite")),
            Map.entry("LINK_SCHEMA", new Entry(Scope.HOST, "permission denied for function link_schema")),
            Map.entry("DATABASE_PATH", new Entry(Scope.HOST, "permission denied for function database_path")),
            Map.entry("CANCEL_SESSION", new Entry(Scope.SERVICE, "permission denied for function cancel_session (use pg_cancel_backend)")),
            Map.entry("ABORT_SESSION", new Entry(Scope.SERVICE, "permission denied for function abort_session (use pg_terminate_backend)")));

    /**
     * H2 settings a session may change for itself; every other H2 setting (TRACE_LEVEL_FILE,
     * EXCLUSIVE, WRITE_DELAY, MODE, CACHE_SIZE, DATABASE_EVENT_LISTENER, JAVA_OBJECT_SERIALIZER,
     * ALLOW_LITERALS, …) changes the database for everybody or reaches the host, and is refused.
     */
    static final Set<String> SESSION_SETTINGS = Set.of("LOCK_TIMEOUT", "QUERY_TIMEOUT", "THROTTLE", "LAZY_QUERY_EXECUTION",
            "NON_KEYWORDS", "TRUNCATE_LARGE_LENGTH", "VARIABLE_BINARY", "@");

    /** Refuses {@code s} if it reaches the host or the whole service; {@code hostAllowed} lets the HOST entries through. */
    static void check(SqlStatement s, boolean hostAllowed) throws SQLException {
        Entry e = STATEMENTS.get(s.kind);
        if (e == null && s.kind.startsWith("EXPLAIN ")) {
            e = STATEMENTS.get(s.kind.substring("EXPLAIN ".length()));
        }
        if (e == null && s.kind.startsWith("PREPARE ")) {
            e = STATEMENTS.get(s.kind.substring("PREPARE ".length()));
        }
        if (e != null && (s.kind.equals("CREATE AGGREGATE") || s.kind.equals("DROP AGGREGATE"))
                && io.wasmudf.sql.FunctionDdlParser.isFunctionDdl(s.sql)) {
            e = null; // PostgreSQL's form (an argument list): a wasm aggregate, handled by the driver's DDL pipeline, never by H2
        }
        if (e == null && s.kind.equals("CREATE TABLE") && mentionsWord(s, "ENGINE")) {
            e = new Entry(Scope.HOST, "permission denied for table engines: CREATE TABLE … ENGINE loads a Java class");
        }
        refuseIf(e, hostAllowed);
        for (SqlStatement.Call c : s.calls()) {
            refuseIf(FUNCTIONS.get(c.name()), hostAllowed);
        }
    }

    private static boolean mentionsWord(SqlStatement s, String word) {
        return s.tokens.stream().anyMatch(t -> t.isWord(word));
    }

    private static void refuseIf(Entry e, boolean hostAllowed) throws SQLException {
        if (e != null && !(hostAllowed && e.scope() == Scope.HOST)) {
            throw new SQLException(e.message(), SqlStates.INSUFFICIENT_PRIVILEGE);
        }
    }

    /** Refuses an H2 setting outside {@link #SESSION_SETTINGS}, in PostgreSQL's words. */
    static void checkH2Setting(String name) throws SQLException {
        if (!SESSION_SETTINGS.contains(name.toUpperCase(Locale.ROOT))) {
            throw new SQLException("permission denied to set parameter \"" + name.toLowerCase(Locale.ROOT) + "\"",
                    SqlStates.INSUFFICIENT_PRIVILEGE);
        }
    }

    /** Every entry, for the tests that try each one. */
    static List<String> allNames() {
        List<String> all = new java.util.ArrayList<>(STATEMENTS.keySet());
        all.addAll(FUNCTIONS.keySet());
        return all;
    }
}
