package io.wasmudf.engine.internal.runtime;

import java.nio.ByteOrder;

/**
 * Lane reads of a loaded vector straight from where it was loaded (see {@code
 * compile.SimdLaneWindows}): after {@code v128.load; local.set L}, when no store before the lane
 * reads can touch the 16 loaded bytes (one test per vector, {@link #disjoint}), each {@code
 * local.get L; <shape>.extract_lane k} is one load from the memory array at the vector's address
 * plus the lane's offset; otherwise from a 16-byte copy of the vector made there ({@link #copy}).
 * Compiled code holds the source as an array and an {@code Unsafe} offset ({@code src}, {@code
 * off}). Why: from the local's two long slots each lane cost a copy, a shift and a mask, and the
 * byte histogram's SIMD build (16 extracts per vector) stayed slower than its scalar build, whose
 * byte is one load; a lane array written just before its reads waits on store forwarding.
 */
public final class SimdLaneWindow {
    private SimdLaneWindow() {}

    /**
     * Whether compiled code reads lanes this way in this JVM (compiled code depends on it: it is in
     * the code-cache key): {@link Mem#U} in little-endian order (memory's), and not turned off
     * with {@code -Dwasmudf.simd.laneWindows=false}.
     */
    public static final boolean USABLE = Mem.raw() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            && !"false".equalsIgnoreCase(System.getProperty("wasmudf.simd.laneWindows"));

    /**
     * Whether the 16 bytes at effective address {@code a + o} (unsigned, as the load that just
     * read them computed it) lie outside {@code [lo, hi)}, the bytes the window's stores may write.
     */
    public static boolean disjoint(int a, int o, long lo, long hi) {
        long ea = Integer.toUnsignedLong(a) + o;
        return ea + 16 <= lo || ea >= hi;
    }

    /** The {@code Unsafe} offset of the vector loaded from {@code a + o} in the memory's array. */
    public static long at(int a, int o) {
        return Mem.BASE + Integer.toUnsignedLong(a) + o;
    }

    /** A copy of the vector with halves {@code lo}, {@code hi}: the source where a store may hit the loaded bytes. */
    public static byte[] copy(long lo, long hi) {
        byte[] b = new byte[16];
        Mem.U.putLong(b, Mem.BASE, lo);
        Mem.U.putLong(b, Mem.BASE + 8, hi);
        return b;
    }

    // local.get; <shape>.extract_lane i: the lane read from the source (i is a constant of the call site)

    public static int i8x16_extract_lane_s(byte[] s, long p, int i) {
        return Mem.U.getByte(s, p + i);
    }

    public static int i8x16_extract_lane_u(byte[] s, long p, int i) {
        return Mem.U.getByte(s, p + i) & 0xFF;
    }

    public static int i16x8_extract_lane_s(byte[] s, long p, int i) {
        return Mem.U.getShort(s, p + 2L * i);
    }

    public static int i16x8_extract_lane_u(byte[] s, long p, int i) {
        return Mem.U.getShort(s, p + 2L * i) & 0xFFFF;
    }

    public static int i32x4_extract_lane(byte[] s, long p, int i) {
        return Mem.U.getInt(s, p + 4L * i);
    }

    public static long i64x2_extract_lane(byte[] s, long p, int i) {
        return Mem.U.getLong(s, p + 8L * i);
    }
}
