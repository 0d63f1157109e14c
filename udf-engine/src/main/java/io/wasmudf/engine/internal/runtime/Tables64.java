package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Table;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;

/**
 * Table instructions on tables with i64 indexes (table64), called from generated code. A table is
 * one {@code Object[]} (at most the engine's table size limit), so an index narrows to an
 * {@code int}: one of 2^31 or more (or 2^63 and more, negative as a long) is out of bounds
 * anyway and becomes {@link Integer#MAX_VALUE}, which {@link Tables} rejects as such.
 */
public final class Tables64 {
    private Tables64() {}

    /** An i64 index (unsigned) as an int index that is out of bounds exactly when the original is. */
    public static int index(long i) {
        return i < 0 || i > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) i;
    }

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }

    public static Object get(long i, Table t) {
        return Tables.get(index(i), t);
    }

    public static void set(long i, Object v, Table t) {
        Tables.set(index(i), v, t);
    }

    public static long size(Table t) {
        return t.size();
    }

    public static long grow(Object init, long delta, Table t) {
        return delta < 0 || delta > Integer.MAX_VALUE ? -1 : t.grow((int) delta, init);
    }

    private static int range(long start, long len, int size) {
        if (start < 0 || len < 0 || start > size || len > size - start) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE_ACCESS);
        }
        return (int) start;
    }

    public static void fill(long start, Object v, long len, Table t) {
        range(start, len, t.size());
        Tables.fill((int) start, v, (int) len, t);
    }

    /** {@code table.copy} where either table is table64; the operands by address type. */
    public static void copy(long d, long s, long n, Table dst, Table src) {
        range(d, n, dst.size());
        range(s, n, src.size());
        Tables.copy((int) d, (int) s, (int) n, dst, src);
    }

    public static void copy(long d, int s, int n, Table dst, Table src) { copy(d, u(s), u(n), dst, src); }
    public static void copy(int d, long s, int n, Table dst, Table src) { copy(u(d), s, u(n), dst, src); }

    public static void init(long d, int s, int n, Table t, Object[] segment) {
        range(d, u(n), t.size());
        Tables.init((int) d, s, n, t, segment);
    }
}
