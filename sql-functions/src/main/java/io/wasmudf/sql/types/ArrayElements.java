package io.wasmudf.sql.types;

import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * How one element of an array sits in guest memory: the element type's own memory layout (its
 * {@link SqlType#size()} and {@link SqlType#alignment()}, as in a return area), read and written
 * through that type's codec. One table, one line per element type.
 */
final class ArrayElements {
    private ArrayElements() {}

    /** Writes a non-null element into its slot at {@code addr}; a string's bytes go to {@code payload}; returns the payload bytes used. */
    interface Writer {
        int write(GuestInstance g, int addr, Object v, int payload);
    }

    /** Reads the element in its slot at {@code addr}. */
    interface Reader {
        Object read(GuestInstance g, int addr);
    }

    /** The element codec of one type: payload (bytes beyond the slot; 0 for fixed-size types), writer, reader. */
    record Element(SqlType type, java.util.function.ToIntFunction<Object> payload, Writer writer, Reader reader) {}

    private static final Map<SqlType, Element> BY_TYPE = new IdentityHashMap<>();

    private static void add(SqlType t, Writer w, Reader r) {
        BY_TYPE.put(t, new Element(t, v -> 0, w, r));
    }

    private static void addBytes(SqlType t, java.util.function.Function<Object, byte[]> bytes, Reader r) {
        BY_TYPE.put(t, new Element(t, v -> bytes.apply(v).length, (g, addr, v, payload) -> {
            byte[] b = bytes.apply(v);
            System.arraycopy(b, 0, g.memory().buffer(), payload, b.length);
            g.memory().writeInt(addr, payload);
            g.memory().writeInt(addr + 4, b.length);
            return b.length;
        }, r));
    }

    static {
        add(BooleanType.BOOLEAN, (g, a, v, p) -> put32(g, a, (Boolean) v ? 1 : 0), (g, a) -> g.memory().readInt(a) != 0);
        add(IntegralType.SMALLINT, (g, a, v, p) -> put32(g, a, (Short) v), (g, a) -> IntegralType.toSmallint(g.memory().readInt(a)));
        add(IntegralType.INTEGER, (g, a, v, p) -> put32(g, a, (Integer) v), (g, a) -> g.memory().readInt(a));
        add(IntegralType.BIGINT, (g, a, v, p) -> put64(g, a, (Long) v), (g, a) -> g.memory().readLong(a));
        add(FloatType.REAL, (g, a, v, p) -> put32(g, a, Float.floatToRawIntBits((Float) v)), (g, a) -> Float.intBitsToFloat(g.memory().readInt(a)));
        add(FloatType.DOUBLE_PRECISION, (g, a, v, p) -> put64(g, a, Double.doubleToRawLongBits((Double) v)),
                (g, a) -> Double.longBitsToDouble(g.memory().readLong(a)));
        addBytes(NumericType.NUMERIC, v -> NumericType.text((BigDecimal) v).getBytes(StandardCharsets.ISO_8859_1),
                (g, a) -> NumericType.parse(text(g, a)));
        // arrays of strings are always UTF-8, also for latin1+utf16 modules
        addBytes(TextType.TEXT, ArrayElements::utf8, ArrayElements::text);
        addBytes(TextType.BPCHAR, ArrayElements::utf8, ArrayElements::text);
        addBytes(ByteaType.BYTEA, v -> (byte[]) v, (g, a) -> {
            int ptr = g.memory().readInt(a);
            int len = g.memory().readInt(a + 4);
            checkElement(g, ptr, len);
            return g.memory().read(ptr, len);
        });
        add(DateTimeType.DATE, (g, a, v, p) -> put32(g, a, DateTimeType.lowerDate((LocalDate) v)), (g, a) -> DateTimeType.toDate(g.memory().readInt(a)));
        add(DateTimeType.TIME, (g, a, v, p) -> put64(g, a, DateTimeType.lowerTime((LocalTime) v)), (g, a) -> DateTimeType.toTime(g.memory().readLong(a)));
        add(DateTimeType.TIMESTAMP, (g, a, v, p) -> put64(g, a, DateTimeType.lowerTimestamp((LocalDateTime) v)),
                (g, a) -> DateTimeType.toTimestamp(g.memory().readLong(a)));
        add(DateTimeType.TIMESTAMPTZ, (g, a, v, p) -> put64(g, a, DateTimeType.lowerTimestamptz((OffsetDateTime) v)),
                (g, a) -> DateTimeType.toTimestamptz(g.memory().readLong(a)));
        add(IntervalType.INTERVAL, (g, a, v, p) -> {
            Duration d = (Duration) v;
            g.memory().writeInt(a, 0);
            g.memory().writeInt(a + 4, IntervalType.days(d));
            g.memory().writeLong(a + 8, IntervalType.micros(d));
            return 0;
        }, IntervalType::lift);
        add(UuidType.UUID_TYPE, (g, a, v, p) -> {
            g.memory().writeLong(a, ((UUID) v).getMostSignificantBits());
            g.memory().writeLong(a + 8, ((UUID) v).getLeastSignificantBits());
            return 0;
        }, UuidType::lift);
        addBytes(JsonType.JSON, ArrayElements::utf8, (g, a) -> JsonType.check(text(g, a)));
        addBytes(JsonType.JSONB, ArrayElements::utf8, (g, a) -> JsonbText.normalize(JsonType.check(text(g, a))));
    }

    /** The element codec of {@code t}, or null if {@code t} cannot be an array element. */
    static Element of(SqlType t) {
        return BY_TYPE.get(t);
    }

    private static int put32(GuestInstance g, int addr, int v) {
        g.memory().writeInt(addr, v);
        return 0;
    }

    private static int put64(GuestInstance g, int addr, long v) {
        g.memory().writeLong(addr, v);
        return 0;
    }

    private static byte[] utf8(Object s) {
        return ((String) s).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(GuestInstance g, int addr) {
        int ptr = g.memory().readInt(addr);
        int len = g.memory().readInt(addr + 4);
        checkElement(g, ptr, len);
        return TextType.text(g, ptr, len);
    }

    /** A string element's {@code (ptr, len)} must lie inside memory: 2202E like the array's own block. */
    private static void checkElement(GuestInstance g, int ptr, int len) {
        if (Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(len) > g.memory().byteSize()) {
            throw new AbiException(SqlStates.ARRAY_SUBSCRIPT_ERROR, "the function returned an array element (ptr "
                    + Integer.toUnsignedString(ptr) + ", len " + Integer.toUnsignedString(len) + ") outside memory");
        }
    }
}
