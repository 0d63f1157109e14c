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

    /** The local statement for a session command, or null if the SQL is for the database. */
    static LocalStatement match(Session s, String sql) {
        List<String> w = SqlText.keywords(sql, 3);
        if (w.isEmpty()) {
            return null;
        }
        String text = sql.strip();
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
                    applyCharacteristics(s.conn, text);
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
                return set(s, text);
            case "RESET":
                if (w.size() >= 2) {
                    return command(p -> LocalStatement.Result.of("RESET"));
                }
                return null;
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

    private static LocalStatement set(Session s, String text) {
        Matcher tz = SET_TIME_ZONE.matcher(text);
        if (tz.matches()) {
            return setParam(s, "TimeZone", tz.group(1));
        }
        Matcher ch = SET_CHARACTERISTICS.matcher(text);
        if (ch.matches()) {
            return command(p -> {
                applyCharacteristics(s.conn, ch.group(1));
                return LocalStatement.Result.of("SET");
            });
        }
        if (text.toUpperCase(Locale.ROOT).matches("(?s)SET\\s+TRANSACTION\\b.*")) {
            return command(p -> {
                applyCharacteristics(s.conn, text);
                return LocalStatement.Result.of("SET");
            });
        }
        Matcher m = SET.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String name = m.group(1);
        if (isPostgresParameter(s, name)) {
            return setParam(s, name, m.group(2));
        }
        LocalStatement local = setParam(s, name, m.group(2));
        return command(p -> {
            // not a PostgreSQL parameter we know: it may be an H2 setting (SET LOCK_TIMEOUT 5000...)
            try (java.sql.Statement st = s.conn.createStatement()) {
                st.execute(text);
            } catch (SQLException e) {
                if (e.getErrorCode() != 42000 && e.getErrorCode() != 42001) {
                    throw e; // H2 knows the setting but not the value
                }
                // neither knows it: keep it as a custom session parameter, as clients expect SET to work
            }
            return local.execute(p);
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
                default:
                    break;
            }
            s.settings.put(name, v);
            s.reportIfTracked(name);
            return LocalStatement.Result.of("SET");
        });
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

    private static void applySearchPath(Session s, String path) {
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

    private static void applyCharacteristics(Connection conn, String text) throws SQLException {
        Matcher iso = ISOLATION.matcher(text);
        if (iso.matches()) {
            String level = iso.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            int jdbc = switch (level) {
                case "SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
                case "REPEATABLE READ" -> Connection.TRANSACTION_REPEATABLE_READ;
                case "READ UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
                default -> Connection.TRANSACTION_READ_COMMITTED;
            };
            conn.setTransactionIsolation(jdbc);
        }
        Matcher ro = READ_ONLY.matcher(text);
        if (ro.matches()) {
            conn.setReadOnly(ro.group(1).equalsIgnoreCase("ONLY"));
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
