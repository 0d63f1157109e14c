package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Transaction control and run-time parameter commands (BEGIN, COMMIT, SET, SHOW...) answered by the server. */
final class SessionCommands {
    private SessionCommands() {
    }

    private static final Pattern SET = Pattern.compile(
            "(?is)SET\\s+(?:SESSION\\s+|LOCAL\\s+)?(?!SESSION\\s+CHARACTERISTICS)([A-Za-z_][\\w.]*)\\s*(?:=|\\s+TO\\s+|\\s+)\\s*(.*?)\\s*;?\\s*");
    private static final Pattern SET_TIME_ZONE = Pattern.compile("(?is)SET\\s+(?:SESSION\\s+|LOCAL\\s+)?TIME\\s+ZONE\\s+(.*?)\\s*;?\\s*");
    private static final Pattern SET_CHARACTERISTICS = Pattern.compile(
            "(?is)SET\\s+SESSION\\s+CHARACTERISTICS\\s+AS\\s+TRANSACTION\\s+(.*?)\\s*;?\\s*");
    private static final Pattern SHOW = Pattern.compile("(?is)SHOW\\s+([A-Za-z_][\\w.]*|\"[^\"]+\")\\s*;?\\s*");
    private static final Pattern SAVEPOINT = Pattern.compile("(?is)SAVEPOINT\\s+(\\S+?)\\s*;?\\s*");
    private static final Pattern ROLLBACK_TO = Pattern.compile("(?is)ROLLBACK\\s+(?:WORK\\s+|TRANSACTION\\s+)?TO\\s+(?:SAVEPOINT\\s+)?(\\S+?)\\s*;?\\s*");
    private static final Pattern RELEASE = Pattern.compile("(?is)RELEASE\\s+(?:SAVEPOINT\\s+)?(\\S+?)\\s*;?\\s*");
    private static final Pattern ISOLATION = Pattern.compile("(?is).*ISOLATION\\s+LEVEL\\s+(SERIALIZABLE|REPEATABLE\\s+READ|READ\\s+COMMITTED|READ\\s+UNCOMMITTED).*");
    private static final Pattern READ_ONLY = Pattern.compile("(?is).*\\bREAD\\s+(ONLY|WRITE)\\b.*");

    /** Statements that still run in a failed transaction block. */
    static boolean allowedInFailedTransaction(String sql) {
        List<String> w = SqlText.keywords(sql, 3);
        if (w.isEmpty()) {
            return false;
        }
        switch (w.get(0)) {
            case "COMMIT":
            case "END":
            case "ABORT":
            case "ROLLBACK":
                return true;
            default:
                return false;
        }
    }

