package io.wasmudf.cli;

import java.io.PrintStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Prints result sets like psql's aligned format, or as CSV (RFC 4180). */
final class ResultPrinter {
    private final PrintStream out;
    private final boolean csv;

    ResultPrinter(PrintStream out, boolean csv) {
        this.out = out;
        this.csv = csv;
    }

    void print(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] header = new String[n];
        boolean[] right = new boolean[n];
        for (int i = 0; i < n; i++) {
            header[i] = md.getColumnLabel(i + 1);
            right[i] = isNumeric(md.getColumnType(i + 1));
        }
        List<String[]> rows = new ArrayList<>();
        while (rs.next()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                row[i] = value(rs, i + 1, md.getColumnType(i + 1));
            }
            rows.add(row);
        }
        if (csv) {
            printCsv(header, rows);
        } else {
            printAligned(header, right, rows);
        }
    }

    private static boolean isNumeric(int type) {
        switch (type) {
            case Types.TINYINT: case Types.SMALLINT: case Types.INTEGER: case Types.BIGINT:
            case Types.REAL: case Types.FLOAT: case Types.DOUBLE: case Types.DECIMAL: case Types.NUMERIC:
                return true;
            default:
                return false;
        }
    }

    private static String value(ResultSet rs, int col, int type) throws SQLException {
        if (type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB) {
            byte[] b = rs.getBytes(col);
            return b == null ? null : "\\x" + io.wasmudf.sql.Hex.encode(b);
        }
        if (type == Types.BOOLEAN || type == Types.BIT) {
            boolean v = rs.getBoolean(col);
            return rs.wasNull() ? null : v ? "t" : "f";
        }
        return rs.getString(col);
    }

    private void printCsv(String[] header, List<String[]> rows) {
        out.println(csvLine(header));
        for (String[] r : rows) {
            out.println(csvLine(r));
        }
    }

    private static String csvLine(String[] cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells[i];
            if (c == null) {
                continue;
            }
            if (c.isEmpty() || c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void printAligned(String[] header, boolean[] right, List<String[]> rows) {
        int n = header.length;
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = width(header[i]);
            for (String[] r : rows) {
                w[i] = Math.max(w[i], width(r[i] == null ? "" : r[i]));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? " " : " | ");
            int pad = w[i] - width(header[i]);
            sb.append(" ".repeat(pad / 2)).append(header[i]).append(" ".repeat(pad - pad / 2));
        }
        out.println(stripEnd(sb));
        sb.setLength(0);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "+").append("-".repeat(w[i] + 2));
        }
        out.println(sb);
        for (String[] r : rows) {
            sb.setLength(0);
            for (int i = 0; i < n; i++) {
                String v = r[i] == null ? "" : r[i];
                sb.append(i == 0 ? " " : " | ");
                int pad = w[i] - width(v);
                if (right[i]) {
                    sb.append(" ".repeat(pad)).append(v);
                } else {
                    sb.append(v).append(i == n - 1 ? "" : " ".repeat(pad));
                }
            }
            out.println(stripEnd(sb));
        }
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
        out.println();
    }

    private static String stripEnd(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
