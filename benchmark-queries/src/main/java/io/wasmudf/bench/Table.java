package io.wasmudf.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one results table {@code ./wasmudf bench} prints: a row per case, ratios ours/peer. */
final class Table {
    /** One case; NaN where a runtime was not measured. Lower is better everywhere. */
    record Row(String name, String unit, double ours, double chicory, double java, double v8, double builtin) {}

    private final List<Row> rows = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    void print(PrintStream out) {
        String[] head = {"case", "unit", "ours", "chicory", "java", "v8", "sql builtin", "ours/chicory", "ours/java", "ours/v8"};
        List<String[]> lines = new ArrayList<>();
        lines.add(head);
        for (Row r : rows) {
            lines.add(new String[] {r.name(), r.unit(), num(r.ours()), num(r.chicory()), num(r.java()), num(r.v8()),
                    num(r.builtin()), ratio(r.ours(), r.chicory()), ratio(r.ours(), r.java()), ratio(r.ours(), r.v8())});
        }
        int[] width = new int[head.length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (int n = 0; n < lines.size(); n++) {
            String[] l = lines.get(n);
            StringBuilder sb = new StringBuilder("|");
            for (int i = 0; i < l.length; i++) {
                String cell = i == 0 ? pad(l[i], width[i]) : padLeft(l[i], width[i]);
                sb.append(' ').append(cell).append(" |");
            }
            out.println(sb);
            if (n == 0) {
                StringBuilder sep = new StringBuilder("|");
                for (int i = 0; i < width.length; i++) {
                    sep.append(i == 0 ? ":" : "-").append("-".repeat(width[i])).append(i == 0 ? "-|" : ":|");
                }
                out.println(sep);
            }
        }
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double ours, double peer) {
        return Double.isNaN(ours) || Double.isNaN(peer) || peer == 0 ? "-" : String.format(Locale.ROOT, "%.2f", ours / peer);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }
}
