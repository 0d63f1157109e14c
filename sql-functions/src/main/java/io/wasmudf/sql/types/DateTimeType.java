package io.wasmudf.sql.types;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.AbiValues;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.StaticCall;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code date}, {@code time}, {@code timestamp}, {@code timestamptz} in PostgreSQL's own binary
 * form: a date is an s32 count of days since 2000-01-01, a time an s64 count of microseconds since
 * midnight, a timestamp (with or without time zone) an s64 count of microseconds since 2000-01-01
 * 00:00 (UTC for {@code timestamptz}). Values outside PostgreSQL's ranges, its infinities among
 * them (H2 has none), are an error (22008) both ways rather than wrapped or clamped.
 */
public final class DateTimeType extends CoreValueType {
    /** {@code date}. */
    public static final DateTimeType DATE = new DateTimeType("date", List.of(), LocalDate.class, ValType.I32, "Date");
    // canonical names as PostgreSQL's format_type prints them (psql's \df), the short ones as spellings
    /** {@code time without time zone} ({@code time}). */
    public static final DateTimeType TIME = new DateTimeType("time without time zone", List.of("time"), LocalTime.class, ValType.I64, "Time");
    /** {@code timestamp without time zone} ({@code timestamp}). */
    public static final DateTimeType TIMESTAMP = new DateTimeType("timestamp without time zone", List.of("timestamp"), LocalDateTime.class,
            ValType.I64, "Timestamp");
    /** {@code timestamp with time zone} ({@code timestamptz}). */
    public static final DateTimeType TIMESTAMPTZ = new DateTimeType("timestamp with time zone", List.of("timestamptz"), OffsetDateTime.class,
            ValType.I64, "Timestamptz");

    /** 2000-01-01 as a Java epoch day and epoch second: PostgreSQL's epoch. */
    static final long PG_EPOCH_DAY = 10_957;
    static final long PG_EPOCH_SECOND = PG_EPOCH_DAY * 86_400;
    /** PostgreSQL's date range: 4714-11-24 BC (Julian day 0) up to, not including, 5874898-01-01. */
    static final int MIN_DATE = -2_451_545;
    static final int END_DATE = 2_145_031_949;
    /** PostgreSQL's timestamp range in µs since 2000: 4714-11-24 00:00 BC up to, not including, 294277-01-01. */
    static final long MIN_TIMESTAMP = -211_813_488_000_000_000L;
    static final long END_TIMESTAMP = 9_223_371_331_200_000_000L;
    static final long MICROS_PER_DAY = 86_400_000_000L;

    private final String suffix;

    private DateTimeType(String name, List<String> spellings, Class<?> javaType, ValType core, String suffix) {
        super(name, spellings, javaType, javaType, core);
        this.suffix = suffix;
    }

    @Override
    public Lowering lowering() {
        Class<?> core = wide() ? long.class : int.class;
        return new Lowering.Scalar(StaticCall.of(DateTimeType.class, "lower" + suffix, core, javaType()),
                StaticCall.of(DateTimeType.class, "orZero" + suffix, core, javaType()));
    }

