package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.V128;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The vector loads and stores, called from compiled code by name with {@link Mem}'s argument
 * order: address, value (stores and lane accesses), the memory's array, its size in bytes and the
 * static offset, then the lane. Bounds are checked as {@link Mem#at} checks them, for the bytes the
 * access touches.
 */
public final class SimdMemory {
    private SimdMemory() {}

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private static final boolean RAW = Mem.raw();
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    // only called with indexes Mem.at checked for the whole access, as Mem's own accessors are
    // (Unsafe where Mem uses it: the view VarHandle would check each half against the length again)
    private static long get64(byte[] m, int i) {
        if (RAW) {
            long v = Mem.U.getLong(m, Mem.BASE + i);
            return BIG_ENDIAN ? Long.reverseBytes(v) : v;
        }
        return (long) LONG.get(m, i);
    }

    private static void put64(byte[] m, int i, long v) {
        if (RAW) {
            Mem.U.putLong(m, Mem.BASE + i, BIG_ENDIAN ? Long.reverseBytes(v) : v);
        } else {
            LONG.set(m, i, v);
        }
    }

    public static Object v128_load(int a, byte[] m, int n, int o) {
        int i = Mem.at(a, o, m, n, 16);
        return new V128(get64(m, i), get64(m, i + 8));
    }

    /**
     * {@code v128.load} of a vector that f32x4 arithmetic consumes (the compiler looks ahead, see
     * {@code compile.SimdFusion#loadFeedsF32}): the same value as {@link F32Lanes}, read as four
     * floats instead of two longs then split into lanes with shifts and moves.
     */
    public static Object v128_load_f32(int a, byte[] m, int n, int o) {
        return f32Lanes(m, Mem.at(a, o, m, n, 16));
    }

    private static F32Lanes f32Lanes(byte[] m, int i) {
        if (RAW && !BIG_ENDIAN) {
            return rawF32Lanes(m, Mem.BASE + i);
        }
        return viewF32Lanes(m, i);
    }

    // Two long reads, not four float reads: each view VarHandle access costs C2 far more nodes
    // while parsing than an Unsafe read, and C2 stops inlining once a compilation has made 18000
    // nodes (NodeCountInliningCutoff, fixed in product JVMs). With four float reads a vector,
    // clang's 4x-unrolled f32x4 dot product reached it in the second parse of its loop, the rest
    // of the loop's helpers stayed calls and every vector escaped (63 MB a call; issue 20, see
    // docs/ENGINE.md "SIMD"). A method of its own so that f32Lanes stays small for the Unsafe path.
    private static F32Lanes viewF32Lanes(byte[] m, int i) {
        return F32Lanes.ofWords(get64(m, i), get64(m, i + 8));
    }

    // the lanes' offsets added in long: C2 folds them into each load's displacement, where an int
    // i + 4 (which could wrap, as far as C2 knows) cost a move, an add and a sign extension per lane
    // (the f32x4 dot product kernel's loop: 24 of its ~150 instructions)
    private static F32Lanes rawF32Lanes(byte[] m, long p) {
        return new F32Lanes(Mem.U.getFloat(m, p), Mem.U.getFloat(m, p + 4), Mem.U.getFloat(m, p + 8), Mem.U.getFloat(m, p + 12));
    }

    public static void v128_store(int a, Object v, byte[] m, int n, int o) {
        int i = Mem.at(a, o, m, n, 16); // under 35 bytes of bytecode, so inlined at any call site (see Vec)
        put64(m, i, Vec.lo(v));
        put64(m, i + 8, Vec.hi(v));
    }

    /** The 8 bytes at the address, their lanes of width {@code s} widened to 2s bits. */
    private static V128 extending(int a, byte[] m, int n, int o, int s, boolean signed) {
        V128 raw = new V128(get64(m, Mem.at(a, o, m, n, 8)), 0);
        int count = 64 / s;
        long[] r = new long[count];
        for (int k = 0; k < count; k++) {
            r[k] = signed ? SimdLaneOps.signedLane(raw, s, k) : SimdLaneOps.lane(raw, s, k);
        }
        return SimdLaneOps.of(2 * s, r);
    }

    public static Object v128_load8x8_s(int a, byte[] m, int n, int o) { return extending(a, m, n, o, 8, true); }
    public static Object v128_load8x8_u(int a, byte[] m, int n, int o) { return extending(a, m, n, o, 8, false); }
    public static Object v128_load16x4_s(int a, byte[] m, int n, int o) { return extending(a, m, n, o, 16, true); }
    public static Object v128_load16x4_u(int a, byte[] m, int n, int o) { return extending(a, m, n, o, 16, false); }
    public static Object v128_load32x2_s(int a, byte[] m, int n, int o) { return extending(a, m, n, o, 32, true); }
    public static Object v128_load32x2_u(int a, byte[] m, int n, int o) { return extending(a, m, n, o, 32, false); }

    public static Object v128_load8_splat(int a, byte[] m, int n, int o) {
        return SimdLaneOps.i8x16_splat(m[Mem.at(a, o, m, n, 1)]);
    }

    public static Object v128_load16_splat(int a, byte[] m, int n, int o) {
        return SimdLaneOps.i16x8_splat((short) SHORT.get(m, Mem.at(a, o, m, n, 2)));
    }

    public static Object v128_load32_splat(int a, byte[] m, int n, int o) {
        return SimdLaneOps.i32x4_splat((int) INT.get(m, Mem.at(a, o, m, n, 4)));
    }

    public static Object v128_load64_splat(int a, byte[] m, int n, int o) {
        long v = get64(m, Mem.at(a, o, m, n, 8));
        return new V128(v, v);
    }

    public static Object v128_load32_zero(int a, byte[] m, int n, int o) {
        return new V128((int) INT.get(m, Mem.at(a, o, m, n, 4)) & 0xFFFF_FFFFL, 0);
    }

    public static Object v128_load64_zero(int a, byte[] m, int n, int o) {
        return new V128(get64(m, Mem.at(a, o, m, n, 8)), 0);
    }

    /** The {@code 2^w}-byte value at the address, zero-extended. */
    private static long read(byte[] m, int i, int bytes) {
        switch (bytes) {
            case 1: return m[i] & 0xFFL;
            case 2: return (short) SHORT.get(m, i) & 0xFFFFL;
            case 4: return (int) INT.get(m, i) & 0xFFFF_FFFFL;
            default: return get64(m, i);
        }
    }

    private static void write(byte[] m, int i, int bytes, long v) {
        switch (bytes) {
            case 1: m[i] = (byte) v; break;
            case 2: SHORT.set(m, i, (short) v); break;
            case 4: INT.set(m, i, (int) v); break;
            default: put64(m, i, v);
        }
    }

    private static Object loadLane(int a, Object v, byte[] m, int n, int o, int lane, int bytes) {
        long value = read(m, Mem.at(a, o, m, n, bytes), bytes);
        V128 x = (V128) v;
        int s = 8 * bytes;
        int per = 64 / s;
        long clear = ~SimdLaneOps.at(s, lane, -1L);
        return lane < per ? new V128(x.lo() & clear | SimdLaneOps.at(s, lane, value), x.hi())
                : new V128(x.lo(), x.hi() & clear | SimdLaneOps.at(s, lane, value));
    }

    public static Object v128_load8_lane(int a, Object v, byte[] m, int n, int o, int lane) { return loadLane(a, v, m, n, o, lane, 1); }
    public static Object v128_load16_lane(int a, Object v, byte[] m, int n, int o, int lane) { return loadLane(a, v, m, n, o, lane, 2); }
    public static Object v128_load32_lane(int a, Object v, byte[] m, int n, int o, int lane) { return loadLane(a, v, m, n, o, lane, 4); }
    public static Object v128_load64_lane(int a, Object v, byte[] m, int n, int o, int lane) { return loadLane(a, v, m, n, o, lane, 8); }

    private static void storeLane(int a, Object v, byte[] m, int n, int o, int lane, int bytes) {
        int i = Mem.at(a, o, m, n, bytes);
        write(m, i, bytes, SimdLaneOps.lane((V128) v, 8 * bytes, lane));
    }

    public static void v128_store8_lane(int a, Object v, byte[] m, int n, int o, int lane) { storeLane(a, v, m, n, o, lane, 1); }
    public static void v128_store16_lane(int a, Object v, byte[] m, int n, int o, int lane) { storeLane(a, v, m, n, o, lane, 2); }
    public static void v128_store32_lane(int a, Object v, byte[] m, int n, int o, int lane) { storeLane(a, v, m, n, o, lane, 4); }
    public static void v128_store64_lane(int a, Object v, byte[] m, int n, int o, int lane) { storeLane(a, v, m, n, o, lane, 8); }

    /** Bootstrap of the constant-dynamic entries that compiled code loads for {@code v128.const}. */
    public static V128 constant(MethodHandles.Lookup lookup, String name, Class<?> type, long lo, long hi) {
        return new V128(lo, hi);
    }
}
