package io.wasmudf.engine.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Runs the leading iterations of a recognised byte-scan loop (see {@code compile.ScanLoops}) as a
 * plain counted Java loop: C2 hoists its bounds, drops its safepoint poll (strip-mined) and can
 * unroll it, which it does for none of this as the Wasm loop is compiled, since a scan that stops
 * at a hit is not a counted loop there. The compiled loop body then runs the iteration this stopped
 * at (the hit, the bound, the trap) as before, so every Wasm effect stays where it was.
 */
public final class SimdScanLoop {
    private SimdScanLoop() {}

    private static final long U32 = 0xFFFF_FFFFL;
    private static final boolean RAW = Mem.raw() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /**
     * How many of at most {@code max} iterations j = 0, 1, ... load 16 in-bounds bytes at address
     * {@code address + 16 j} (offset {@code offset}, bounded as {@link Mem#at} bounds an access) none
     * of which equals the same byte of the needle {@code lo:hi}: the iterations a scan loop can skip.
     */
    public static int scan(int address, byte[] m, int bound, int offset, long lo, long hi, int max) {
        long start = (address & U32) + offset;
        long last = (long) Math.min(bound, m.length) - 16; // where the last in-bounds vector starts
        if (start > last || max <= 0) {
            return 0;
        }
        int n = (int) Math.min(max, (last - start) / 16 + 1);
        int s = (int) start;
        int e = s + 16 * n; // at most the memory's size: no overflow
        if (RAW) {
            for (int i = s; i < e; i += 16) {
                long p = Mem.BASE + i;
                if (SimdScan.anyZeroByte(Mem.U.getLong(m, p) ^ lo, Mem.U.getLong(m, p + 8) ^ hi)) {
                    return (i - s) >>> 4;
                }
            }
            return n;
        }
        for (int i = s; i < e; i += 16) {
            if (SimdScan.anyZeroByte((long) View.LONG.get(m, i) ^ lo, (long) View.LONG.get(m, i + 8) ^ hi)) {
                return (i - s) >>> 4;
            }
        }
        return n;
    }

    /** The array view where Unsafe is not used, made only when first needed. */
    private static final class View {
        static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * How many consecutive iterations j = 0, 1, ... certainly satisfy {@code x + j dx <= y} as
     * unsigned 32-bit values ({@code < y} when {@code strict}), {@code dx >= 0}: those before the
     * sum passes y, counted without wrapping (an answer too small only leaves iterations to the
     * compiled body, which tests them itself).
     */
    public static int below(int x, int dx, int y, boolean strict) {
        long limit = (y & U32) - (strict ? 1 : 0);
        long from = x & U32;
        if (from > limit) {
            return 0;
        }
        if (dx == 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.min((limit - from) / dx + 1, Integer.MAX_VALUE);
    }

    /**
     * How many more iterations of a loop costing {@code cost} per iteration the fuel left covers
     * (the loop header charged the current one already, so the fuel is not negative).
     */
    public static int fuelIterations(ModuleInstance self, int cost) {
        return (int) Math.min(self.fuel / cost, Integer.MAX_VALUE);
    }

    /** Charges {@code iterations} skipped loop iterations of {@code cost} each (covered: see {@link #fuelIterations}). */
    public static void spend(ModuleInstance self, int iterations, int cost) {
        self.fuel -= (long) iterations * cost;
    }
}
