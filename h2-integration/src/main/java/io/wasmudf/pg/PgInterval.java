package io.wasmudf.pg;

import java.nio.ByteBuffer;
import org.h2.api.Interval;

/**
 * A PostgreSQL interval (months, days, microseconds) made from H2's interval value, in PostgreSQL's
 * text form (IntervalStyle postgres, e.g. {@code 1 year 2 mons -3 days +04:05:06.5}) and binary
 * form ({@code int64 micros, int32 days, int32 months}).
 */
record PgInterval(long months, long days, long micros) {

    /** H2's year-month or day-time interval; H2 keeps whole days apart from the time, as PostgreSQL does. */
    static PgInterval of(Interval i) {
        long months = i.getYears() * 12 + i.getMonths();
        long micros = ((i.getHours() * 60 + i.getMinutes()) * 60 + i.getSeconds()) * 1_000_000 + i.getNanosOfSecond() / 1000;
        return new PgInterval(months, i.getDays(), micros);
    }

    /** A day-time interval given as a Java duration: whole days, then the rest. */
    static PgInterval of(java.time.Duration d) {
        long days = d.toDays();
        return new PgInterval(0, days, d.minusDays(days).toNanos() / 1000);
    }

    /** The value H2 or the codec holds for an interval cell. */
    static PgInterval from(Object value) {
        if (value instanceof Interval i) {
            return of(i);
        }
        if (value instanceof java.time.Duration d) {
            return of(d);
        }
        throw new IllegalArgumentException("not an interval: " + value.getClass().getName());
    }

    byte[] binary() {
        return ByteBuffer.allocate(16).putLong(micros).putInt((int) days).putInt((int) months).array();
    }

    /** PostgreSQL's EncodeInterval, INTSTYLE_POSTGRES. */
    String text() {
        StringBuilder sb = new StringBuilder();
        boolean[] zeroBefore = {true, false};
        part(sb, months / 12, "year", zeroBefore);
        part(sb, months % 12, "mon", zeroBefore);
        part(sb, days, "day", zeroBefore);
        if (zeroBefore[0] || micros != 0) {
            long abs = Math.abs(micros);
            sb.append(zeroBefore[0] ? "" : " ").append(micros < 0 ? "-" : zeroBefore[1] ? "+" : "");
            sb.append(String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", abs / 3_600_000_000L, abs / 60_000_000 % 60, abs / 1_000_000 % 60));
            long fraction = abs % 1_000_000;
            if (fraction != 0) {
                String f = String.format(java.util.Locale.ROOT, "%06d", fraction);
                sb.append('.').append(f.replaceAll("0+$", ""));
            }
        }
        return sb.toString();
    }

    /** One "N unit(s)" part; state: [0] nothing written yet, [1] the previous part was negative. */
    private static void part(StringBuilder sb, long value, String unit, boolean[] state) {
        if (value == 0) {
            return;
        }
        sb.append(state[0] ? "" : " ").append(state[1] && value > 0 ? "+" : "").append(value).append(' ').append(unit)
                .append(value != 1 ? "s" : "");
        state[1] = value < 0;
        state[0] = false;
    }
}
