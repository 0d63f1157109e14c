package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.V128;
import java.nio.ByteOrder;

/**
 * A declared v128 local held in a 16-byte array of its activation, in memory order (see {@code
 * compile.SimdLaneSpill}): for a vector whose lanes are read one by one, each lane read is one
 * load instead of a shift and a mask of a long (the byte histogram: 16 {@code
 * i8x16.extract_lane_u} per vector, about 4 instructions each as shifts of two long slots, 1 as a
 * load). Used only where {@link #USABLE}: the array is read and written through {@link Mem#U} in
 * the machine's byte order, which must be memory's (little-endian). Off unless {@code
 * -Dwasmudf.simd.laneArrays=true}: since exact memories made the scalar build's byte loads plain
 * array loads, each lane read here (a byte load from the bytes two 8-byte stores just wrote, which
 * the store buffer forwards slowly) costs more than the long form's shifts (docs/ENGINE.md "SIMD").
 */
public final class SimdLaneArray {
    private SimdLaneArray() {}

    /** Whether compiled code holds v128 locals in lane arrays in this JVM (compiled code depends on it, as on Mem.raw()). */
    public static final boolean USABLE = Mem.raw() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            && Boolean.getBoolean("wasmudf.simd.laneArrays");

    /** A new local's array: the vector of all zero bits. */
    public static byte[] create() {
        return new byte[16];
    }

    /** The vector the array holds ({@code local.get}). */
    public static Object get(byte[] a) {
        return new V128(Mem.U.getLong(a, Mem.BASE), Mem.U.getLong(a, Mem.BASE + 8));
    }

    /** Stores vector {@code v} in the array ({@code local.set}). */
    public static void set(Object v, byte[] a) {
        Mem.U.putLong(a, Mem.BASE, Vec.lo(v));
        Mem.U.putLong(a, Mem.BASE + 8, Vec.hi(v));
    }

    // local.get; <shape>.extract_lane i: the lane read where it lies (i is a constant of the call site)

    public static int i8x16_extract_lane_s(byte[] a, int i) {
        return Mem.U.getByte(a, Mem.BASE + i);
    }

    public static int i8x16_extract_lane_u(byte[] a, int i) {
        return Mem.U.getByte(a, Mem.BASE + i) & 0xFF;
    }

    public static int i16x8_extract_lane_s(byte[] a, int i) {
        return Mem.U.getShort(a, Mem.BASE + 2L * i);
    }

    public static int i16x8_extract_lane_u(byte[] a, int i) {
        return Mem.U.getShort(a, Mem.BASE + 2L * i) & 0xFFFF;
    }

    public static int i32x4_extract_lane(byte[] a, int i) {
        return Mem.U.getInt(a, Mem.BASE + 4L * i);
    }

    public static long i64x2_extract_lane(byte[] a, int i) {
        return Mem.U.getLong(a, Mem.BASE + 8L * i);
    }
}
