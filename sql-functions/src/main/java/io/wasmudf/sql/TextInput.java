package io.wasmudf.sql;

import java.sql.SQLException;
import java.util.Locale;

/**
 * PostgreSQL's input functions for the text form of a value (what {@code INITCOND = '…'} holds),
 * with their SQLSTATEs and wording: {@code invalid input syntax for type integer: "abc"} (22P02),
 * {@code value "…" is out of range for type integer} (22003). Returns the value as H2 hands it
 * over ({@link SqlType#boxedType()}).
 */
public final class TextInput {
    private TextInput() {}

    /** The value of {@code text} as type {@code type}; 0A000 for a type without a text form here. */
    public static Object parse(SqlType type, String text) throws SQLException {
        Class<?> c = type.boxedType();
        String t = text.strip();
        try {
            if (c == Integer.class) {
                return (int) integral(type, t, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            if (c == Long.class) {
                return integral(type, t, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            if (c == Short.class) {
                return (short) integral(type, t, Short.MIN_VALUE, Short.MAX_VALUE);
            }
            if (c == Double.class) {
                return floating(type, t);
            }
            if (c == Float.class) {
                double d = floating(type, t);
                if (Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE) {
                    throw SqlStates.error(SqlStates.NUMERIC_OUT_OF_RANGE, "\"" + text + "\" is out of range for type real");
                }
                return (float) d;
            }
        } catch (NumberFormatException e) {
            throw invalid(type, text);
        }
        if (c == Boolean.class) {
            return bool(type, t, text);
        }
        if (c == String.class) {
            return text;
        }
        if (c == byte[].class) {
            return bytea(type, text);
        }
        throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "initial values of type " + type.sqlName() + " are not supported");
    }

    private static long integral(SqlType type, String t, long min, long max) throws SQLException {
        if (!t.matches("[+-]?[0-9]+")) {
            throw invalid(type, t);
        }
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw outOfRange(type, t);
        }
        if (v < min || v > max) {
            throw outOfRange(type, t);
        }
        return v;
    }

    private static double floating(SqlType type, String t) throws SQLException {
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "infinity":
            case "+infinity":
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity":
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!t.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            throw invalid(type, t);
        }
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d)) {
            throw SqlStates.error(SqlStates.NUMERIC_OUT_OF_RANGE, "\"" + t + "\" is out of range for type " + type.sqlName());
        }
        return d;
    }

    private static Boolean bool(SqlType type, String t, String text) throws SQLException {
        String s = t.toLowerCase(Locale.ROOT);
        // PostgreSQL accepts any unambiguous prefix of true/false/yes/no, and on/off/1/0
        if (!s.isEmpty() && ("true".startsWith(s) || "yes".startsWith(s)) || s.equals("on") || s.equals("1")) {
            return true;
        }
        if (!s.isEmpty() && ("false".startsWith(s) || "no".startsWith(s)) || s.equals("off") || s.equals("0")) {
            return false;
        }
        throw invalid(type, text);
    }

    /** bytea's hex format ({@code \x0102}) or its escape format ({@code ab\\c\001}). */
    private static byte[] bytea(SqlType type, String text) throws SQLException {
        if (text.startsWith("\\x")) {
            String hex = text.substring(2).replaceAll("\\s", "");
            if (hex.length() % 2 != 0 || !hex.matches("[0-9A-Fa-f]*")) {
                throw SqlStates.error(SqlStates.INVALID_PARAMETER_VALUE, "invalid hexadecimal data: odd number of digits or invalid digit");
            }
            return java.util.HexFormat.of().parseHex(hex);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '\\') {
                byte[] b = String.valueOf(ch).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                out.write('\\');
                i++;
            } else if (i + 3 < text.length() && text.substring(i + 1, i + 4).matches("[0-3][0-7][0-7]")) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                throw invalid(type, text);
            }
        }
        return out.toByteArray();
    }

    private static SQLException invalid(SqlType type, String text) {
        return SqlStates.error(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type " + type.sqlName() + ": \"" + text + "\"");
    }

    private static SQLException outOfRange(SqlType type, String text) {
        return SqlStates.error(SqlStates.NUMERIC_OUT_OF_RANGE, "value \"" + text + "\" is out of range for type " + type.sqlName());
    }
}
