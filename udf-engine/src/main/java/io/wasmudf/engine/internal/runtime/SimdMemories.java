package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Memory;

/**
 * The vector loads and stores of every memory but the fast one (memory 0 with i32 addresses, see
 * {@link SimdMemory}): memories past the first (multi-memory) and memories with i64 addresses
 * (memory64), called from generated code with the {@link Memory} object itself, in the argument
 * order of {@link Memories}: the address as an unsigned 64-bit value (the compiler zero-extends an
 * i32 one), the vector (stores and lane accesses), the memory, the static offset, then the lane.
 * The access is checked exactly, without wraparound, by {@link Memories#at} for the bytes it
 * touches, and then performed by {@link SimdMemory}'s helper at that index, whose own check can
 * no longer fail.
 */
public final class SimdMemories {
    private SimdMemories() {}

    /** The array index of a {@code width}-byte vector access; traps when any byte is out of bounds. */
    private static int at(long a, Memory m, long o, int width) {
        return Memories.at(a, o, m.byteSize(), width);
    }

    public static Object v128_load(long a, Memory m, long o) {
        return SimdMemory.v128_load(at(a, m, o, 16), m.buffer(), m.byteSize(), 0);
    }

    public static void v128_store(long a, Object v, Memory m, long o) {
        SimdMemory.v128_store(at(a, m, o, 16), v, m.buffer(), m.byteSize(), 0);
    }

    public static Object v128_load8x8_s(long a, Memory m, long o) { return SimdMemory.v128_load8x8_s(at(a, m, o, 8), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load8x8_u(long a, Memory m, long o) { return SimdMemory.v128_load8x8_u(at(a, m, o, 8), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load16x4_s(long a, Memory m, long o) { return SimdMemory.v128_load16x4_s(at(a, m, o, 8), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load16x4_u(long a, Memory m, long o) { return SimdMemory.v128_load16x4_u(at(a, m, o, 8), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load32x2_s(long a, Memory m, long o) { return SimdMemory.v128_load32x2_s(at(a, m, o, 8), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load32x2_u(long a, Memory m, long o) { return SimdMemory.v128_load32x2_u(at(a, m, o, 8), m.buffer(), m.byteSize(), 0); }

    public static Object v128_load8_splat(long a, Memory m, long o) { return SimdMemory.v128_load8_splat(at(a, m, o, 1), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load16_splat(long a, Memory m, long o) { return SimdMemory.v128_load16_splat(at(a, m, o, 2), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load32_splat(long a, Memory m, long o) { return SimdMemory.v128_load32_splat(at(a, m, o, 4), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load64_splat(long a, Memory m, long o) { return SimdMemory.v128_load64_splat(at(a, m, o, 8), m.buffer(), m.byteSize(), 0); }

    public static Object v128_load32_zero(long a, Memory m, long o) { return SimdMemory.v128_load32_zero(at(a, m, o, 4), m.buffer(), m.byteSize(), 0); }
    public static Object v128_load64_zero(long a, Memory m, long o) { return SimdMemory.v128_load64_zero(at(a, m, o, 8), m.buffer(), m.byteSize(), 0); }

    public static Object v128_load8_lane(long a, Object v, Memory m, long o, int lane) {
        return SimdMemory.v128_load8_lane(at(a, m, o, 1), v, m.buffer(), m.byteSize(), 0, lane);
    }

    public static Object v128_load16_lane(long a, Object v, Memory m, long o, int lane) {
        return SimdMemory.v128_load16_lane(at(a, m, o, 2), v, m.buffer(), m.byteSize(), 0, lane);
    }

    public static Object v128_load32_lane(long a, Object v, Memory m, long o, int lane) {
        return SimdMemory.v128_load32_lane(at(a, m, o, 4), v, m.buffer(), m.byteSize(), 0, lane);
    }

    public static Object v128_load64_lane(long a, Object v, Memory m, long o, int lane) {
        return SimdMemory.v128_load64_lane(at(a, m, o, 8), v, m.buffer(), m.byteSize(), 0, lane);
    }

    public static void v128_store8_lane(long a, Object v, Memory m, long o, int lane) {
        SimdMemory.v128_store8_lane(at(a, m, o, 1), v, m.buffer(), m.byteSize(), 0, lane);
    }

    public static void v128_store16_lane(long a, Object v, Memory m, long o, int lane) {
        SimdMemory.v128_store16_lane(at(a, m, o, 2), v, m.buffer(), m.byteSize(), 0, lane);
    }

    public static void v128_store32_lane(long a, Object v, Memory m, long o, int lane) {
        SimdMemory.v128_store32_lane(at(a, m, o, 4), v, m.buffer(), m.byteSize(), 0, lane);
    }

    public static void v128_store64_lane(long a, Object v, Memory m, long o, int lane) {
        SimdMemory.v128_store64_lane(at(a, m, o, 8), v, m.buffer(), m.byteSize(), 0, lane);
    }
}
