package io.wasmudf.engine.internal.runtime;

/** A GC struct (3.0): numeric fields as raw bits, reference fields as objects (see {@link GcType}). */
public final class GcStruct {
    public final GcType type;
    public final long[] nums;
    public final Object[] refs;

    GcStruct(GcType type) {
        this.type = type;
        this.nums = type.numSlots == 0 ? NO_NUMS : new long[type.numSlots];
        this.refs = type.refSlots == 0 ? NO_REFS : new Object[type.refSlots];
    }

    private static final long[] NO_NUMS = new long[0];
    private static final Object[] NO_REFS = new Object[0];
}
