package io.wasmudf.engine.internal.runtime;

/** A GC array (3.0): numeric elements as raw bits in {@code nums}, references and v128 values in {@code refs}; one of them is null. */
public final class GcArray {
    public final GcType type;
    public final long[] nums;
    public final Object[] refs;

    GcArray(GcType type, int length) {
        this.type = type;
        if (type.isRefArray()) {
            this.refs = new Object[length];
            this.nums = null;
            if (type.isV128Array()) {
                java.util.Arrays.fill(refs, io.wasmudf.engine.V128.ZERO); // the default element is the zero vector
            }
        } else {
            this.nums = new long[length];
            this.refs = null;
        }
    }

    int length() {
        return nums != null ? nums.length : refs.length;
    }
}
