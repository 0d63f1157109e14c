package io.wasmudf.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough parsing of a catalog query to answer it: the top-level select items with their
 * output names, and the name filters (regex, LIKE, OID) in its WHERE clause.
 */
final class SelectList {
    private SelectList() {
    }

    /** One output column: its expression text and the name PostgreSQL gives it. */
    record Item(String expr, String label) {
        String lower() {
            return expr.toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern ALIAS = Pattern.compile("(?is)(.*?)\\s+AS\\s+(\"((?:[^\"]|\"\")+)\"|[A-Za-z_][\\w$]*)\\s*");
    private static final Pattern TRAILING_IDENT = Pattern.compile("(?s).*?([A-Za-z_][\\w$]*)\\s*");
    private static final Pattern FUNCTION_CALL = Pattern.compile("(?s)(?:[A-Za-z_]\\w*\\.)?([A-Za-z_]\\w*)\\s*\\(.*\\)\\s*");

    /** The items of the first top-level SELECT list (empty if there is none). */
    static List<Item> items(String sql) {
        int start = topLevelKeyword(sql, "SELECT", 0);
        if (start < 0) {
            return List.of();
        }
        start += "SELECT".length();
        int end = topLevelKeyword(sql, "FROM", start);
        if (end < 0) {
            end = sql.length();
            int semi = sql.lastIndexOf(';');
            if (semi > start) {
                end = semi;
            }
        }
        List<Item> items = new ArrayList<>();
        int depth = 0;
        int itemStart = start;
        int i = start;
        while (i < end) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(item(sql.substring(itemStart, i)));
                itemStart = i + 1;
            }
            i = c == '(' || c == ')' || c == ',' ? i + 1 : SqlText.skipToken(sql, i);
        }
        if (!sql.substring(itemStart, end).isBlank()) {
            items.add(item(sql.substring(itemStart, end)));
        }
        return items;
    }

