package io.wasmudf.engine;

import java.util.Arrays;

/** A table of references ({@link WasmFunction} or null for funcref; any object or null for externref). */
public final class Table {
    private final ValType elemType;
    private final long max;
    /** Whether the table is indexed by i64 (table64): part of its type, checked when it is imported. */
    private final boolean is64;
    private Object[] elements;

    /** The precise (3.0) element type, as {@link Global}'s: tables match on import only if these are equal. */
    int preciseType;

    /** A table of {@code min} null elements; {@code max} is -1 when unbounded. */
    public Table(ValType elemType, int min, long max) {
        this(elemType, min, max, false);
    }

    /** As {@link #Table(ValType, int, long)}; {@code is64}: indexed by i64 (table64). */
    public Table(ValType elemType, int min, long max, boolean is64) {
        this.is64 = is64;
        this.preciseType = elemType.code();
        this.elemType = elemType;
        this.max = max;
        this.elements = new Object[min];
    }

    public ValType elemType() {
        return elemType;
    }

    /** Whether the table is indexed by i64 (table64). */
    public boolean is64() {
        return is64;
    }

    /** The maximum from the table's type, or -1 when it has none. */
    public long declaredMax() {
        return max;
    }

    public int size() {
        return elements.length;
    }

    /** The backing array; valid until the next {@link #grow}. */
    public Object[] elements() {
        return elements;
    }

    public Object get(int index) {
        if (index < 0 || index >= elements.length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE_ACCESS);
        }
        return elements[index];
    }

    public void set(int index, Object value) {
        if (index < 0 || index >= elements.length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE_ACCESS);
        }
        elements[index] = value;
    }

    /** Grows by {@code delta} (unsigned) elements set to {@code init}; returns the old size or -1. */
    public int grow(int delta, Object init) {
        int old = elements.length;
        long wanted = (long) old + Integer.toUnsignedLong(delta);
        long limit = max < 0 ? 10_000_000L : Math.min(max, 10_000_000L);
        if (wanted > limit) {
            return -1;
        }
        Object[] bigger = Arrays.copyOf(elements, (int) wanted);
        Arrays.fill(bigger, old, (int) wanted, init);
        elements = bigger;
        return old;
    }
}