    @Override
    public StaticCall liftDirect() {
        return StaticCall.of(DateTimeType.class, "to" + suffix, javaType(), wide() ? long.class : int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(DateTimeType.class, "liftOptional" + suffix, javaType(), GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftPacked() {
        return wide() ? null : StaticCall.of(DateTimeType.class, "fromPacked" + suffix, javaType(), long.class);
    }

    // ---- date ---------------------------------------------------------------------------------

    public static int lowerDate(LocalDate d) {
        long days = d.toEpochDay() - PG_EPOCH_DAY;
        if (days < MIN_DATE || days >= END_DATE) {
            throw outOfRange("date", "\"" + d + "\"", "");
        }
        return (int) days;
    }

    public static int orZeroDate(LocalDate d) {
        return d == null ? 0 : lowerDate(d);
    }

    /** Days since 2000-01-01 as a date; PostgreSQL's range only. */
    public static LocalDate toDate(int days) {
        if (days < MIN_DATE || days >= END_DATE) {
            throw outOfRange("date", Integer.toString(days), " days since 2000-01-01"
                    + (days == Integer.MAX_VALUE || days == Integer.MIN_VALUE ? " (PostgreSQL's infinity, which H2 cannot store)" : ""));
        }
        return LocalDate.ofEpochDay(days + PG_EPOCH_DAY);
    }

    public static LocalDate liftOptionalDate(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? toDate(g.memory().readInt(retptr + 4)) : null;
    }

    public static LocalDate fromPackedDate(long r) {
        return AbiValues.isPackedSome(r) ? toDate((int) r) : null;
    }

    // ---- time ---------------------------------------------------------------------------------

    /** Microseconds since midnight, rounded half up from H2's nanoseconds as PostgreSQL rounds its input. */
    public static long lowerTime(LocalTime t) {
        return (t.toNanoOfDay() + 500) / 1000;
    }

    public static long orZeroTime(LocalTime t) {
        return t == null ? 0 : lowerTime(t);
    }

    /** Microseconds since midnight as a time; PostgreSQL's 24:00:00 has no Java (or H2) value. */
    public static LocalTime toTime(long micros) {
        if (micros < 0 || micros >= MICROS_PER_DAY) {
            throw outOfRange("time", Long.toString(micros), " microseconds since midnight (0 to 86399999999"
                    + (micros == MICROS_PER_DAY ? "; H2 has no 24:00:00" : "") + ")");
        }
        return LocalTime.ofNanoOfDay(micros * 1000);
    }

    public static LocalTime liftOptionalTime(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? toTime(g.memory().readLong(retptr + 8)) : null;
    }

    // ---- timestamp, timestamptz -----------------------------------------------------------------

    public static long lowerTimestamp(LocalDateTime t) {
        return micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano(), t);
    }

    public static long orZeroTimestamp(LocalDateTime t) {
        return t == null ? 0 : lowerTimestamp(t);
    }

    public static long lowerTimestamptz(OffsetDateTime t) {
        return micros(t.toEpochSecond(), t.getNano(), t);
    }

    public static long orZeroTimestamptz(OffsetDateTime t) {
        return t == null ? 0 : lowerTimestamptz(t);
    }

    private static long micros(long epochSecond, int nano, Object value) {
        long seconds = epochSecond - PG_EPOCH_SECOND;
        // beyond ±292,000 years µs overflow a long; PostgreSQL's range is far inside
        if (seconds < MIN_TIMESTAMP / 1_000_000 - 1 || seconds > END_TIMESTAMP / 1_000_000 + 1) {
            throw outOfRange("timestamp", "\"" + value + "\"", "");
        }
        long micros = seconds * 1_000_000 + (nano + 500) / 1000;
        if (micros < MIN_TIMESTAMP || micros >= END_TIMESTAMP) {
            throw outOfRange("timestamp", "\"" + value + "\"", "");
        }
        return micros;
    }

    /** Microseconds since 2000-01-01 00:00 as a timestamp; PostgreSQL's range only. */
    public static LocalDateTime toTimestamp(long micros) {
        checkTimestamp(micros);
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000) + PG_EPOCH_SECOND, (int) Math.floorMod(micros, 1_000_000) * 1000,
                ZoneOffset.UTC);
    }

    /** Microseconds since 2000-01-01 00:00 UTC as a timestamp with time zone (at UTC). */
    public static OffsetDateTime toTimestamptz(long micros) {
        return toTimestamp(micros).atOffset(ZoneOffset.UTC);
    }

    private static void checkTimestamp(long micros) {
        if (micros < MIN_TIMESTAMP || micros >= END_TIMESTAMP) {
            throw outOfRange("timestamp", Long.toString(micros), " microseconds since 2000-01-01"
                    + (micros == Long.MAX_VALUE || micros == Long.MIN_VALUE ? " (PostgreSQL's infinity, which H2 cannot store)" : ""));
        }
    }

    public static LocalDateTime liftOptionalTimestamp(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? toTimestamp(g.memory().readLong(retptr + 8)) : null;
    }

    public static OffsetDateTime liftOptionalTimestamptz(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? toTimestamptz(g.memory().readLong(retptr + 8)) : null;
    }

    static AbiException outOfRange(String type, String value, String unit) {
        return new AbiException(SqlStates.DATETIME_OUT_OF_RANGE, type + " out of range: " + value + unit);
    }
}
