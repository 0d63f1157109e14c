package io.wasmudf.engine.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Helpers for the byte-scanning instruction sequences that the compiler emits as one call (see
 * {@code compile.SimdScans}): memchr/strlen's {@code v128.load; <needle>; i8x16.eq; i8x16.bitmask},
 * UTF-8 validation's {@code i8x16.bitmask; i32.eqz} and {@code i8x16.eq; v128.any_true}. Each
 * computes exactly what its sequence computes, with no {@code V128} in between: the loaded halves
 * stay in registers and a needle held in two long slots or a constant is passed as two longs (a
 * constant's then fold into the test). Memory arguments follow {@link Mem}'s order; bounds are
 * checked as {@link Mem#at} checks a 16-byte access.
 */
public final class SimdScan {
    private SimdScan() {}

    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH = 0x8080_8080_8080_8080L;
    private static final long LOW7 = 0x7F7F_7F7F_7F7F_7F7FL;
    /** Moves bit 8k (k = 0..7) to bit 56 + k with no carries (as i8x16.bitmask gathers). */
    private static final long GATHER = 0x0102_0408_1020_4080L;
    /** Unsafe reads at the index Mem.at checked (as Mem's own accessors), where they give little-endian longs. */
    private static final boolean RAW = Mem.raw() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /**
     * {@code v128.load offset=o} of address {@code a}, {@code i8x16.eq} with the vector {@code lo:hi},
     * {@code i8x16.bitmask}: bit k set when byte k of memory equals byte k of the needle.
     */
    public static int v128_load_eq_bitmask(int a, byte[] m, int n, int o, long lo, long hi) {
        int i = Mem.at(a, o, m, n, 16);
        if (RAW) {
            // the high half's offset added in long: C2 folds it into the load's displacement, where
            // an int i + 8 costs an add and a sign extension
            long p = Mem.BASE + i;
            return zeroMask(Mem.U.getLong(m, p) ^ lo, Mem.U.getLong(m, p + 8) ^ hi);
        }
        return zeroMask((long) View.LONG.get(m, i) ^ lo, (long) View.LONG.get(m, i + 8) ^ hi);
    }

    /** The array view where Unsafe is not used, made only when first needed (as Mem's views). */
    private static final class View {
        static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The zero bytes of {@code lo:hi} as a 16-bit mask (what {@code i8x16.eq; i8x16.bitmask} of the
     * xor gives): 0 after one test of both halves in the usual case, the exact mask otherwise. The
     * exact part is written out here rather than called: a scan loop reaches it once, so C2 would
     * not inline a call (executed too rarely), and the call's clobbered registers made it spill
     * the loop's values to the stack on every iteration (read from the memchr kernel's code).
     */
    private static int zeroMask(long lo, long hi) {
        if (!anyZeroByte(lo, hi)) {
            return 0;
        }
        long tl = ~((lo & LOW7) + LOW7 | lo) & HIGH; // exact: top bit of byte k set when byte k is zero
        long th = ~((hi & LOW7) + LOW7 | hi) & HIGH;
        return (int) ((tl >>> 7) * GATHER >>> 56) | (int) ((th >>> 7) * GATHER >>> 56) << 8;
    }

    /** {@code i8x16.eq; v128.any_true}: 1 when some byte of x equals the same byte of y (a match in a scan), else 0. */
    public static int i8x16_eq_any_true(Object x, Object y) {
        return anyZeroByte(Vec.lo(x) ^ Vec.lo(y), Vec.hi(x) ^ Vec.hi(y)) ? 1 : 0;
    }

    /**
     * Whether some byte of the 16 bytes {@code lo:hi} is zero: {@code (z - 0x01..) & ~z & 0x80..} is
     * non-zero exactly when z has a zero byte (its false positives sit above a true zero byte only).
     */
    static boolean anyZeroByte(long lo, long hi) {
        return (((lo - ONES) & ~lo | (hi - ONES) & ~hi) & HIGH) != 0;
    }

    /** {@code i8x16.bitmask; i32.eqz}: 1 when no byte has its top bit set (an ASCII block), else 0; no mask built. */
    public static int i8x16_bitmask_eqz(Object x) {
        return ((Vec.lo(x) | Vec.hi(x)) & HIGH) == 0 ? 1 : 0;
    }
}
