package io.wasmudf.engine.internal.runtime;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SimdScanLoop}'s vector loop, kept in its own class: it links against {@code
 * jdk.incubator.vector}, so it is loaded only where that module is present. One compare of 32
 * bytes (256-bit vectors: AVX2's {@code vpcmpeqb} + {@code vpmovmskb}) or 16 (128-bit: SSE's)
 * per step, where the plain loop spends about four ALU operations per 8 bytes. Not 512 bits:
 * on AVX-512 (AMD EPYC, Java 17) that loop took twice the 256-bit one's time (its mask test is
 * not one instruction there), so the preferred width is capped at 256.
 */
final class VectorScan {
    private VectorScan() {}

    private static final boolean WIDE = ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    /** Whether 128-bit byte vectors are native here (else the API runs as slow Java code). */
    static boolean supported() {
        return ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 128;
    }

    /**
     * The byte index, from {@code s} in steps of 16 up to {@code e} ({@code e - s} a multiple of 16,
     * all of it inside {@code m}), of the first 16-byte block that may hold a byte equal to its
     * lane's byte of the needle {@code lo:hi}: every block before it holds none. It stops short of
     * {@code e} also where less than a vector is left; the caller's loop tests the blocks from there.
     */
    static int skip(byte[] m, int s, int e, long lo, long hi) {
        return WIDE ? skip256(m, s, e, lo, hi) : skip128(m, s, e, lo, hi);
    }

    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Long> L256 = LongVector.SPECIES_256;
    private static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Long> L128 = LongVector.SPECIES_128;

    // Two methods with constant species, not one taking the species: the API is compiled to vector
    // instructions only where the species is a constant to C2.
    private static int skip256(byte[] m, int s, int e, long lo, long hi) {
        // lane k of every 32-byte vector from s is lane k mod 16 of an iteration's 16 bytes
        ByteVector needle = LongVector.broadcast(L256, lo).withLane(1, hi).withLane(3, hi).reinterpretAsBytes();
        int i = s;
        for (; i <= e - 32; i += 32) {
            VectorMask<Byte> hits = ByteVector.fromArray(B256, m, i).compare(VectorOperators.EQ, needle);
            if (hits.anyTrue()) {
                return i + (hits.firstTrue() & ~15);
            }
        }
        return i;
    }

    private static int skip128(byte[] m, int s, int e, long lo, long hi) {
        ByteVector needle = LongVector.broadcast(L128, lo).withLane(1, hi).reinterpretAsBytes();
        int i = s;
        for (; i < e; i += 16) {
            if (ByteVector.fromArray(B128, m, i).compare(VectorOperators.EQ, needle).anyTrue()) {
                break;
            }
        }
        return i;
    }
}