    private static Item item(String raw) {
        String expr = raw.strip();
        Matcher m = ALIAS.matcher(expr);
        if (m.matches() && balanced(m.group(1))) {
            String label = m.group(3) != null ? m.group(3).replace("\"\"", "\"") : m.group(2).toLowerCase(Locale.ROOT);
            return new Item(m.group(1).strip(), label);
        }
        Matcher f = FUNCTION_CALL.matcher(expr);
        if (f.matches()) {
            return new Item(expr, f.group(1).toLowerCase(Locale.ROOT));
        }
        if (expr.matches("(?i)null|true|false")) {
            return new Item(expr, "?column?");
        }
        if (expr.matches("(?s)[A-Za-z_][\\w$.]*")) {
            Matcher t = TRAILING_IDENT.matcher(expr);
            if (t.matches()) {
                return new Item(expr, t.group(1).toLowerCase(Locale.ROOT));
            }
        }
        if (expr.toUpperCase(Locale.ROOT).startsWith("CASE")) {
            return new Item(expr, "case");
        }
        return new Item(expr, "?column?");
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i = SqlText.skipToken(s, i)) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        }
        return depth == 0;
    }

    /** Index of a keyword at parenthesis depth 0 outside literals, or -1. */
    static int topLevelKeyword(String sql, String keyword, int from) {
        int depth = 0;
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
                i++;
                continue;
            }
            if (c == ')') {
                depth--;
                i++;
                continue;
            }
            int next = SqlText.skipToken(sql, i);
            if (depth == 0 && next - i == keyword.length() && sql.regionMatches(true, i, keyword, 0, keyword.length())) {
                return i;
            }
            i = next;
        }
        return -1;
    }

    /** A regular-expression condition on a column: {@code col ~ 're'} or {@code col !~ 're'}. */
    record RegexCondition(String column, Pattern pattern, boolean negated) {
        boolean test(String value) {
            boolean found = value != null && pattern.matcher(value).find();
            return negated != found;
        }
    }

    private static final Pattern REGEX_COND = Pattern.compile(
            "(?i)(?:[a-z_]\\w*\\.)?([a-z_]\\w*)\\s+(OPERATOR\\(pg_catalog\\.!?~\\)|!?~)\\s+'((?:[^']|'')*)'");

    /** The regex conditions on the given (unqualified) column. */
    static List<RegexCondition> regexConditions(String sql, String column) {
        List<RegexCondition> out = new ArrayList<>();
        Matcher m = REGEX_COND.matcher(sql);
        while (m.find()) {
            if (!m.group(1).equalsIgnoreCase(column)) {
                continue;
            }
            String re = m.group(3).replace("''", "'");
            boolean negated = m.group(2).contains("!");
            try {
                out.add(new RegexCondition(column, Pattern.compile(re), negated));
            } catch (java.util.regex.PatternSyntaxException e) {
                out.add(new RegexCondition(column, Pattern.compile(Pattern.quote(re)), negated));
            }
        }
        return out;
    }

    static boolean allMatch(List<RegexCondition> conds, String value) {
        for (RegexCondition c : conds) {
            if (!c.test(value)) {
                return false;
            }
        }
        return true;
    }

    /** Literal inequality filters like {@code n.nspname <> 'pg_catalog'}. */
    static List<String> excludedValues(String sql, String column) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?i)(?:[a-z_]\\w*\\.)?" + column + "\\s*(?:<>|!=)\\s*'((?:[^']|'')*)'").matcher(sql);
        while (m.find()) {
            out.add(m.group(1).replace("''", "'"));
        }
        return out;
    }

    /**
     * The LIKE (or =) pattern applied to a qualified column, resolving $n parameters; null when the
     * query does not filter on it. Equality comes back as a LIKE pattern with wildcards escaped.
     */
    static String likePattern(String sql, String qualifiedColumn, Object[] params) {
        Matcher m = Pattern.compile("(?i)(?<![\\w.])" + Pattern.quote(qualifiedColumn) + "\\s+(LIKE|=)\\s+(\\$(\\d+)|'((?:[^']|'')*)')")
                .matcher(sql);
        // only the WHERE clause filters (a CASE in the select list may compare the same column)
        Matcher where = Pattern.compile("(?i)\\bWHERE\\b").matcher(sql);
        if (!where.find() || !m.find(where.start())) {
            return null;
        }
        String value;
        if (m.group(3) != null) {
            int idx = Integer.parseInt(m.group(3)) - 1;
            value = params != null && idx < params.length && params[idx] != null ? params[idx].toString() : null;
        } else {
            value = m.group(4).replace("''", "'");
        }
        if (value == null) {
            return null;
        }
        return m.group(1).equalsIgnoreCase("=") ? value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") : value;
    }

    /** SQL LIKE with backslash escapes; a null pattern matches everything. */
    static boolean like(String pattern, String value) {
        if (pattern == null) {
            return true;
        }
        if (value == null) {
            return false;
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    private static final Pattern OID_FILTER = Pattern.compile(
            "(?i)\\b(?:oid|attrelid|indrelid|polrelid|stxrelid|inhrelid|inhparent|conrelid|prrelid|objoid|tgrelid|adrelid|typrelid)\\s*=\\s*'?(\\d+)'?");

    /** The first OID the WHERE clause compares with (psql's {@code c.oid = '16385'}), or -1. */
    static long oidFilter(String sql) {
        Matcher m = OID_FILTER.matcher(sql);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Characters listed in {@code c.relkind IN ('r','p','')}; null when there is no such filter. */
    static String relkinds(String sql) {
        Matcher m = Pattern.compile("(?i)relkind\\s+IN\\s*\\(([^)]*)\\)").matcher(sql);
        if (!m.find()) {
            return null;
        }
        StringBuilder kinds = new StringBuilder();
        Matcher q = Pattern.compile("'(.?)'").matcher(m.group(1));
        while (q.find()) {
            kinds.append(q.group(1));
        }
        return kinds.toString();
    }
}
