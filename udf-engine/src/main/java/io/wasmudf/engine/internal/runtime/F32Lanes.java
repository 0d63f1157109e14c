package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.V128;

/**
 * A v128 that f32x4 arithmetic made (or a load that f32x4 arithmetic consumes), held as its four
 * float lanes; its bits ({@link #lo()}, {@link #hi()}) are packed on demand. Why: a chain of f32x4
 * operations on bits-only vectors packs each result into two longs and unpacks it again for the
 * next operation, and in a loop accumulating a vector that pack-unpack sits on the chain every
 * iteration waits for (the f32x4 dot product kernel). With this class the helpers pass floats.
 * C2 knows the class of a vector that an inlined helper just made, so {@link #of} folds to one arm
 * while parsing (no bytecode of the other arm counts against the inlining budget) and escape
 * analysis removes the object. To host code it is a V128 like any other (equal by bits).
 */
final class F32Lanes extends V128 {
    final float l0;
    final float l1;
    final float l2;
    final float l3;

    F32Lanes(float l0, float l1, float l2, float l3) {
        super(0, 0);
        this.l0 = l0;
        this.l1 = l1;
        this.l2 = l2;
        this.l3 = l3;
    }

    @Override
    public long lo() {
        return pack(l0, l1);
    }

    @Override
    public long hi() {
        return pack(l2, l3);
    }

    private static long pack(float low, float high) {
        return Float.floatToRawIntBits(low) & 0xFFFF_FFFFL | (long) Float.floatToRawIntBits(high) << 32;
    }

    /** The vector as float lanes: itself, or its bits unpacked into a new one (which C2 removes). */
    static F32Lanes of(Object v) {
        return v instanceof F32Lanes f ? f : unpack((V128) v);
    }

    private static F32Lanes unpack(V128 v) {
        return ofWords(v.lo(), v.hi());
    }

    /** The vector with little-endian halves {@code lo}, {@code hi} as float lanes (every bit kept, NaN payloads too). */
    static F32Lanes ofWords(long lo, long hi) {
        return new F32Lanes(Float.intBitsToFloat((int) lo), Float.intBitsToFloat((int) (lo >>> 32)),
                Float.intBitsToFloat((int) hi), Float.intBitsToFloat((int) (hi >>> 32)));
    }
}
