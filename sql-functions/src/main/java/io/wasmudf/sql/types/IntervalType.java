package io.wasmudf.sql.types;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.StaticCall;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code interval}: PostgreSQL's three fields as a record {@code {s32 months, s32 days, s64 micros}}
 * (flat {@code i32, i32, i64}; 16 bytes, align 8). H2 keeps year-month and day-time intervals
 * apart and a Java function sees only the day-time kind ({@link Duration}), so arguments arrive
 * with {@code months = 0} and whole days in {@code days}, and a result must have {@code months = 0}
 * (else 22008, never a silent 30-day month).
 */
public final class IntervalType extends SqlType {
    /** {@code interval}. */
    public static final IntervalType INTERVAL = new IntervalType();

    private IntervalType() {
        super("interval", List.of(), Duration.class, Duration.class);
    }

    @Override
    public List<ValType> flat() {
        return List.of(ValType.I32, ValType.I32, ValType.I64);
    }

    @Override
    public int size() {
        return 16;
    }

    @Override
    public int alignment() {
        return 8;
    }

    @Override
    public Lowering lowering() {
        return new Lowering.Flat(
                List.of(StaticCall.of(IntervalType.class, "months", int.class, Duration.class),
                        StaticCall.of(IntervalType.class, "days", int.class, Duration.class),
                        StaticCall.of(IntervalType.class, "micros", long.class, Duration.class)),
                List.of(StaticCall.of(IntervalType.class, "months", int.class, Duration.class),
                        StaticCall.of(IntervalType.class, "orZeroDays", int.class, Duration.class),
                        StaticCall.of(IntervalType.class, "orZeroMicros", long.class, Duration.class)));
    }

    @Override
    public StaticCall liftArea() {
        return StaticCall.of(IntervalType.class, "lift", Duration.class, GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(IntervalType.class, "liftOptional", Duration.class, GuestInstance.class, int.class);
    }

    /** Always 0: a day-time interval has no months (also for NULL). */
    public static int months(Duration d) {
        return 0;
    }

    /** Whole days, truncated toward zero as PostgreSQL keeps {@code -1 day -02:00} as (-1, -2 h). */
    public static int days(Duration d) {
        long days = d.toDays();
        if (days != (int) days) {
            throw new AbiException(SqlStates.DATETIME_OUT_OF_RANGE, "interval out of range: \"" + d + "\"");
        }
        return (int) days;
    }

    /** The rest after whole days, in microseconds (rounded half away from zero). */
    public static long micros(Duration d) {
        Duration rest = d.minusDays(d.toDays());
        long nanos = rest.toNanos();
        return nanos >= 0 ? (nanos + 500) / 1000 : (nanos - 500) / 1000;
    }

    public static int orZeroDays(Duration d) {
        return d == null ? 0 : days(d);
    }

    public static long orZeroMicros(Duration d) {
        return d == null ? 0 : micros(d);
    }

    /** The interval {@code (months, days, micros)} as H2's day-time interval. */
    public static Duration of(int months, int days, long micros) {
        if (months != 0) {
            throw new AbiException(SqlStates.DATETIME_OUT_OF_RANGE, "interval out of range: the function returned " + months
                    + " months, but H2 intervals with days and time have no months (return months = 0, e.g. 30 days)");
        }
        return Duration.ofDays(days).plus(micros, ChronoUnit.MICROS);
    }

    /** The interval at {@code addr}: months at 0, days at 4, micros at 8. */
    public static Duration lift(GuestInstance g, int addr) {
        return of(g.memory().readInt(addr), g.memory().readInt(addr + 4), g.memory().readLong(addr + 8));
    }

    public static Duration liftOptional(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? lift(g, retptr + 8) : null;
    }
}
