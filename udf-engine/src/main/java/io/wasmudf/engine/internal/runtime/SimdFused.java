package io.wasmudf.engine.internal.runtime;

/**
 * Helpers for adjacent instruction pairs that the compiler emits as one call (see {@code
 * compile.SimdFusion}); each computes exactly what the pair computes, with less packing of lanes
 * into longs in between. The public methods stay under 35 bytes of bytecode (see {@link Vec}).
 */
public final class SimdFused {
    private SimdFused() {}

    private static final long LOW7 = 0x7F7F_7F7F_7F7F_7F7FL;
    private static final long HIGH = 0x8080_8080_8080_8080L;

    /**
     * {@code i8x16.eq} then {@code i8x16.bitmask}: bit k set when byte k of x equals byte k of y
     * (memchr and strlen loops). No 16-byte mask is built: bytes are equal where the xor is zero.
     */
    public static int i8x16_eq_bitmask(Object x, Object y) {
        return zeroBytes(Vec.lo(x) ^ Vec.lo(y), Vec.hi(x) ^ Vec.hi(y));
    }

    /**
     * The zero bytes of the 16 bytes {@code lo:hi} as a 16-bit mask. The common answer in a scanning
     * loop, none, costs three operations a half: {@code (z - 0x01..) & ~z & 0x80..} is non-zero
     * exactly when some byte of z is zero (its false positives sit above a true zero byte only).
     */
    private static int zeroBytes(long lo, long hi) {
        if (!SimdScan.anyZeroByte(lo, hi)) {
            return 0;
        }
        return zeroBytes8(lo) | zeroBytes8(hi) << 8;
    }

    /** Exact: the top bit of byte k is set when byte k is zero, then gathered as i8x16.bitmask gathers. */
    private static int zeroBytes8(long z) {
        long t = ~((z & LOW7) + LOW7 | z) & HIGH;
        return (int) ((t >>> 7) * 0x0102_0408_1020_4080L >>> 56);
    }

    /**
     * {@code f32x4.mul} then {@code f32x4.add}: {@code acc + a * b} lane by lane, the product
     * rounded to float before the addition (not a fused multiply-add), as the two instructions do.
     */
    public static Object f32x4_mul_add(Object acc, Object a, Object b) {
        return mulAdd(F32Lanes.of(acc), F32Lanes.of(a), F32Lanes.of(b));
    }

    private static F32Lanes mulAdd(F32Lanes c, F32Lanes a, F32Lanes b) {
        return new F32Lanes(c.l0 + a.l0 * b.l0, c.l1 + a.l1 * b.l1, c.l2 + a.l2 * b.l2, c.l3 + a.l3 * b.l3);
    }

    // a declared v128 local that only f32x4 arithmetic writes lives in four float slots (see compile.SimdEmitter#loadSplit)

    /** The vector of a float-form local's four slots. */
    public static Object f32x4(float l0, float l1, float l2, float l3) {
        return new F32Lanes(l0, l1, l2, l3);
    }

    public static float lane0(Object v) {
        return F32Lanes.of(v).l0;
    }

    public static float lane1(Object v) {
        return F32Lanes.of(v).l1;
    }

    public static float lane2(Object v) {
        return F32Lanes.of(v).l2;
    }

    public static float lane3(Object v) {
        return F32Lanes.of(v).l3;
    }
}
