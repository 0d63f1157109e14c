package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.V128;

/** A GC struct (3.0): numeric fields as raw bits, reference and v128 fields as objects (see {@link GcType}). */
public final class GcStruct {
    public final GcType type;
    public final long[] nums;
    public final Object[] refs;

    GcStruct(GcType type) {
        this.type = type;
        this.nums = type.numSlots == 0 ? NO_NUMS : new long[type.numSlots];
        this.refs = type.refSlots == 0 ? NO_REFS : new Object[type.refSlots];
        for (int k = 0; k < type.storage.length; k++) {
            if (type.storage[k] == 0x7B) {
                refs[type.slot[k]] = V128.ZERO; // a v128 field's default is the zero vector, not null
            }
        }
    }

    private static final long[] NO_NUMS = new long[0];
    private static final Object[] NO_REFS = new Object[0];
}
