package io.wasmudf.sql.types;

import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.StaticCall;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A one-dimensional array of a supported type ({@code integer[]}, {@code text[]}, …) with NULL
 * elements: a canonical-ABI list {@code (ptr, len)}, {@code len} the number of elements, whose
 * element block (each element in its type's memory layout, as in a return area; strings as
 * {@code {u32 ptr, u32 len}}) is followed directly by a null bitmap of {@code (len + 7) / 8}
 * bytes: bit {@code i % 8} of byte {@code i / 8} set means element {@code i} is NULL (its slot
 * is then ignored; zeros in arguments). An argument is one {@code cabi_realloc} block holding
 * the elements, the bitmap and then the strings' bytes; a result may place strings anywhere, but
 * every byte must lie inside memory (else 2202E). H2 arrays hold at most 65536 elements.
 */
public final class ArrayType extends ListType {
    /** {@code boolean[]}. */
    public static final ArrayType BOOLEAN = new ArrayType(BooleanType.BOOLEAN, "Boolean");
    /** {@code smallint[]}. */
    public static final ArrayType SMALLINT = new ArrayType(IntegralType.SMALLINT, "Smallint");
    /** {@code integer[]}. */
    public static final ArrayType INTEGER = new ArrayType(IntegralType.INTEGER, "Integer");
    /** {@code bigint[]}. */
    public static final ArrayType BIGINT = new ArrayType(IntegralType.BIGINT, "Bigint");
    /** {@code real[]}. */
    public static final ArrayType REAL = new ArrayType(FloatType.REAL, "Real");
    /** {@code double precision[]}. */
    public static final ArrayType DOUBLE_PRECISION = new ArrayType(FloatType.DOUBLE_PRECISION, "Double");
    /** {@code numeric[]}. */
    public static final ArrayType NUMERIC = new ArrayType(NumericType.NUMERIC, "Numeric");
    /** {@code text[]}. */
    public static final ArrayType TEXT = new ArrayType(TextType.TEXT, "Text");
    /** {@code bpchar[]}. */
    public static final ArrayType BPCHAR = new ArrayType(TextType.BPCHAR, "Bpchar");
    /** {@code bytea[]}. */
    public static final ArrayType BYTEA = new ArrayType(ByteaType.BYTEA, "Bytea");
    /** {@code date[]}. */
    public static final ArrayType DATE = new ArrayType(DateTimeType.DATE, "Date");
    /** {@code time[]}. */
    public static final ArrayType TIME = new ArrayType(DateTimeType.TIME, "Time");
    /** {@code timestamp[]}. */
    public static final ArrayType TIMESTAMP = new ArrayType(DateTimeType.TIMESTAMP, "Timestamp");
    /** {@code timestamptz[]}. */
    public static final ArrayType TIMESTAMPTZ = new ArrayType(DateTimeType.TIMESTAMPTZ, "Timestamptz");
    /** {@code interval[]}. */
    public static final ArrayType INTERVAL = new ArrayType(IntervalType.INTERVAL, "Interval");
    /** {@code uuid[]}. */
    public static final ArrayType UUID = new ArrayType(UuidType.UUID_TYPE, "Uuid");
    /** {@code json[]}. */
    public static final ArrayType JSON = new ArrayType(JsonType.JSON, "Json");
    /** {@code jsonb[]}. */
    public static final ArrayType JSONB = new ArrayType(JsonType.JSONB, "Jsonb");

    /** Every array type, in the order of their element types. */
    static final List<ArrayType> ALL = List.of(BOOLEAN, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE_PRECISION, NUMERIC, TEXT, BPCHAR, BYTEA, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, UUID, JSON, JSONB);

    /** H2's maximum array cardinality. */
    static final int MAX_LENGTH = 65_536;

    private static final Map<Class<?>, ArrayElements.Element> BY_CLASS = new HashMap<>();

    static {
        for (ArrayType a : ALL) {
            // one codec per Java class: text, character, json and jsonb arguments are the same UTF-8 strings
            BY_CLASS.putIfAbsent(a.element.type().boxedType(), a.element);
        }
    }

    private final ArrayElements.Element element;
    private final String suffix;

    private ArrayType(SqlType elementType, String suffix) {
        super(elementType.sqlName() + "[]", List.of(), Array.newInstance(elementType.boxedType(), 0).getClass());
        this.element = ArrayElements.of(elementType);
        this.suffix = suffix;
    }

    /** The array type of elements of {@code t}, or null (arrays of arrays). */
    public static ArrayType of(SqlType t) {
        for (ArrayType a : ALL) {
            if (a.element.type() == t) {
                return a;
            }
        }
        return null;
    }

