package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Translates JDBC/H2 exceptions into PostgreSQL SQLSTATEs ({@link SqlStates}) and message wording. */
final class PgErrors {
    private PgErrors() {
    }

    /** H2 vendor error codes (org.h2.api.ErrorCode) to PostgreSQL SQLSTATEs. */
    private static final Map<Integer, String> H2_CODES = Map.ofEntries(
            Map.entry(42101, "42P07"), // table or view already exists
            Map.entry(42102, "42P01"), // table or view not found
            Map.entry(42103, "42P01"),
            Map.entry(42104, "42P01"),
            Map.entry(42111, "42P07"), // index already exists
            Map.entry(42112, "42704"), // index not found
            Map.entry(42121, "42701"), // duplicate column name
            Map.entry(42122, "42703"), // column not found
            Map.entry(42131, "42P02"), // parameter not set... closest: undefined parameter
            Map.entry(42000, "42601"), // syntax error
            Map.entry(42001, "42601"),
            Map.entry(42602, "42602"), // invalid name
            Map.entry(42622, "42622"), // name too long
            Map.entry(90022, "42883"), // function not found
            Map.entry(90087, "42883"), // method (alias with that argument count) not found
            Map.entry(90077, "42883"), // function alias not found
            Map.entry(90076, "42723"), // function alias already exists
            Map.entry(90079, "3F000"), // schema not found
            Map.entry(90078, "42P06"), // schema already exists
            Map.entry(90045, "42710"), // constraint already exists
            Map.entry(90057, "42704"), // constraint not found
            Map.entry(90081, "42P10"),
            Map.entry(23502, "23502"), // null not allowed
            Map.entry(23503, "23503"), // referential integrity (child exists)
            Map.entry(23505, "23505"), // duplicate key
            Map.entry(23506, "23503"), // referential integrity (parent missing)
            Map.entry(23507, "23502"), // no default value
            Map.entry(23513, "23514"), // check constraint violated
            Map.entry(23514, "23514"),
            Map.entry(22001, "22001"), // value too long
            Map.entry(22003, "22003"), // numeric value out of range
            Map.entry(22004, "22003"),
            Map.entry(22007, "22007"), // invalid datetime format
            Map.entry(22012, "22012"), // division by zero
            Map.entry(22013, "22013"),
            Map.entry(22018, "22P02"), // data conversion error
            Map.entry(22025, "22025"), // like escape
            Map.entry(90008, "22023"), // invalid value
            Map.entry(90004, "22P02"), // hex string odd number of characters
            Map.entry(90003, "22P02"), // hex string contains non-hex character
            Map.entry(57014, "57014"), // statement canceled
            Map.entry(50004, "42704"), // unknown data type
            Map.entry(50100, "0A000"), // feature not supported
            Map.entry(50200, "55P03"), // lock timeout
            Map.entry(40001, "40P01"), // deadlock
            Map.entry(90131, "40001"), // concurrent update
            Map.entry(90007, "55000"), // object closed
            Map.entry(90006, "23502"), // null not allowed for sequence etc.
            Map.entry(90012, "07002"), // parameter not set
            Map.entry(90043, "42P13"),
            Map.entry(90062, "58030"), // I/O
            Map.entry(90028, "58030"),
            Map.entry(90098, "57P01"), // database closed
            Map.entry(90121, "57P01"),
            Map.entry(90020, "55006"), // database in use
            Map.entry(90096, "42501"), // not enough rights for an object
            Map.entry(90040, "42501") // admin rights required
    );

