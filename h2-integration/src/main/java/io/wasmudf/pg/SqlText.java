package io.wasmudf.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lexical helpers over PostgreSQL SQL text: statement splitting, placeholders, command tags. */
final class SqlText {
    private SqlText() {
    }

    /** Splits a simple-query string into statements at top-level semicolons; blank ones are kept out. */
    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ';') {
                add(out, sql.substring(start, i));
                start = ++i;
            } else {
                i = skipToken(sql, i);
            }
        }
        add(out, sql.substring(start));
        return out;
    }

    private static void add(List<String> out, String stmt) {
        if (!isBlank(stmt)) {
            out.add(stmt.strip());
        }
    }

    /** True when the text holds only whitespace and comments (an empty query). */
    static boolean isBlank(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (startsComment(sql, i)) {
                i = skipToken(sql, i);
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean startsComment(String s, int i) {
        return s.startsWith("--", i) || s.startsWith("/*", i);
    }

    /** Returns the index just past the token (literal, identifier, comment or single char) at i. */
    static int skipToken(String s, int i) {
        int n = s.length();
        char c = s.charAt(i);
        if (c == '\'') {
            boolean escapes = i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
                    && (i < 2 || !Character.isLetterOrDigit(s.charAt(i - 2)));
            int j = i + 1;
            while (j < n) {
                char d = s.charAt(j);
                if (escapes && d == '\\') {
                    j += 2;
                } else if (d == '\'') {
                    if (j + 1 < n && s.charAt(j + 1) == '\'') {
                        j += 2;
                    } else {
                        return j + 1;
                    }
                } else {
                    j++;
                }
            }
            return n;
        }
        if (c == '"') {
            int j = s.indexOf('"', i + 1);
            while (j >= 0 && j + 1 < n && s.charAt(j + 1) == '"') {
                j = s.indexOf('"', j + 2);
            }
            return j < 0 ? n : j + 1;
        }
        if (c == '-' && s.startsWith("--", i)) {
            int j = s.indexOf('\n', i);
            return j < 0 ? n : j + 1;
        }
        if (c == '/' && s.startsWith("/*", i)) {
            int depth = 1;
            int j = i + 2;
            while (j < n && depth > 0) {
                if (s.startsWith("/*", j)) {
                    depth++;
                    j += 2;
                } else if (s.startsWith("*/", j)) {
                    depth--;
                    j += 2;
                } else {
                    j++;
                }
            }
            return j;
        }
        if (c == '$') {
            String tag = dollarTag(s, i);
            if (tag != null) {
                int j = s.indexOf(tag, i + tag.length());
                return j < 0 ? n : j + tag.length();
            }
        }
        if (Character.isLetterOrDigit(c) || c == '_') {
            int j = i + 1;
            while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$')) {
                j++;
            }
            return j;
        }
        return i + 1;
    }

    /** The opening $tag$ of a dollar-quoted string at i, or null ($1 is a parameter, not a quote). */
    private static String dollarTag(String s, int i) {
        if (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) {
            return null;
        }
        int j = i + 1;
        while (j < s.length() && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_'
                || (j > i + 1 && Character.isDigit(s.charAt(j))))) {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '$') {
            return s.substring(i, j + 1);
        }
        return null;
    }

    /** Result of turning $n placeholders into JDBC '?': the new text and, per '?', its $n index. */
    record Placeholders(String sql, int[] order, int count) {
    }

    /** Replaces $1..$n outside literals with '?'; order[k] is the 0-based parameter of the k-th '?'. */
    static Placeholders toJdbc(String sql) {
        StringBuilder sb = new StringBuilder(sql.length());
        List<Integer> order = new ArrayList<>();
        int max = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))
                    && (i == 0 || !(Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_'))) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                int index = Integer.parseInt(sql.substring(i + 1, Math.min(j, i + 6)));
                sb.append('?');
                order.add(index - 1);
                max = Math.max(max, index);
                i = j;
            } else if (c == '?') {
                // a bare '?' is not a PostgreSQL placeholder; JDBC would take it for one, so keep it quoted away
                sb.append('?');
                order.add(-1);
                i++;
            } else {
                int j = skipToken(sql, i);
                sb.append(sql, i, j);
                i = j;
            }
        }
        return new Placeholders(sb.toString(), order.stream().mapToInt(Integer::intValue).toArray(), max);
    }

    /**
     * Rewrites standard-string literals that are bytea hex input ({@code '\\x0102'}) into H2 binary
     * literals ({@code X'0102'}): PostgreSQL reads them as bytes when the context is bytea, H2 would
     * store the characters. Only data statements are rewritten; DDL such as CREATE FUNCTION keeps
     * its text for the driver to interpret.
     */
    static String rewriteByteaLiterals(String sql) {
        List<String> w = keywords(sql, 1);
        if (w.isEmpty() || !DATA_STATEMENTS.contains(w.get(0)) || sql.indexOf("'\\x") < 0 && sql.indexOf("'\\X") < 0) {
            return sql;
        }
        StringBuilder sb = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            int j = skipToken(sql, i);
            String token = sql.substring(i, j);
            boolean escapeString = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
            if (!escapeString && token.length() >= 4 && token.charAt(0) == '\''
                    && token.matches("'\\\\[xX]([0-9a-fA-F]{2})*'")) {
                sb.append("X'").append(token, 3, token.length());
            } else {
                sb.append(token);
            }
            i = j;
        }
        return sb.toString();
    }

    /**
     * PostgreSQL's {@code current_user}, {@code session_user} and {@code current_role} are the
     * role's name; H2's are its user's, which H2 upper-cases ({@code alice} would read
     * {@code ALICE}). In queries and row changes they become the role's name as a literal, found
     * with H2's own lexing ({@link StatementLexer}), so nothing inside a literal, a quoted name or a
     * comment changes. Other statements (DDL defaults, for one) keep H2's meaning.
     */
    static String rewriteSessionUser(String sql, String role) throws java.sql.SQLException {
        String upper = sql.toUpperCase(Locale.ROOT);
        if (role == null || upper.indexOf("_USER") < 0 && upper.indexOf("CURRENT_ROLE") < 0) {
            return sql;
        }
        SqlStatement s = SqlStatement.of(sql);
        if (!java.util.Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE").contains(s.kind)) {
            return sql;
        }
        StringBuilder sb = null;
        int copied = 0;
        for (int i = 0; i < s.tokens.size(); i++) {
            StatementLexer.Token t = s.tokens.get(i);
            boolean sessionUser = t.isWord("CURRENT_USER") || t.isWord("SESSION_USER") || t.isWord("CURRENT_ROLE");
            boolean qualified = i > 0 && s.tokens.get(i - 1).isSymbol(".");
            boolean called = i + 1 < s.tokens.size() && s.tokens.get(i + 1).isSymbol("(");
            if (sessionUser && !qualified && !called) {
                if (sb == null) {
                    sb = new StringBuilder(sql.length() + 16);
                }
                sb.append(sql, copied, t.start()).append('\'').append(role.replace("'", "''")).append('\'');
                copied = t.end();
            }
        }
        return sb == null ? sql : sb.append(sql, copied, sql.length()).toString();
    }

    private static final java.util.Set<String> DATA_STATEMENTS = java.util.Set.of("INSERT", "UPDATE", "DELETE", "SELECT", "VALUES",
            "WITH", "MERGE");

    /** The leading keywords of a statement, upper-cased, comments skipped (at most {@code max}). */
    static List<String> keywords(String sql, int max) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n && words.size() < max) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (startsComment(sql, i)) {
                i = skipToken(sql, i);
            } else if (Character.isLetter(c) || c == '_') {
                int j = skipToken(sql, i);
                words.add(sql.substring(i, j).toUpperCase(Locale.ROOT));
                i = j;
            } else {
                break;
            }
        }
        return words;
    }

    /** The PostgreSQL CommandComplete tag for a statement that did not return rows ({@link io.wasmudf.sql.CommandTag}). */
    static String commandTag(String sql, long updateCount) {
        return io.wasmudf.sql.CommandTag.of(sql, updateCount);
    }

}
