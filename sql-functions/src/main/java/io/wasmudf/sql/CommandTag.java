package io.wasmudf.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL's CommandComplete tag of a statement that returned no rows ({@code INSERT 0 3},
 * {@code CREATE FUNCTION}, …): what the wire server sends and the CLI prints, from one place.
 */
public final class CommandTag {
    private static final Set<String> MODIFIERS = Set.of("TEMP", "TEMPORARY", "UNIQUE", "GLOBAL", "LOCAL", "UNLOGGED", "FORCE",
            "CACHED", "MEMORY", "TRUSTED", "PROCEDURAL");

    private CommandTag() {}

    /** The tag of {@code sql}, which affected {@code updateCount} rows (negative: unknown). */
    public static String of(String sql, long updateCount) {
        List<String> w = keywords(sql, 6);
        String first = w.isEmpty() ? "" : w.get(0);
        long n = Math.max(updateCount, 0);
        switch (first) {
            case "INSERT":
                return "INSERT 0 " + n;
            case "UPDATE": case "DELETE": case "MERGE": case "COPY": case "FETCH": case "MOVE":
                return first + " " + n;
            case "SELECT": case "VALUES": case "TABLE": case "WITH":
                return "SELECT " + n;
            case "BEGIN": case "START":
                return "BEGIN";
            case "COMMIT": case "END":
                return "COMMIT";
            case "ROLLBACK": case "ABORT":
                return "ROLLBACK";
            case "TRUNCATE":
                return "TRUNCATE TABLE";
            case "CREATE": case "DROP": case "ALTER": {
                int k = 1;
                while (k < w.size() && MODIFIERS.contains(w.get(k))) {
                    k++;
                }
                if (k < w.size() && w.get(k).equals("OR") && k + 1 < w.size()) {
                    k += 2; // OR REPLACE
                    while (k < w.size() && MODIFIERS.contains(w.get(k))) {
                        k++;
                    }
                }
                if (k >= w.size()) {
                    return first;
                }
                String what = w.get(k);
                if (what.equals("MATERIALIZED") && k + 1 < w.size()) {
                    what = "MATERIALIZED VIEW";
                }
                return first + " " + what;
            }
            default:
                return first;
        }
    }

    /** The leading keywords of a statement, upper-cased, comments and opening parentheses skipped (at most {@code max}). */
    static List<String> keywords(String sql, int max) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n && words.size() < max) {
            i = SqlLexer.skipSpaceAndComments(sql, i);
            if (i < n && sql.charAt(i) == '(') {
                i++;
                continue;
            }
            int j = i;
            while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                j++;
            }
            if (j == i || !(Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
                break;
            }
            words.add(sql.substring(i, j).toUpperCase(Locale.ROOT));
            i = j;
        }
        return words;
    }
}
