package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.V128;

/**
 * Vector instructions that move data between lanes or between vectors and scalars: bitwise
 * operations, tests, splat/extract/replace, shuffle and swizzle, narrowing and widening, dot
 * products. Called from compiled code by name (the text name with '.' as '_'); lane immediates come
 * last, as constants the compiler pushes.
 */
public final class SimdLaneOps {
    private SimdLaneOps() {}

    // ---- lane access: lane i of width s bits (unsigned), and the bits to OR into a result word

    static long lane(V128 v, int s, int i) {
        int per = 64 / s;
        long w = i < per ? v.lo() : v.hi();
        return s == 64 ? w : (w >>> ((i % per) * s)) & ((1L << s) - 1);
    }

    static long signedLane(V128 v, int s, int i) {
        long u = lane(v, s, i);
        return s == 64 ? u : (u << (64 - s)) >> (64 - s);
    }

    /** Bits of {@code value} as lane i (of width s) of its word. */
    static long at(int s, int i, long value) {
        int per = 64 / s;
        return s == 64 ? value : (value & ((1L << s) - 1)) << ((i % per) * s);
    }

    /** The vector whose n lanes of width s are {@code lanes[i]}. */
    static V128 of(int s, long[] lanes) {
        int per = 64 / s;
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < lanes.length; i++) {
            if (i < per) {
                lo |= at(s, i, lanes[i]);
            } else {
                hi |= at(s, i, lanes[i]);
            }
        }
        return new V128(lo, hi);
    }

    // ---- bitwise and tests

    public static Object v128_not(Object x) {
        return new V128(~Vec.lo(x), ~Vec.hi(x));
    }

    public static Object v128_and(Object x, Object y) {
        return new V128(Vec.lo(x) & Vec.lo(y), Vec.hi(x) & Vec.hi(y));
    }

    public static Object v128_andnot(Object x, Object y) {
        return new V128(Vec.lo(x) & ~Vec.lo(y), Vec.hi(x) & ~Vec.hi(y));
    }

    public static Object v128_or(Object x, Object y) {
        return new V128(Vec.lo(x) | Vec.lo(y), Vec.hi(x) | Vec.hi(y));
    }

    public static Object v128_xor(Object x, Object y) {
        return new V128(Vec.lo(x) ^ Vec.lo(y), Vec.hi(x) ^ Vec.hi(y));
    }

    public static Object v128_bitselect(Object x, Object y, Object m) {
        return new V128(select(Vec.lo(x), Vec.lo(y), Vec.lo(m)), select(Vec.hi(x), Vec.hi(y), Vec.hi(m)));
    }

    private static long select(long a, long b, long m) {
        return a & m | b & ~m;
    }

    // float abs and neg change the sign bits only (NaN payloads included), as the scalar ones do

    public static Object f32x4_abs(Object x) {
        V128 a = (V128) x;
        return new V128(a.lo() & 0x7FFF_FFFF_7FFF_FFFFL, a.hi() & 0x7FFF_FFFF_7FFF_FFFFL);
    }

    public static Object f32x4_neg(Object x) {
        V128 a = (V128) x;
        return new V128(a.lo() ^ 0x8000_0000_8000_0000L, a.hi() ^ 0x8000_0000_8000_0000L);
    }

    public static Object f64x2_abs(Object x) {
        V128 a = (V128) x;
        return new V128(a.lo() & Long.MAX_VALUE, a.hi() & Long.MAX_VALUE);
    }

    public static Object f64x2_neg(Object x) {
        V128 a = (V128) x;
        return new V128(a.lo() ^ Long.MIN_VALUE, a.hi() ^ Long.MIN_VALUE);
    }

    public static int v128_any_true(Object x) {
        return (Vec.lo(x) | Vec.hi(x)) != 0 ? 1 : 0;
    }

    private static int allTrue(Object x, int s) {
        V128 a = (V128) x;
        for (int i = 0; i < 128 / s; i++) {
            if (lane(a, s, i) == 0) {
                return 0;
            }
        }
        return 1;
    }

    public static int i8x16_all_true(Object x) { return SimdScan.anyZeroByte(Vec.lo(x), Vec.hi(x)) ? 0 : 1; } // SWAR, no lane loop
    public static int i16x8_all_true(Object x) { return allTrue(x, 16); }
    public static int i32x4_all_true(Object x) { return allTrue(x, 32); }
    public static int i64x2_all_true(Object x) { return allTrue(x, 64); }

    private static int bitmask(Object x, int s) {
        V128 a = (V128) x;
        int r = 0;
        for (int i = 0; i < 128 / s; i++) {
            r |= (int) (lane(a, s, i) >>> (s - 1) & 1) << i;
        }
        return r;
    }

    public static int i8x16_bitmask(Object x) {
        return bitmask16(Vec.lo(x), Vec.hi(x));
    }

    /**
     * The usual answer in a scanning loop (an ASCII run in UTF-8 validation) is 0, found with one
     * test of both halves before the multiplies (measured: the UTF-8 kernel's ASCII skip).
     */
    private static int bitmask16(long lo, long hi) {
        if (((lo | hi) & 0x8080_8080_8080_8080L) == 0) {
            return 0;
        }
        return bitmask8(lo) | bitmask8(hi) << 8;
    }

    /** The top bits of a word's 8 bytes as bits 0-7: the multiply moves byte k's bit to bit 56 + k (no carries). */
    private static int bitmask8(long w) {
        return (int) (((w >>> 7) & 0x0101_0101_0101_0101L) * 0x0102_0408_1020_4080L >>> 56);
    }
    public static int i16x8_bitmask(Object x) { return bitmask(x, 16); }
    public static int i32x4_bitmask(Object x) { return bitmask(x, 32); }
    public static int i64x2_bitmask(Object x) { return bitmask(x, 64); }

    // ---- splat, extract, replace

    private static V128 splat(int s, long v) {
        long w = 0;
        for (int i = 0; i < 64 / s; i++) {
            w |= at(s, i, v);
        }
        return new V128(w, w);
    }

    public static Object i8x16_splat(int v) {
        long w = (v & 0xFFL) * 0x0101_0101_0101_0101L;
        return new V128(w, w);
    }
    public static Object i16x8_splat(int v) { return splat(16, v); }
    public static Object i32x4_splat(int v) { return splat(32, v); }
    public static Object i64x2_splat(long v) { return new V128(v, v); }
    public static Object f32x4_splat(float v) { return splat(32, Float.floatToRawIntBits(v)); }
    public static Object f64x2_splat(double v) {
        long b = Double.doubleToRawLongBits(v);
        return new V128(b, b);
    }

    // extracts by word and shift, each small enough for HotSpot to inline at any call site (the
    // generic lane() is not: the histogram kernel's 16 extracts per vector stayed calls)
    private static long word(Object x, int i, int perWord) {
        return i < perWord ? Vec.lo(x) : Vec.hi(x);
    }

    public static int i8x16_extract_lane_s(Object x, int i) { return (byte) (word(x, i, 8) >>> ((i & 7) << 3)); }
    public static int i8x16_extract_lane_u(Object x, int i) { return (int) (word(x, i, 8) >>> ((i & 7) << 3)) & 0xFF; }
    public static int i16x8_extract_lane_s(Object x, int i) { return (short) (word(x, i, 4) >>> ((i & 3) << 4)); }
    public static int i16x8_extract_lane_u(Object x, int i) { return (int) (word(x, i, 4) >>> ((i & 3) << 4)) & 0xFFFF; }
    public static int i32x4_extract_lane(Object x, int i) { return (int) (word(x, i, 2) >>> ((i & 1) << 5)); }
    public static long i64x2_extract_lane(Object x, int i) { return word(x, i, 1); }
    public static float f32x4_extract_lane(Object x, int i) { return Float.intBitsToFloat(i32x4_extract_lane(x, i)); }
    public static double f64x2_extract_lane(Object x, int i) { return Double.longBitsToDouble(word(x, i, 1)); }

    private static V128 replace(V128 a, int s, int i, long v) {
        int per = 64 / s;
        long clear = ~at(s, i, -1L);
        if (i < per) {
            return new V128(a.lo() & clear | at(s, i, v), a.hi());
        }
        return new V128(a.lo(), a.hi() & clear | at(s, i, v));
    }

    public static Object i8x16_replace_lane(Object x, int v, int i) { return replace((V128) x, 8, i, v); }
    public static Object i16x8_replace_lane(Object x, int v, int i) { return replace((V128) x, 16, i, v); }
    public static Object i32x4_replace_lane(Object x, int v, int i) { return replace((V128) x, 32, i, v); }
    public static Object i64x2_replace_lane(Object x, long v, int i) { return replace((V128) x, 64, i, v); }
    public static Object f32x4_replace_lane(Object x, float v, int i) {
        return replace((V128) x, 32, i, Float.floatToRawIntBits(v));
    }
    public static Object f64x2_replace_lane(Object x, double v, int i) {
        return replace((V128) x, 64, i, Double.doubleToRawLongBits(v));
    }

    // ---- shuffle, swizzle

    /** Byte {@code i} (0-31) of the concatenation a:b. */
    private static long byteOf(V128 a, V128 b, int i) {
        return lane(i < 16 ? a : b, 8, i & 15);
    }

    /** {@code i8x16.shuffle}: the 16 lane indices are the bytes of {@code (lo, hi)}. */
    public static Object i8x16_shuffle(Object x, Object y, long lo, long hi) {
        V128 a = (V128) x, b = (V128) y;
        long rlo = 0;
        long rhi = 0;
        for (int i = 0; i < 8; i++) {
            rlo |= byteOf(a, b, (int) (lo >>> (8 * i)) & 31) << (8 * i);
            rhi |= byteOf(a, b, (int) (hi >>> (8 * i)) & 31) << (8 * i);
        }
        return new V128(rlo, rhi);
    }

    public static Object i8x16_swizzle(Object x, Object y) {
        V128 a = (V128) x, s = (V128) y;
        long rlo = 0;
        long rhi = 0;
        for (int i = 0; i < 8; i++) {
            int il = (int) lane(s, 8, i);
            int ih = (int) lane(s, 8, i + 8);
            rlo |= (il < 16 ? lane(a, 8, il) : 0) << (8 * i);
            rhi |= (ih < 16 ? lane(a, 8, ih) : 0) << (8 * i);
        }
        return new V128(rlo, rhi);
    }

    /** Relaxed: the deterministic choice is {@code i8x16.swizzle} (out-of-range indices give 0). */
    public static Object i8x16_relaxed_swizzle(Object x, Object y) {
        return i8x16_swizzle(x, y);
    }

    // ---- narrowing, widening, pairwise and dot products

    private static V128 narrow(Object x, Object y, int from, boolean signed) {
        V128 a = (V128) x, b = (V128) y;
        int to = from / 2;
        int n = 128 / from;
        long min = signed ? -(1L << (to - 1)) : 0;
        long max = signed ? (1L << (to - 1)) - 1 : (1L << to) - 1;
        long[] r = new long[2 * n];
        for (int i = 0; i < n; i++) {
            r[i] = Math.max(min, Math.min(max, signedLane(a, from, i)));
            r[i + n] = Math.max(min, Math.min(max, signedLane(b, from, i)));
        }
        return of(to, r);
    }

    public static Object i8x16_narrow_i16x8_s(Object x, Object y) { return narrow(x, y, 16, true); }
    public static Object i8x16_narrow_i16x8_u(Object x, Object y) { return narrow(x, y, 16, false); }
    public static Object i16x8_narrow_i32x4_s(Object x, Object y) { return narrow(x, y, 32, true); }
    public static Object i16x8_narrow_i32x4_u(Object x, Object y) { return narrow(x, y, 32, false); }

    /** Lanes {@code first..} of a (width {@code from}), widened to twice the width. */
    private static V128 extend(Object x, int from, boolean high, boolean signed) {
        V128 a = (V128) x;
        int n = 64 / from;
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            int k = high ? i + n : i;
            r[i] = signed ? signedLane(a, from, k) : lane(a, from, k);
        }
        return of(2 * from, r);
    }

    public static Object i16x8_extend_low_i8x16_s(Object x) { return extend(x, 8, false, true); }
    public static Object i16x8_extend_high_i8x16_s(Object x) { return extend(x, 8, true, true); }
    public static Object i16x8_extend_low_i8x16_u(Object x) { return extend(x, 8, false, false); }
    public static Object i16x8_extend_high_i8x16_u(Object x) { return extend(x, 8, true, false); }
    public static Object i32x4_extend_low_i16x8_s(Object x) { return extend(x, 16, false, true); }
    public static Object i32x4_extend_high_i16x8_s(Object x) { return extend(x, 16, true, true); }
    public static Object i32x4_extend_low_i16x8_u(Object x) { return extend(x, 16, false, false); }
    public static Object i32x4_extend_high_i16x8_u(Object x) { return extend(x, 16, true, false); }
    public static Object i64x2_extend_low_i32x4_s(Object x) { return extend(x, 32, false, true); }
    public static Object i64x2_extend_high_i32x4_s(Object x) { return extend(x, 32, true, true); }
    public static Object i64x2_extend_low_i32x4_u(Object x) { return extend(x, 32, false, false); }
    public static Object i64x2_extend_high_i32x4_u(Object x) { return extend(x, 32, true, false); }

    private static V128 extmul(Object x, Object y, int from, boolean high, boolean signed) {
        V128 a = (V128) x, b = (V128) y;
        int n = 64 / from;
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            int k = high ? i + n : i;
            r[i] = signed ? signedLane(a, from, k) * signedLane(b, from, k) : lane(a, from, k) * lane(b, from, k);
        }
        return of(2 * from, r);
    }

    public static Object i16x8_extmul_low_i8x16_s(Object x, Object y) { return extmul(x, y, 8, false, true); }
    public static Object i16x8_extmul_high_i8x16_s(Object x, Object y) { return extmul(x, y, 8, true, true); }
    public static Object i16x8_extmul_low_i8x16_u(Object x, Object y) { return extmul(x, y, 8, false, false); }
    public static Object i16x8_extmul_high_i8x16_u(Object x, Object y) { return extmul(x, y, 8, true, false); }
    public static Object i32x4_extmul_low_i16x8_s(Object x, Object y) { return extmul(x, y, 16, false, true); }
    public static Object i32x4_extmul_high_i16x8_s(Object x, Object y) { return extmul(x, y, 16, true, true); }
    public static Object i32x4_extmul_low_i16x8_u(Object x, Object y) { return extmul(x, y, 16, false, false); }
    public static Object i32x4_extmul_high_i16x8_u(Object x, Object y) { return extmul(x, y, 16, true, false); }
    public static Object i64x2_extmul_low_i32x4_s(Object x, Object y) { return extmul(x, y, 32, false, true); }
    public static Object i64x2_extmul_high_i32x4_s(Object x, Object y) { return extmul(x, y, 32, true, true); }
    public static Object i64x2_extmul_low_i32x4_u(Object x, Object y) { return extmul(x, y, 32, false, false); }
    public static Object i64x2_extmul_high_i32x4_u(Object x, Object y) { return extmul(x, y, 32, true, false); }

    private static V128 extaddPairwise(Object x, int from, boolean signed) {
        V128 a = (V128) x;
        int n = 64 / from;
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = signed ? signedLane(a, from, 2 * i) + signedLane(a, from, 2 * i + 1)
                    : lane(a, from, 2 * i) + lane(a, from, 2 * i + 1);
        }
        return of(2 * from, r);
    }

    public static Object i16x8_extadd_pairwise_i8x16_s(Object x) { return extaddPairwise(x, 8, true); }
    public static Object i16x8_extadd_pairwise_i8x16_u(Object x) { return extaddPairwise(x, 8, false); }
    public static Object i32x4_extadd_pairwise_i16x8_s(Object x) { return extaddPairwise(x, 16, true); }
    public static Object i32x4_extadd_pairwise_i16x8_u(Object x) { return extaddPairwise(x, 16, false); }

    public static Object i32x4_dot_i16x8_s(Object x, Object y) {
        V128 a = (V128) x, b = (V128) y;
        long[] r = new long[4];
        for (int i = 0; i < 4; i++) {
            r[i] = signedLane(a, 16, 2 * i) * signedLane(b, 16, 2 * i)
                    + signedLane(a, 16, 2 * i + 1) * signedLane(b, 16, 2 * i + 1);
        }
        return of(32, r);
    }

    /**
     * Relaxed: the deterministic choice reads b's lanes as signed and wraps the pairwise sums to
     * 16 bits (what x86's {@code pmaddubsw} would not do; documented in docs/ENGINE.md).
     */
    public static Object i16x8_relaxed_dot_i8x16_i7x16_s(Object x, Object y) {
        V128 a = (V128) x, b = (V128) y;
        long[] r = new long[8];
        for (int i = 0; i < 8; i++) {
            r[i] = signedLane(a, 8, 2 * i) * signedLane(b, 8, 2 * i)
                    + signedLane(a, 8, 2 * i + 1) * signedLane(b, 8, 2 * i + 1);
        }
        return of(16, r);
    }

    /** Relaxed: as {@link #i16x8_relaxed_dot_i8x16_i7x16_s}, then pairs of those 16-bit sums plus c. */
    public static Object i32x4_relaxed_dot_i8x16_i7x16_add_s(Object x, Object y, Object z) {
        V128 d = (V128) i16x8_relaxed_dot_i8x16_i7x16_s(x, y);
        V128 c = (V128) z;
        long[] r = new long[4];
        for (int i = 0; i < 4; i++) {
            r[i] = signedLane(d, 16, 2 * i) + signedLane(d, 16, 2 * i + 1) + signedLane(c, 32, i);
        }
        return of(32, r);
    }

    /** Relaxed: the deterministic choice is {@code v128.bitselect} (every bit chosen by the mask). */
    public static Object i8x16_relaxed_laneselect(Object x, Object y, Object m) { return v128_bitselect(x, y, m); }
    public static Object i16x8_relaxed_laneselect(Object x, Object y, Object m) { return v128_bitselect(x, y, m); }
    public static Object i32x4_relaxed_laneselect(Object x, Object y, Object m) { return v128_bitselect(x, y, m); }
    public static Object i64x2_relaxed_laneselect(Object x, Object y, Object m) { return v128_bitselect(x, y, m); }

    // ---- conversions between shapes

    public static Object i32x4_trunc_sat_f32x4_s(Object x) {
        V128 a = (V128) x;
        long[] r = new long[4];
        for (int i = 0; i < 4; i++) {
            r[i] = (int) Float.intBitsToFloat((int) lane(a, 32, i)); // Java's cast saturates and maps NaN to 0
        }
        return of(32, r);
    }

    public static Object i32x4_trunc_sat_f32x4_u(Object x) {
        V128 a = (V128) x;
        long[] r = new long[4];
        for (int i = 0; i < 4; i++) {
            r[i] = Ops.i32TruncSatF32U(Float.intBitsToFloat((int) lane(a, 32, i)));
        }
        return of(32, r);
    }

    public static Object i32x4_trunc_sat_f64x2_s_zero(Object x) {
        V128 a = (V128) x;
        return of(32, new long[] {(int) Double.longBitsToDouble(a.lo()), (int) Double.longBitsToDouble(a.hi()), 0, 0});
    }

    public static Object i32x4_trunc_sat_f64x2_u_zero(Object x) {
        V128 a = (V128) x;
        return of(32, new long[] {Ops.i32TruncSatF64U(Double.longBitsToDouble(a.lo())),
            Ops.i32TruncSatF64U(Double.longBitsToDouble(a.hi())), 0, 0});
    }

    /** Relaxed truncations: the deterministic choice is the saturating instruction's result (NaN gives 0). */
    public static Object i32x4_relaxed_trunc_f32x4_s(Object x) { return i32x4_trunc_sat_f32x4_s(x); }
    public static Object i32x4_relaxed_trunc_f32x4_u(Object x) { return i32x4_trunc_sat_f32x4_u(x); }
    public static Object i32x4_relaxed_trunc_f64x2_s_zero(Object x) { return i32x4_trunc_sat_f64x2_s_zero(x); }
    public static Object i32x4_relaxed_trunc_f64x2_u_zero(Object x) { return i32x4_trunc_sat_f64x2_u_zero(x); }

    public static Object f64x2_convert_low_i32x4_s(Object x) {
        V128 a = (V128) x;
        return new V128(Double.doubleToRawLongBits((int) a.lo()), Double.doubleToRawLongBits((int) (a.lo() >>> 32)));
    }

    public static Object f64x2_convert_low_i32x4_u(Object x) {
        V128 a = (V128) x;
        return new V128(Double.doubleToRawLongBits(Ops.f64ConvertI32U((int) a.lo())),
                Double.doubleToRawLongBits(Ops.f64ConvertI32U((int) (a.lo() >>> 32))));
    }

    public static Object f32x4_demote_f64x2_zero(Object x) {
        V128 a = (V128) x;
        long lo = Float.floatToRawIntBits((float) Double.longBitsToDouble(a.lo())) & 0xFFFF_FFFFL;
        long hi = Float.floatToRawIntBits((float) Double.longBitsToDouble(a.hi())) & 0xFFFF_FFFFL;
        return new V128(lo | hi << 32, 0);
    }

    public static Object f64x2_promote_low_f32x4(Object x) {
        V128 a = (V128) x;
        return new V128(Double.doubleToRawLongBits(Float.intBitsToFloat((int) a.lo())),
                Double.doubleToRawLongBits(Float.intBitsToFloat((int) (a.lo() >>> 32))));
    }
}