    /** The local statement for a session command, or null if the statement is for the database. */
    static LocalStatement match(Session s, SqlStatement st) throws SQLException {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < 3 && !st.word(i).isEmpty(); i++) {
            w.add(st.word(i));
        }
        if (w.isEmpty()) {
            return null;
        }
        String text = st.sql.strip();
        switch (w.get(0)) {
            case "BEGIN":
            case "START":
                if (w.get(0).equals("START") && (w.size() < 2 || !w.get(1).equals("TRANSACTION"))) {
                    return null;
                }
                return command(p -> {
                    String tag = s.begin();
                    if (tag == null) {
                        return LocalStatement.Result.warning("BEGIN", "25001", "there is already a transaction in progress");
                    }
                    applyCharacteristics(s, text, false);
                    return LocalStatement.Result.of(tag);
                });
            case "COMMIT":
            case "END":
                return command(p -> {
                    String tag = s.commit();
                    if (tag == null) {
                        return LocalStatement.Result.warning("COMMIT", "25P01", "there is no transaction in progress");
                    }
                    return LocalStatement.Result.of(tag);
                });
            case "ROLLBACK":
            case "ABORT": {
                Matcher m = ROLLBACK_TO.matcher(text);
                if (m.matches()) {
                    String name = m.group(1);
                    return command(p -> {
                        s.rollbackTo(unquote(name));
                        return LocalStatement.Result.of("ROLLBACK");
                    });
                }
                return command(p -> {
                    String tag = s.rollback();
                    if (tag == null) {
                        return LocalStatement.Result.warning("ROLLBACK", "25P01", "there is no transaction in progress");
                    }
                    return LocalStatement.Result.of(tag);
                });
            }
            case "SAVEPOINT": {
                Matcher m = SAVEPOINT.matcher(text);
                if (!m.matches()) {
                    return null;
                }
                return command(p -> {
                    s.savepoint(unquote(m.group(1)));
                    return LocalStatement.Result.of("SAVEPOINT");
                });
            }
            case "RELEASE": {
                Matcher m = RELEASE.matcher(text);
                if (!m.matches()) {
                    return null;
                }
                return command(p -> {
                    s.release(unquote(m.group(1)));
                    return LocalStatement.Result.of("RELEASE");
                });
            }
            case "SET":
                return set(s, st, text);
            case "RESET":
                if (w.size() >= 2) {
                    return command(p -> LocalStatement.Result.of("RESET"));
                }
                throw new SQLException("syntax error at end of input", SqlStates.SYNTAX_ERROR);
            case "SHOW":
                return show(s, text);
            case "DISCARD":
                return command(p -> LocalStatement.Result.of("DISCARD " + (w.size() > 1 ? w.get(1) : "ALL")));
            default:
                return null;
        }
    }

    private static LocalStatement command(LocalStatement.Body body) {
        return LocalStatement.of(List.of(), body);
    }

    private static LocalStatement set(Session s, SqlStatement st, String text) throws SQLException {
        Matcher tz = SET_TIME_ZONE.matcher(text);
        if (tz.matches()) {
            return setParam(s, "TimeZone", tz.group(1));
        }
        Matcher ch = SET_CHARACTERISTICS.matcher(text);
        if (ch.matches()) {
            return command(p -> {
                applyCharacteristics(s, ch.group(1), true);
                return LocalStatement.Result.of("SET");
            });
        }
        if (st.word(1).equals("TRANSACTION")) {
            return command(p -> {
                if (!s.inTransaction()) {
                    return LocalStatement.Result.warning("SET", "25P01", "SET TRANSACTION can only be used in transaction blocks");
                }
                applyCharacteristics(s, text, false);
                return LocalStatement.Result.of("SET");
            });
        }
        if (st.symbol(1, "@")) {
            return null; // an H2 session variable (SET @x = …): the database's
        }
        Matcher m = SET.matcher(text);
        if (!m.matches()) {
            throw new SQLException("syntax error in SET", SqlStates.SYNTAX_ERROR);
        }
        String name = m.group(1);
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.equals("ROLE") || upper.equals("AUTHORIZATION") || upper.equals("SESSION_AUTHORIZATION")) {
            return setRole(s, m.group(2));
        }
        if (isPostgresParameter(s, name)) {
            return setParam(s, name, m.group(2));
        }
        if (H2_SETTINGS.contains(name.toUpperCase(Locale.ROOT))) {
            HostAccessPolicy.checkH2Setting(name);
            return null; // a session setting of H2's own (SET LOCK_TIMEOUT 5000…)
        }
        throw new SQLException("unrecognized configuration parameter \"" + name + "\"", SqlStates.UNDEFINED_OBJECT);
    }

    /**
     * Every name H2 2.4's SET accepts (SetTypes and the forms its parser reads itself): a client
     * may change the session ones (HostAccessPolicy.SESSION_SETTINGS), never the others.
     */
    static final java.util.Set<String> H2_SETTINGS = java.util.Set.of("IGNORECASE", "MAX_LOG_SIZE", "MODE", "READONLY", "LOCK_TIMEOUT",
            "DEFAULT_LOCK_TIMEOUT", "DEFAULT_TABLE_TYPE", "CACHE_SIZE", "TRACE_LEVEL_SYSTEM_OUT", "TRACE_LEVEL_FILE", "TRACE_MAX_FILE_SIZE",
            "COLLATION", "CLUSTER", "WRITE_DELAY", "DATABASE_EVENT_LISTENER", "MAX_MEMORY_ROWS", "LOCK_MODE", "DB_CLOSE_DELAY", "THROTTLE",
            "MAX_MEMORY_UNDO", "MAX_LENGTH_INPLACE_LOB", "ALLOW_LITERALS", "OPTIMIZE_REUSE_RESULTS", "SCHEMA_SEARCH_PATH",
            "REFERENTIAL_INTEGRITY", "MAX_OPERATION_MEMORY", "EXCLUSIVE", "CREATE_BUILD", "QUERY_TIMEOUT", "REDO_LOG_BINARY",
            "JAVA_OBJECT_SERIALIZER", "RETENTION_TIME", "QUERY_STATISTICS", "QUERY_STATISTICS_MAX_ENTRIES", "LAZY_QUERY_EXECUTION",
            "BUILTIN_ALIAS_OVERRIDE", "AUTHENTICATOR", "IGNORE_CATALOGS", "CATALOG", "NON_KEYWORDS", "VARIABLE_BINARY",
            "DEFAULT_NULL_ORDERING", "TRUNCATE_LARGE_LENGTH", "AUTOCOMMIT", "PASSWORD", "SALT", "DATABASE", "BINARY_COLLATION",
            "UUID_COLLATION", "LOG", "UNDO_LOG", "CIPHER", "FILE_LOCK", "ACCESS_MODE_DATA", "AUTO_SERVER", "AUTO_RECONNECT",
            "PAGE_SIZE", "RECOVER", "INIT", "OPEN_NEW", "FORBID_CREATION", "IFEXISTS", "DB_CLOSE_ON_EXIT", "MV_STORE",
            "COMPRESS", "AUTO_COMPACT_FILL_RATE", "MAX_COMPACT_TIME", "ANALYZE_AUTO", "ANALYZE_SAMPLE", "DATABASE_TO_UPPER",
            "DATABASE_TO_LOWER", "CASE_INSENSITIVE_IDENTIFIERS", "OLD_INFORMATION_SCHEMA", "DEFRAG_ALWAYS", "LOB_TIMEOUT");

    /**
     * SET ROLE / SET SESSION AUTHORIZATION: a session always acts as the role it logged in as, so
     * only the forms that name that state (NONE, DEFAULT, its own name) succeed; switching is
     * refused (0A000) rather than answered with a SET that changes nothing.
     */
    private static LocalStatement setRole(Session s, String rawValue) {
        String value = unquoteValue(rawValue);
        String target = value.startsWith("\"") ? unquote(value) : value.toLowerCase(Locale.ROOT);
        return command(p -> {
            if (target.equals("none") || target.equals("default") || target.equals(s.user)) {
                return LocalStatement.Result.of("SET");
            }
            throw new SQLException("SET ROLE and SET SESSION AUTHORIZATION are not supported: a session acts as the role it logged"
                    + " in as (\"" + s.user + "\")", SqlStates.FEATURE_NOT_SUPPORTED);
        });
    }

    private static final java.util.Set<String> POSTGRES_PARAMETERS = java.util.Set.of("search_path", "schema", "names", "timezone",
            "datestyle", "client_encoding", "statement_timeout", "extra_float_digits", "client_min_messages", "bytea_output",
            "intervalstyle", "application_name", "default_transaction_isolation", "transaction_isolation", "lock_timeout",
            "idle_in_transaction_session_timeout", "standard_conforming_strings", "synchronous_commit", "work_mem", "jit",
            "row_security", "plan_cache_mode", "default_transaction_read_only", "role", "session_authorization");

    private static boolean isPostgresParameter(Session s, String name) {
        return name.contains(".") || POSTGRES_PARAMETERS.contains(name.toLowerCase(Locale.ROOT)) || s.settings.containsKey(name);
    }

    private static LocalStatement setParam(Session s, String rawName, String rawValue) {
        // SQL-standard spellings: SET SCHEMA 'x' is search_path, SET NAMES 'enc' is client_encoding
        String alias = rawName.equalsIgnoreCase("SCHEMA") ? "search_path" : rawName.equalsIgnoreCase("NAMES") ? "client_encoding" : rawName;
        String name = canonicalName(s, alias);
        String value = unquoteValue(rawValue);
        return command(p -> {
            String v = value;
            if (v.equalsIgnoreCase("DEFAULT")) {
                return LocalStatement.Result.of("SET");
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "client_encoding":
                    if (!v.replace("-", "").equalsIgnoreCase("UTF8") && !v.equalsIgnoreCase("unicode")) {
                        throw new SQLException("client encoding \"" + v + "\" is not supported; only UTF8 is", SqlStates.FEATURE_NOT_SUPPORTED);
                    }
                    v = "UTF8";
                    break;
                case "statement_timeout":
                    s.setQueryTimeoutMillis(parseMillis(v));
                    break;
                case "search_path":
                    applySearchPath(s, v);
                    break;
                case "default_transaction_read_only":
                    s.setDefaultReadOnly(parseBoolean(name, v));
                    break;
                case "transaction_read_only":
                    if (s.inTransaction()) {
                        s.setTransactionReadOnly(parseBoolean(name, v));
                    }
                    break;
                case "transaction_isolation":
                case "default_transaction_isolation":
                    s.conn.setTransactionIsolation(isolation(v.replace('_', ' ')));
                    break;
                default:
                    break;
            }
            s.settings.put(name, v);
            s.reportIfTracked(name);
            return LocalStatement.Result.of("SET");
        });
    }

    private static boolean parseBoolean(String name, String v) throws SQLException {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "on": case "true": case "yes": case "1": case "t": case "y":
                return true;
            case "off": case "false": case "no": case "0": case "f": case "n":
                return false;
            default:
                throw new SQLException("parameter \"" + name + "\" requires a Boolean value", SqlStates.INVALID_PARAMETER_VALUE);
        }
    }

    /** The JDBC level for a PostgreSQL isolation name; READ UNCOMMITTED behaves as READ COMMITTED, as in PostgreSQL. */
    private static int isolation(String level) throws SQLException {
        switch (level.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ")) {
            case "SERIALIZABLE":
                return Connection.TRANSACTION_SERIALIZABLE;
            case "REPEATABLE READ":
                return Connection.TRANSACTION_REPEATABLE_READ;
            case "READ COMMITTED":
            case "READ UNCOMMITTED":
                return Connection.TRANSACTION_READ_COMMITTED;
            default:
                throw new SQLException("invalid value for parameter \"transaction_isolation\": \"" + level + "\"", SqlStates.INVALID_PARAMETER_VALUE);
        }
    }

    private static String canonicalName(Session s, String name) {
        for (String k : s.settings.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static long parseMillis(String v) throws SQLException {
        Matcher m = Pattern.compile("(?i)(\\d+)\\s*(ms|s|min|h)?").matcher(v.trim());
        if (!m.matches()) {
            throw new SQLException("invalid value for parameter \"statement_timeout\": \"" + v + "\"", SqlStates.INVALID_PARAMETER_VALUE);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        switch (unit) {
            case "s":
                return n * 1000;
            case "min":
                return n * 60_000;
            case "h":
                return n * 3_600_000;
            default:
                return n;
        }
    }

    private static void applySearchPath(Session s, String path) throws SQLException {
        for (String part : path.split(",")) {
            if (unquote(part.trim()).equalsIgnoreCase(StatementClassifier.CATALOG_SCHEMA)) {
                throw new SQLException("permission denied for schema wasm: it cannot be on the search path (write wasm.modules,"
                        + " wasm.functions)", SqlStates.INSUFFICIENT_PRIVILEGE);
            }
        }
        for (String part : path.split(",")) {
            String p = part.trim();
            boolean quoted = p.startsWith("\"");
            String schema = unquote(p);
            if (schema.isEmpty() || schema.equals("$user") || schema.equalsIgnoreCase("pg_catalog")) {
                continue;
            }
            if (!quoted) {
                // an unquoted name folds like any identifier: to upper case in a default H2 database
                schema = s.foldUpper ? schema.toUpperCase(Locale.ROOT) : schema.toLowerCase(Locale.ROOT);
            }
            try {
                s.conn.setSchema(schema);
                return;
            } catch (SQLException e) {
                // PostgreSQL skips search_path entries that do not exist
            }
        }
    }

    /**
     * Applies ISOLATION LEVEL and READ ONLY/WRITE of BEGIN, SET TRANSACTION or (with
     * {@code session}) SET SESSION CHARACTERISTICS. The server enforces read-only itself (H2
     * ignores JDBC's flag); READ UNCOMMITTED runs as READ COMMITTED, as in PostgreSQL.
     */
    private static void applyCharacteristics(Session s, String text, boolean session) throws SQLException {
        Matcher iso = ISOLATION.matcher(text);
        if (iso.matches()) {
            s.conn.setTransactionIsolation(isolation(iso.group(1)));
        }
        Matcher ro = READ_ONLY.matcher(text);
        if (ro.matches()) {
            boolean readOnly = ro.group(1).equalsIgnoreCase("ONLY");
            if (session) {
                s.setDefaultReadOnly(readOnly);
                s.settings.put("default_transaction_read_only", readOnly ? "on" : "off");
                s.reportIfTracked("default_transaction_read_only");
            } else {
                s.setTransactionReadOnly(readOnly);
            }
        }
    }

    private static LocalStatement show(Session s, String text) {
        Matcher m = SHOW.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String name = unquote(m.group(1));
        if (name.equalsIgnoreCase("ALL")) {
            List<Column> cols = List.of(new Column("name", PgType.TEXT), new Column("setting", PgType.TEXT),
                    new Column("description", PgType.TEXT));
            return LocalStatement.of(cols, p -> {
                List<Object[]> rows = new ArrayList<>();
                for (Map.Entry<String, String> e : s.settings.entrySet()) {
                    rows.add(new Object[] {e.getKey(), e.getValue(), ""});
                }
                return new LocalStatement.Result(rows, "SHOW");
            });
        }
        String key = canonicalName(s, name);
        List<Column> cols = List.of(new Column(key.toLowerCase(Locale.ROOT), PgType.TEXT));
        return LocalStatement.of(cols, p -> {
            String v = s.settings.get(key);
            if (v == null) {
                if (key.equalsIgnoreCase("transaction_isolation")) {
                    v = "read committed";
                } else {
                    throw new SQLException("unrecognized configuration parameter \"" + name + "\"", SqlStates.UNDEFINED_OBJECT);
                }
            }
            List<Object[]> rows = new ArrayList<>();
            rows.add(new Object[] {v});
            return new LocalStatement.Result(rows, "SHOW");
        });
    }

    static String unquote(String s) {
        s = s.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s;
    }

    private static String unquoteValue(String v) {
        v = v.trim();
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1).replace("''", "'");
        }
        if (v.length() >= 2 && (v.startsWith("E'") || v.startsWith("e'")) && v.endsWith("'")) {
            return v.substring(2, v.length() - 1).replace("''", "'").replace("\\\\", "\\");
        }
        return v;
    }
}