    private static final Pattern H2_TAIL = Pattern.compile("(?s)(; SQL statement:.*)?(\\s*\\[\\d{5}-\\d+])?\\s*$");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")*)\"");
    private static final Pattern METHOD = Pattern.compile("Method \"(\\S+) \\(.*parameter count: (\\d+)\\)");
    private static final Pattern H2_SQLSTATE = Pattern.compile("\\d{5}|[0-9A-Z]{2}[0-9A-Z]{3}");

    /** The ErrorResponse fields for an exception raised while executing a statement. */
    static PgError of(SQLException e) {
        if (e instanceof ReportedException r) {
            return r.error();
        }
        if (e instanceof io.wasmudf.sql.HintedSQLException h) {
            return new PgError("ERROR", stateOf(e), h.primaryMessage(), null, h.hint(), 0);
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            // raised inside a function call (an overloaded name's dispatch), wrapped by H2 with the same SQLSTATE
            if (t instanceof io.wasmudf.sql.HintedSQLException h && h.getSQLState() != null && h.getSQLState().equals(e.getSQLState())) {
                return new PgError("ERROR", stateOf(h), h.primaryMessage(), null, h.hint(), 0);
            }
        }
        String state = stateOf(e);
        if (isH2(e) && (e.getErrorCode() == 42000 || e.getErrorCode() == 42001)) {
            PgError syntax = syntaxError(e.getMessage());
            if (syntax != null) {
                return syntax;
            }
        }
        String message = messageOf(e, state);
        String detail = null;
        if (state.equals(SqlStates.QUERY_CANCELED)) {
            // PostgreSQL's fixed wording, with the engine's own message (naming the wasm function) as DETAIL
            String raw = e.getMessage() == null ? null : H2_TAIL.matcher(e.getMessage()).replaceFirst("");
            detail = raw != null && raw.startsWith("function ") ? raw : null;
        }
        // PostgreSQL's HINT when a call's name and arguments match no function (parse_func.c)
        String hint = isH2(e) && (e.getErrorCode() == 90022 || e.getErrorCode() == 90087) ? UNDEFINED_FUNCTION_HINT : null;
        return new PgError("ERROR", state, message, detail, hint, 0);
    }

    static final String UNDEFINED_FUNCTION_HINT = "No function matches the given name and argument types. You might need to add explicit type casts.";

    private static final Pattern H2_SYNTAX = Pattern.compile("(?s)Syntax error in SQL statement \"(.*?)\"(?:; expected .*)?; SQL statement:.*");

    /**
     * PostgreSQL's wording for a syntax error, with the 1-based position of the offending token
     * (H2 marks it with [*] in the statement it echoes), so psql can point at it.
     */
    static PgError syntaxError(String h2Message) {
        Matcher m = H2_SYNTAX.matcher(h2Message == null ? "" : h2Message);
        if (!m.matches()) {
            return null;
        }
        String echoed = m.group(1);
        int marker = echoed.indexOf("[*]");
        if (marker < 0) {
            return null;
        }
        String rest = echoed.substring(marker + 3);
        int start = 0;
        while (start < rest.length() && Character.isWhitespace(rest.charAt(start))) {
            start++;
        }
        if (start == rest.length()) {
            return new PgError("ERROR", "42601", "syntax error at end of input", null, null, marker + 1);
        }
        String token = rest.substring(start, SqlText.skipToken(rest, start));
        return new PgError("ERROR", "42601", "syntax error at or near \"" + token + "\"", null, null, marker + start + 1);
    }

    static String stateOf(SQLException e) {
        String mapped = isH2(e) ? H2_CODES.get(e.getErrorCode()) : null;
        if (mapped != null) {
            return mapped;
        }
        String s = e.getSQLState();
        if (isH2(e) && s != null && s.matches("\\d{5}") && s.startsWith("9")) {
            return SqlStates.INTERNAL_ERROR; // an H2-specific 9xxxx code means nothing to a PostgreSQL client
        }
        if (s != null && s.length() == 5 && H2_SQLSTATE.matcher(s).matches() && !s.startsWith("HY") && !s.startsWith("42S")) {
            return s;
        }
        if (s != null && s.startsWith("42S")) {
            return "42000";
        }
        return SqlStates.INTERNAL_ERROR;
    }

    private static boolean isH2(SQLException e) {
        return e.getClass().getName().startsWith("org.h2.");
    }

    private static String messageOf(SQLException e, String state) {
        String raw = e.getMessage() == null ? e.toString() : e.getMessage();
        String msg = H2_TAIL.matcher(raw).replaceFirst("");
        if (!isH2(e)) {
            return msg;
        }
        if (e.getErrorCode() == 90087) {
            Matcher m = METHOD.matcher(msg);
            if (m.find()) {
                String fn = m.group(1).equals(m.group(1).toUpperCase(java.util.Locale.ROOT)) ? m.group(1).toLowerCase(java.util.Locale.ROOT)
                        : m.group(1);
                return "function " + fn + " with " + m.group(2) + " argument(s) does not exist";
            }
        }
        Matcher q = QUOTED.matcher(msg);
        String name = q.find() ? q.group(1).replace("\"\"", "\"") : null;
        if (name != null && name.equals(name.toUpperCase(java.util.Locale.ROOT))) {
            name = name.toLowerCase(java.util.Locale.ROOT); // H2 upper-cases unquoted names, PostgreSQL lower-cases them
        }
        if (name != null) {
            switch (state) {
                case "42P01":
                    return "relation \"" + name + "\" does not exist";
                case "42703":
                    return "column \"" + name + "\" does not exist";
                case "42883":
                    return "function " + name + " does not exist";
                case "42P07":
                    return "relation \"" + name + "\" already exists";
                case "42704":
                    return msg.startsWith("Unknown data type") ? "type \"" + name + "\" does not exist" : msg;
                case "42501":
                    if (e.getErrorCode() != 90096) {
                        return msg; // not H2's "not enough rights for object": a message of our own (a trigger's, the catalog's)
                    }
                    return name.contains(".") ? "permission denied for table " + name.substring(name.lastIndexOf('.') + 1)
                            : "permission denied for schema " + name;
                default:
                    break;
            }
        }
        if (e.getErrorCode() == 90040) {
            // superusers too: no client session is H2's administrator (unless --allow-host-access)
            return "permission denied: only H2's administrator may do this, and no client session is one (" + msg + ")";
        }
        if (state.equals("22012")) {
            return "division by zero";
        }
        if (state.equals(SqlStates.QUERY_CANCELED)) {
            return "canceling statement due to user request";
        }
        return msg;
    }
}
