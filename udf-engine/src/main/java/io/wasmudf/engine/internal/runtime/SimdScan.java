package io.wasmudf.engine.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Helpers for the byte-scanning instruction sequences that the compiler emits as one call (see
 * {@code compile.SimdScans}): memchr/strlen's {@code v128.load; <needle>; i8x16.eq; i8x16.bitmask}
 * and UTF-8 validation's {@code i8x16.bitmask; i32.eqz}. Each computes exactly what its sequence
 * computes, with no {@code V128} in between: the loaded halves stay in registers and a needle
 * held in two long slots or a constant is passed as two longs (a constant's then fold into the
 * test). Memory arguments follow {@link Mem}'s order; bounds are checked as {@link Mem#at} checks
 * a 16-byte access.
 */
public final class SimdScan {
    private SimdScan() {}

    private static final long HIGH = 0x8080_8080_8080_8080L;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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
            return SimdFused.zeroBytes(Mem.U.getLong(m, p) ^ lo, Mem.U.getLong(m, p + 8) ^ hi);
        }
        return SimdFused.zeroBytes((long) LONG.get(m, i) ^ lo, (long) LONG.get(m, i + 8) ^ hi);
    }

    /** {@code i8x16.bitmask; i32.eqz}: 1 when no byte has its top bit set (an ASCII block), else 0; no mask built. */
    public static int i8x16_bitmask_eqz(Object x) {
        return ((Vec.lo(x) | Vec.hi(x)) & HIGH) == 0 ? 1 : 0;
    }
}