    /** The element type. */
    public SqlType elementType() {
        return element.type();
    }

    @Override
    public Lowering lowering() {
        return new Lowering.Allocated(
                StaticCall.of(ArrayType.class, "plan", long.class, GuestInstance.class, Object[].class),
                StaticCall.of(ArrayType.class, "align", int.class, long.class),
                StaticCall.of(ArrayType.class, "allocation", int.class, long.class),
                StaticCall.of(ArrayType.class, "write", long.class, GuestInstance.class, Object[].class, long.class, int.class));
    }

    @Override
    public StaticCall liftArea() {
        return StaticCall.of(ArrayType.class, "lift" + suffix, javaType(), GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(ArrayType.class, "liftOptional" + suffix, javaType(), GuestInstance.class, int.class);
    }

    // ---- arguments: the element codec follows from the Java array's class ---------------------

    private static ArrayElements.Element element(Object[] a) {
        ArrayElements.Element e = BY_CLASS.get(a.getClass().getComponentType());
        if (e == null) {
            throw new AbiException(SqlStates.FEATURE_NOT_SUPPORTED, "arrays of " + a.getClass().getComponentType().getSimpleName()
                    + " are not supported (only one-dimensional arrays)");
        }
        return e;
    }

    /** The block's size shifted left by 4, or'ed with its alignment (the element type's). */
    public static long plan(GuestInstance g, Object[] a) {
        ArrayElements.Element e = element(a);
        long size = (long) a.length * e.type().size() + (a.length + 7) / 8;
        for (Object v : a) {
            if (v != null) {
                size += e.payload().applyAsInt(v);
            }
        }
        if (size > Integer.MAX_VALUE) {
            throw new AbiException(SqlStates.PROGRAM_LIMIT_EXCEEDED, "array too large for a 32-bit guest: " + size + " bytes");
        }
        return size << 4 | e.type().alignment();
    }

    public static int align(long plan) {
        return (int) plan & 15;
    }

    public static int allocation(long plan) {
        return (int) (plan >>> 4);
    }

    /** Writes elements, bitmap and strings to {@code ptr} as planned; returns {@code (ptr << 32) | len}. */
    public static long write(GuestInstance g, Object[] a, long plan, int ptr) {
        ArrayElements.Element e = element(a);
        g.checkAllocation(ptr, allocation(plan));
        int size = e.type().size();
        int bitmap = ptr + a.length * size;
        int payload = bitmap + (a.length + 7) / 8;
        byte[] mem = g.memory().buffer();
        Arrays.fill(mem, ptr, payload, (byte) 0);
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null) {
                mem[bitmap + (i >>> 3)] |= (byte) (1 << (i & 7));
            } else {
                payload += e.writer().write(g, ptr + i * size, a[i], payload);
            }
        }
        return (long) ptr << 32 | a.length;
    }

    // ---- results ------------------------------------------------------------------------------

    /** The array a return area {@code (ptr, len)} at {@code retptr} describes, every address checked first. */
    static Object[] lift(GuestInstance g, int retptr, ArrayElements.Element e) {
        int ptr = g.memory().readInt(retptr);
        long len = Integer.toUnsignedLong(g.memory().readInt(retptr + 4));
        int size = e.type().size();
        if (len > MAX_LENGTH) {
            throw new AbiException(SqlStates.PROGRAM_LIMIT_EXCEEDED, "array size exceeds the maximum allowed (" + MAX_LENGTH
                    + "): the function returned an array of " + len + " elements");
        }
        long bytes = len * size + (len + 7) / 8;
        long end = Integer.toUnsignedLong(ptr) + bytes;
        if (end > g.memory().byteSize() || (len > 0 && Integer.remainderUnsigned(ptr, e.type().alignment()) != 0)) {
            throw new AbiException(SqlStates.ARRAY_SUBSCRIPT_ERROR, "the function returned an array (ptr " + Integer.toUnsignedString(ptr)
                    + ", len " + len + ") of " + e.type().sqlName() + " whose elements and null bitmap (" + bytes + " bytes) are "
                    + (end > g.memory().byteSize() ? "outside memory" : "not aligned to " + e.type().alignment() + " bytes"));
        }
        int n = (int) len;
        Object[] out = (Object[]) Array.newInstance(e.type().boxedType(), n);
        int bitmap = ptr + n * size;
        byte[] mem = g.memory().buffer();
        for (int i = 0; i < n; i++) {
            if ((mem[bitmap + (i >>> 3)] & (1 << (i & 7))) == 0) {
                out[i] = e.reader().read(g, ptr + i * size);
            }
        }
        return out;
    }

    public static Boolean[] liftBoolean(GuestInstance g, int retptr) {
        return (Boolean[]) lift(g, retptr, BOOLEAN.element);
    }

    public static Boolean[] liftOptionalBoolean(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftBoolean(g, retptr + 4) : null;
    }

    public static Short[] liftSmallint(GuestInstance g, int retptr) {
        return (Short[]) lift(g, retptr, SMALLINT.element);
    }

    public static Short[] liftOptionalSmallint(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftSmallint(g, retptr + 4) : null;
    }

    public static Integer[] liftInteger(GuestInstance g, int retptr) {
        return (Integer[]) lift(g, retptr, INTEGER.element);
    }

    public static Integer[] liftOptionalInteger(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftInteger(g, retptr + 4) : null;
    }

    public static Long[] liftBigint(GuestInstance g, int retptr) {
        return (Long[]) lift(g, retptr, BIGINT.element);
    }

    public static Long[] liftOptionalBigint(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftBigint(g, retptr + 4) : null;
    }

    public static Float[] liftReal(GuestInstance g, int retptr) {
        return (Float[]) lift(g, retptr, REAL.element);
    }

    public static Float[] liftOptionalReal(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftReal(g, retptr + 4) : null;
    }

    public static Double[] liftDouble(GuestInstance g, int retptr) {
        return (Double[]) lift(g, retptr, DOUBLE_PRECISION.element);
    }

    public static Double[] liftOptionalDouble(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftDouble(g, retptr + 4) : null;
    }

    public static BigDecimal[] liftNumeric(GuestInstance g, int retptr) {
        return (BigDecimal[]) lift(g, retptr, NUMERIC.element);
    }

    public static BigDecimal[] liftOptionalNumeric(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftNumeric(g, retptr + 4) : null;
    }

    public static String[] liftText(GuestInstance g, int retptr) {
        return (String[]) lift(g, retptr, TEXT.element);
    }

    public static String[] liftOptionalText(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftText(g, retptr + 4) : null;
    }

    public static String[] liftBpchar(GuestInstance g, int retptr) {
        return (String[]) lift(g, retptr, BPCHAR.element);
    }

    public static String[] liftOptionalBpchar(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftBpchar(g, retptr + 4) : null;
    }

    public static byte[][] liftBytea(GuestInstance g, int retptr) {
        return (byte[][]) lift(g, retptr, BYTEA.element);
    }

    public static byte[][] liftOptionalBytea(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftBytea(g, retptr + 4) : null;
    }

    public static LocalDate[] liftDate(GuestInstance g, int retptr) {
        return (LocalDate[]) lift(g, retptr, DATE.element);
    }

    public static LocalDate[] liftOptionalDate(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftDate(g, retptr + 4) : null;
    }

    public static LocalTime[] liftTime(GuestInstance g, int retptr) {
        return (LocalTime[]) lift(g, retptr, TIME.element);
    }

    public static LocalTime[] liftOptionalTime(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftTime(g, retptr + 4) : null;
    }

    public static LocalDateTime[] liftTimestamp(GuestInstance g, int retptr) {
        return (LocalDateTime[]) lift(g, retptr, TIMESTAMP.element);
    }

    public static LocalDateTime[] liftOptionalTimestamp(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftTimestamp(g, retptr + 4) : null;
    }

    public static OffsetDateTime[] liftTimestamptz(GuestInstance g, int retptr) {
        return (OffsetDateTime[]) lift(g, retptr, TIMESTAMPTZ.element);
    }

    public static OffsetDateTime[] liftOptionalTimestamptz(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftTimestamptz(g, retptr + 4) : null;
    }

    public static Duration[] liftInterval(GuestInstance g, int retptr) {
        return (Duration[]) lift(g, retptr, INTERVAL.element);
    }

    public static Duration[] liftOptionalInterval(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftInterval(g, retptr + 4) : null;
    }

    public static UUID[] liftUuid(GuestInstance g, int retptr) {
        return (UUID[]) lift(g, retptr, UUID.element);
    }

    public static UUID[] liftOptionalUuid(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftUuid(g, retptr + 4) : null;
    }

    public static String[] liftJson(GuestInstance g, int retptr) {
        return (String[]) lift(g, retptr, JSON.element);
    }

    public static String[] liftOptionalJson(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftJson(g, retptr + 4) : null;
    }

    public static String[] liftJsonb(GuestInstance g, int retptr) {
        return (String[]) lift(g, retptr, JSONB.element);
    }

    public static String[] liftOptionalJsonb(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftJsonb(g, retptr + 4) : null;
    }
}
