package io.wasmudf.sql.types;

import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.StaticCall;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code numeric} ({@code decimal}): its text, a canonical-ABI string {@code (ptr, len)} of ASCII
 * as PostgreSQL's {@code numeric_out} writes it (plain notation, every digit of the scale:
 * {@code -12.50}). Results are read as {@code numeric_in} reads them (sign, digits, point,
 * exponent, surrounding blanks); PostgreSQL's limits apply (22003), and so do H2's, which has no
 * NaN or infinity. Precision and scale written in a declaration are discarded, as PostgreSQL
 * discards a function's type modifiers. Why text, not a scaled integer: numeric is arbitrary
 * precision, and a fixed 64- or 128-bit form would refuse values a column holds (docs/ABI.md).
 */
public final class NumericType extends ListType {
    /** {@code numeric} ({@code decimal}). */
    public static final NumericType NUMERIC = new NumericType();

    /** PostgreSQL: up to 131072 digits before the point, 16383 after; H2: a precision of at most 100000. */
    static final int MAX_SCALE = 16_383;
    static final int MAX_INTEGER_DIGITS = 131_072;
    static final int MAX_PRECISION = 100_000;

    private NumericType() {
        super("numeric", List.of("decimal", "dec"), BigDecimal.class);
    }

    @Override
    public Lowering lowering() {
        return new Lowering.Allocated(
                StaticCall.of(NumericType.class, "plan", long.class, GuestInstance.class, BigDecimal.class),
                StaticCall.of(NumericType.class, "align", int.class, long.class),
                StaticCall.of(NumericType.class, "allocation", int.class, long.class),
                StaticCall.of(NumericType.class, "write", long.class, GuestInstance.class, BigDecimal.class, long.class, int.class));
    }

    @Override
    public StaticCall liftArea() {
        return StaticCall.of(NumericType.class, "lift", BigDecimal.class, GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(NumericType.class, "liftOptional", BigDecimal.class, GuestInstance.class, int.class);
    }

    /** The text of {@code v} as PostgreSQL prints it: plain notation, negative scales as zeros. */
    static String text(BigDecimal v) {
        return v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
    }

    /** The plan is the text's length (ASCII: one byte a char). */
    public static long plan(GuestInstance g, BigDecimal v) {
        return text(v).length();
    }

    public static int align(long plan) {
        return 1;
    }

    public static int allocation(long plan) {
        return (int) plan;
    }

    public static long write(GuestInstance g, BigDecimal v, long plan, int ptr) {
        byte[] b = text(v).getBytes(StandardCharsets.ISO_8859_1);
        g.checkAllocation(ptr, b.length);
        System.arraycopy(b, 0, g.memory().buffer(), ptr, b.length);
        return (long) ptr << 32 | (b.length & 0xFFFFFFFFL);
    }

    /** The numeric whose text a return area {@code (ptr, len)} at {@code retptr} points to. */
    public static BigDecimal lift(GuestInstance g, int retptr) {
        return parse(TextType.text(g, g.memory().readInt(retptr), g.memory().readInt(retptr + 4)));
    }

    public static BigDecimal liftOptional(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? lift(g, retptr + 4) : null;
    }

    /** {@code s} read as PostgreSQL's numeric input reads it; errors with PostgreSQL's SQLSTATEs. */
    static BigDecimal parse(String s) {
        String t = s.strip();
        String word = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        if (word.equalsIgnoreCase("nan") || word.equalsIgnoreCase("infinity") || word.equalsIgnoreCase("inf")) {
            throw new AbiException(SqlStates.NUMERIC_OUT_OF_RANGE,
                    "numeric value out of range: the function returned \"" + shown(s) + "\", which H2 cannot store");
        }
        int i = t.startsWith("+") || t.startsWith("-") ? 1 : 0;
        int digits = 0;
        while (i < t.length() && isDigit(t.charAt(i))) {
            i++;
            digits++;
        }
        if (i < t.length() && t.charAt(i) == '.') {
            i++;
            while (i < t.length() && isDigit(t.charAt(i))) {
                i++;
                digits++;
            }
        }
        boolean ok = digits > 0;
        if (ok && i < t.length() && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            while (i < t.length() && isDigit(t.charAt(i))) {
                i++;
            }
            ok = i > start;
            if (ok && i - start > 9) {
                throw overflow(s);
            }
        }
        if (!ok || i != t.length()) {
            throw new AbiException(SqlStates.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type numeric: \"" + shown(s) + "\" (returned by the function)");
        }
        BigDecimal v = new BigDecimal(t);
        int scale = Math.max(v.scale(), 0);
        if (scale > MAX_SCALE || v.precision() - v.scale() > MAX_INTEGER_DIGITS) {
            throw overflow(s);
        }
        if (v.precision() + Math.max(-v.scale(), 0) > MAX_PRECISION) {
            throw new AbiException(SqlStates.NUMERIC_OUT_OF_RANGE, "value overflows numeric format: the function returned a numeric of "
                    + (v.precision() + Math.max(-v.scale(), 0)) + " digits, H2 stores at most " + MAX_PRECISION);
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static AbiException overflow(String s) {
        return new AbiException(SqlStates.NUMERIC_OUT_OF_RANGE, "value overflows numeric format: the function returned \"" + shown(s) + "\"");
    }

    private static String shown(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
