package io.wasmudf.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits a script at top-level semicolons, respecting quotes, comments and dollar quoting. */
final class SqlScript {
    private SqlScript() {}

    /** One statement and the line it ends on (1-based), where psql would report its errors. */
    record Piece(String sql, int line) {}

    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        for (Piece p : pieces(script)) {
            out.add(p.sql());
        }
        return out;
    }

    static List<Piece> pieces(String script) {
        List<Piece> out = new ArrayList<>();
        Lines lines = new Lines(script);
        StringBuilder cur = new StringBuilder();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n) {
                    if (script.charAt(j) == c) {
                        if (j + 1 < n && script.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    if (c == '\'' && script.charAt(j) == '\\' && i > 0 && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e')) {
                        j += 2;
                        continue;
                    }
                    j++;
                }
                j = Math.min(j + 1, n);
                cur.append(script, i, j);
                i = j;
            } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int j = script.indexOf('\n', i);
                j = j < 0 ? n : j;
                cur.append(script, i, j);
                i = j;
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int j = script.indexOf("*/", i + 2);
                j = j < 0 ? n : j + 2;
                cur.append(script, i, j);
                i = j;
            } else if (c == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                int close = script.indexOf(tag, i + tag.length());
                int j = close < 0 ? n : close + tag.length();
                cur.append(script, i, j);
                i = j;
            } else if (c == ';') {
                add(out, cur, lines.at(i));
                i++;
            } else {
                cur.append(c);
                i++;
            }
        }
        add(out, cur, lines.at(lastNonBlank(script)));
        return out;
    }

    private static int lastNonBlank(String s) {
        int i = s.length() - 1;
        while (i > 0 && Character.isWhitespace(s.charAt(i))) {
            i--;
        }
        return Math.max(i, 0);
    }

    /** Line numbers of positions asked for in increasing order, counted once. */
    private static final class Lines {
        private final String text;
        private int pos;
        private int line = 1;

        Lines(String text) {
            this.text = text;
        }

        int at(int target) {
            for (; pos < target && pos < text.length(); pos++) {
                if (text.charAt(pos) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }

    private static String dollarTag(String s, int i) {
        int end = s.indexOf('$', i + 1);
        if (end < 0) {
            return null;
        }
        for (int k = i + 1; k < end; k++) {
            char ch = s.charAt(k);
            if (!(Character.isLetterOrDigit(ch) || ch == '_') || (k == i + 1 && Character.isDigit(ch))) {
                return null;
            }
        }
        return s.substring(i, end + 1);
    }

    private static void add(List<Piece> out, StringBuilder cur, int line) {
        String s = cur.toString().strip();
        if (!s.isEmpty() && !onlyComments(s)) {
            out.add(new Piece(s, line));
        }
        cur.setLength(0);
    }

    private static boolean onlyComments(String s) {
        String t = s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("--[^\n]*", "").strip();
        return t.isEmpty();
    }
}
