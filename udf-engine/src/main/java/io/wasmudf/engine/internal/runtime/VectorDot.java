package io.wasmudf.engine.internal.runtime;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SimdDotLoop}'s vector loop, kept in its own class: it links against {@code
 * jdk.incubator.vector}, so it is loaded only where that module is present. Loads go through
 * {@code ByteVector.fromArray} and a reinterpretation (in the machine's byte order, little-endian
 * where used), which exist alike in Java 17 and 25 (the byte-array float loads of 17 are gone in 25).
 */
final class VectorDot {
    private VectorDot() {}

    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_128;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_128;

    /** Whether 128-bit float vectors are native here (else the API runs as slow Java code). */
    static boolean supported() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 128;
    }

    /**
     * The accumulator goes in and out as int bits: the API's float lane accessors may canonicalise a
     * NaN (its Java fallback, before C2 compiles the loop, goes through {@code floatToIntBits}), which
     * Wasm would allow but the loop compiled iteration by iteration does not do.
     */
    static F32Lanes dot(F32Lanes acc, byte[] m, int a, int b, int n) {
        int[] in = {Float.floatToRawIntBits(acc.l0), Float.floatToRawIntBits(acc.l1), Float.floatToRawIntBits(acc.l2),
            Float.floatToRawIntBits(acc.l3)};
        FloatVector s = IntVector.fromArray(INTS, in, 0).reinterpretAsFloats();
        for (int i = 0; i < n; i++) {
            FloatVector x = ByteVector.fromArray(BYTES, m, a + 16 * i).reinterpretAsFloats();
            FloatVector y = ByteVector.fromArray(BYTES, m, b + 16 * i).reinterpretAsFloats();
            s = s.add(x.mul(y)); // the product rounded, then added: as f32x4.mul then f32x4.add
        }
        IntVector out = s.reinterpretAsInts();
        return new F32Lanes(Float.intBitsToFloat(out.lane(0)), Float.intBitsToFloat(out.lane(1)),
                Float.intBitsToFloat(out.lane(2)), Float.intBitsToFloat(out.lane(3)));
    }
}
