package io.wasmudf.engine.internal.runtime;

/** An {@code i31ref} (3.0): a 31-bit integer as a reference; {@code ref.eq} compares the values. */
public final class GcI31 {
    /** The low 31 bits (bit 31 clear). */
    public final int bits;

    GcI31(int bits) {
        this.bits = bits & 0x7FFF_FFFF;
    }

    @Override
    public String toString() {
        return "i31:" + bits;
    }
}
