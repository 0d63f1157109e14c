package io.wasmudf.pg;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reads JDBC result metadata and values into wire columns and encoded cells. */
final class Results {
    private Results() {
    }

    /**
     * The wire columns of a result. With {@code foldUpper} (an H2 database that upper-cases unquoted
     * names) all-upper-case labels are lower-cased, so {@code select 1 as x} is labelled x as in PostgreSQL.
     */
    static List<Column> columns(ResultSetMetaData md, boolean foldUpper) throws SQLException {
        if (md == null) {
            return List.of();
        }
        List<Column> out = new ArrayList<>(md.getColumnCount());
        for (int i = 1; i <= md.getColumnCount(); i++) {
            long precision = md.getPrecision(i);
            PgType type = PgType.fromJdbc(md.getColumnType(i), md.getColumnTypeName(i), precision);
            String label = md.getColumnLabel(i);
            if (foldUpper && label.equals(label.toUpperCase(java.util.Locale.ROOT))) {
                label = label.toLowerCase(java.util.Locale.ROOT);
            }
            out.add(new Column(label, type, typmod(type, precision, md.getScale(i))));
        }
        return out;
    }

    /**
     * H2 labels unnamed expressions "?column?"; PostgreSQL names a bare function call after the
     * function and a column reference after the column, so take those names from the select list.
     */
    static List<Column> labelLikePostgres(List<Column> columns, String sql) {
        if (columns.stream().noneMatch(c -> c.name().equals("?column?"))) {
            return columns;
        }
        List<SelectList.Item> items = SelectList.items(sql);
        if (items.size() != columns.size()) {
            return columns;
        }
        List<Column> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            String label = items.get(i).label();
            out.add(c.name().equals("?column?") && !label.equals("?column?") ? new Column(label, c.type(), c.typmod()) : c);
        }
        return out;
    }

    /**
     * H2 Java functions cannot return JSON or CHAR, so a wasm function declared {@code RETURNS json},
     * {@code jsonb} or {@code character} yields an H2 character string: for a select item that is
     * a bare call of such a function, describe the column with the declared type, as PostgreSQL
     * does. One catalog read, only when some item is a call with a character-string result;
     * names with several declared result types are left as they are.
     */
    static List<Column> declaredResultTypes(List<Column> columns, String sql, java.sql.Connection conn) {
        if (columns.stream().noneMatch(c -> c.type() == PgType.TEXT || c.type() == PgType.VARCHAR)) {
            return columns;
        }
        List<SelectList.Item> items = SelectList.items(sql);
        if (items.size() != columns.size()) {
            return columns;
        }
        java.util.Map<Integer, String> calls = new java.util.HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            java.util.regex.Matcher m = BARE_CALL.matcher(items.get(i).expr());
            PgType t = columns.get(i).type();
            if ((t == PgType.TEXT || t == PgType.VARCHAR) && m.matches() && closesAtEnd(items.get(i).expr())) {
                calls.put(i, m.group(1).toUpperCase(java.util.Locale.ROOT));
            }
        }
        if (calls.isEmpty()) {
            return columns;
        }
        java.util.Map<String, java.util.Set<String>> declared = new java.util.HashMap<>();
        String in = String.join(",", java.util.Collections.nCopies(new java.util.HashSet<>(calls.values()).size(), "?"));
        try (PreparedStatement ps = conn.prepareStatement("SELECT UPPER(name), return_type FROM wasm.functions WHERE UPPER(name) IN (" + in + ")")) {
            int k = 1;
            for (String n : new java.util.HashSet<>(calls.values())) {
                ps.setString(k++, n);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    declared.computeIfAbsent(rs.getString(1), x -> new java.util.HashSet<>()).add(rs.getString(2));
                }
            }
        } catch (SQLException e) {
            return columns; // no wasm catalog (a plain H2 database): nothing declared
        }
        List<Column> out = new ArrayList<>(columns);
        calls.forEach((i, name) -> {
            java.util.Set<String> types = declared.getOrDefault(name, java.util.Set.of());
            PgType t = types.size() == 1 ? DECLARED_STRINGS.get(types.iterator().next()) : null;
            if (t != null) {
                Column c = columns.get(i);
                out.set(i, new Column(c.name(), t, -1));
            }
        });
        return out;
    }

    /** Whether the first parenthesis of {@code expr} closes at its end: {@code f(a)}, not {@code f(a) || g(b)}. */
    private static boolean closesAtEnd(String expr) {
        int depth = 0;
        int i = expr.indexOf('(');
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return expr.substring(i + 1).isBlank();
            }
            i = c == '(' || c == ')' ? i + 1 : SqlText.skipToken(expr, i);
        }
        return false;
    }

    private static final java.util.regex.Pattern BARE_CALL = java.util.regex.Pattern.compile("(?s)(?:[A-Za-z_]\\w*\\.)?([A-Za-z_]\\w*)\\s*\\(.*\\)");
    private static final java.util.Map<String, PgType> DECLARED_STRINGS = java.util.Map.of("json", PgType.JSON, "jsonb", PgType.JSONB,
            "character", PgType.BPCHAR);

    /** The atttypmod PostgreSQL would report for a declared length/precision. */
    static int typmod(PgType type, long precision, int scale) {
        switch (type) {
            case VARCHAR:
            case BPCHAR:
                return precision > 0 && precision < PgType.UNBOUNDED ? (int) precision + 4 : -1;
            case NUMERIC:
                return precision > 0 && precision <= 1000 ? (int) ((precision << 16) | (scale & 0xFFFF)) + 4 : -1;
            default:
                return -1;
        }
    }

    private static final java.util.Map<PgType, Class<?>> ARRAY_CLASSES = java.util.Map.of(PgType.DATE_ARRAY, LocalDate[].class,
            PgType.TIME_ARRAY, LocalTime[].class, PgType.TIMESTAMP_ARRAY, LocalDateTime[].class, PgType.TIMESTAMPTZ_ARRAY,
            OffsetDateTime[].class, PgType.UUID_ARRAY, java.util.UUID[].class, PgType.JSON_ARRAY, String[].class, PgType.JSONB_ARRAY,
            String[].class);

    /** Reads column i (1-based) as the Java value the codec expects for its type, or null. */
    static Object value(ResultSet rs, int i, PgType type) throws SQLException {
        Object v;
        switch (type) {
            case BOOL:
                v = rs.getBoolean(i);
                break;
            case INT2:
                v = rs.getShort(i);
                break;
            case INT4:
                v = rs.getInt(i);
                break;
            case INT8:
                v = rs.getLong(i);
                break;
            case FLOAT4:
                v = rs.getFloat(i);
                break;
            case FLOAT8:
                v = rs.getDouble(i);
                break;
            case NUMERIC:
                v = rs.getBigDecimal(i);
                break;
            case BYTEA:
                v = rs.getBytes(i);
                break;
            case DATE:
                v = rs.getObject(i, LocalDate.class);
                break;
            case TIMESTAMP:
                v = rs.getObject(i, LocalDateTime.class);
                break;
            case TIMESTAMPTZ:
                v = rs.getObject(i, OffsetDateTime.class);
                break;
            case TIME:
                v = rs.getObject(i, LocalTime.class);
                break;
            case INTERVAL:
                v = rs.getObject(i);
                break;
            case JSON:
            case JSONB:
                v = rs.getString(i);
                break;
            case UUID:
                v = rs.getObject(i, java.util.UUID.class);
                break;
            case DATE_ARRAY:
            case TIME_ARRAY:
            case TIMESTAMP_ARRAY:
            case TIMESTAMPTZ_ARRAY:
            case UUID_ARRAY:
            case JSON_ARRAY:
            case JSONB_ARRAY:
                // typed elements: java.sql dates are Julian before 1582, H2's JSON objects are bytes
                v = rs.getObject(i, ARRAY_CLASSES.get(type));
                break;
            default:
                v = rs.getObject(i);
                if (v instanceof Array a) {
                    v = a.getArray();
                } else if (v instanceof Clob c) {
                    v = c.getSubString(1, (int) Math.min(Integer.MAX_VALUE, c.length()));
                }
                break;
        }
        return rs.wasNull() ? null : v;
    }

    /** Encodes one non-null cell in the requested format (0 text, 1 binary). */
    static byte[] encode(PgType type, Object value, short format) {
        if (format == 1) {
            return PgCodec.toBinary(type, value);
        }
        return PgCodec.toText(type, value).getBytes(StandardCharsets.UTF_8);
    }
}
