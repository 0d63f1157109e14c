package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Memory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Loads, stores and bulk operations of every memory but the fast one (memory 0 with i32
 * addresses, see {@link Mem}): memories past the first (multi-memory) and memories with i64
 * addresses (memory64), called from generated code with the {@link Memory} object itself. An
 * address arrives as an unsigned 64-bit value (the compiler zero-extends an i32 address); with the
 * static offset (also unsigned, below 2^32 for an i32 memory) it is checked exactly, without
 * wraparound, against the memory's size. A memory is one {@code byte[]}, so no size reaches
 * 2^31 and every in-bounds address fits an {@code int}. Argument order follows the Wasm operand
 * stack with the memory and offset last, as in {@link Mem}.
 */
public final class Memories {
    private Memories() {}

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The array index of a {@code width}-byte access at {@code a + o} (both unsigned 64-bit) in a
     * memory of {@code size} bytes; traps when any of its bytes is at or past the size. Either
     * term past the size (negative as a long: 2^63 or more) is out of bounds on its own, and
     * below that their sum cannot overflow.
     */
    static int at(long a, long o, int size, int width) {
        if (a < 0 || o < 0 || a > size || o > size || a + o > size - width) {
            throw Mem.oob();
        }
        return (int) (a + o);
    }

    public static int i32Load(long a, Memory m, long o) { return (int) INT.get(m.buffer(), at(a, o, m.byteSize(), 4)); }
    public static long i64Load(long a, Memory m, long o) { return (long) LONG.get(m.buffer(), at(a, o, m.byteSize(), 8)); }
    public static float f32Load(long a, Memory m, long o) { return Float.intBitsToFloat(i32Load(a, m, o)); }
    public static double f64Load(long a, Memory m, long o) { return Double.longBitsToDouble(i64Load(a, m, o)); }
    public static int i32Load8S(long a, Memory m, long o) { return m.buffer()[at(a, o, m.byteSize(), 1)]; }
    public static int i32Load8U(long a, Memory m, long o) { return i32Load8S(a, m, o) & 0xFF; }
    public static int i32Load16S(long a, Memory m, long o) { return (short) SHORT.get(m.buffer(), at(a, o, m.byteSize(), 2)); }
    public static int i32Load16U(long a, Memory m, long o) { return i32Load16S(a, m, o) & 0xFFFF; }
    public static long i64Load8S(long a, Memory m, long o) { return i32Load8S(a, m, o); }
    public static long i64Load8U(long a, Memory m, long o) { return i32Load8U(a, m, o); }
    public static long i64Load16S(long a, Memory m, long o) { return i32Load16S(a, m, o); }
    public static long i64Load16U(long a, Memory m, long o) { return i32Load16U(a, m, o); }
    public static long i64Load32S(long a, Memory m, long o) { return i32Load(a, m, o); }
    public static long i64Load32U(long a, Memory m, long o) { return i32Load(a, m, o) & 0xFFFF_FFFFL; }

    public static void i32Store(long a, int v, Memory m, long o) { INT.set(m.buffer(), at(a, o, m.byteSize(), 4), v); }
    public static void i64Store(long a, long v, Memory m, long o) { LONG.set(m.buffer(), at(a, o, m.byteSize(), 8), v); }
    public static void f32Store(long a, float v, Memory m, long o) { i32Store(a, Float.floatToRawIntBits(v), m, o); }
    public static void f64Store(long a, double v, Memory m, long o) { i64Store(a, Double.doubleToRawLongBits(v), m, o); }
    public static void i32Store8(long a, int v, Memory m, long o) { m.buffer()[at(a, o, m.byteSize(), 1)] = (byte) v; }
    public static void i32Store16(long a, int v, Memory m, long o) { SHORT.set(m.buffer(), at(a, o, m.byteSize(), 2), (short) v); }
    public static void i64Store8(long a, long v, Memory m, long o) { i32Store8(a, (int) v, m, o); }
    public static void i64Store16(long a, long v, Memory m, long o) { i32Store16(a, (int) v, m, o); }
    public static void i64Store32(long a, long v, Memory m, long o) { i32Store(a, (int) v, m, o); }

    /** Bounds check of {@code [addr, addr+len)} (both unsigned 64-bit) against {@code size}; returns {@code addr}. */
    private static int range(long addr, long len, long size) {
        if (addr < 0 || len < 0 || addr > size || len > size - addr) {
            throw Mem.oob();
        }
        return (int) addr;
    }

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }

    // memory.size and memory.grow of an i64 memory (an i32 one, whatever its index, uses Mem's)

    public static long size64(Memory m) {
        return m.pages();
    }

    public static long grow64(long delta, Memory m) {
        // a delta of 2^31 pages or more can never fit a byte[] memory (nor 2^48 pages)
        return delta < 0 || delta > Integer.MAX_VALUE ? -1 : m.grow((int) delta);
    }

    public static void fill(long d, int val, long n, Memory m) {
        int from = range(d, n, m.byteSize());
        Arrays.fill(m.buffer(), from, from + (int) n, (byte) val);
    }

    /** {@code memory.copy} between any two memories (or within one); the operands by address type. */
    public static void copy(long d, long s, long n, Memory dst, Memory src) {
        int to = range(d, n, dst.byteSize());
        int from = range(s, n, src.byteSize());
        System.arraycopy(src.buffer(), from, dst.buffer(), to, (int) n);
    }

    public static void copy(int d, int s, int n, Memory dst, Memory src) { copy(u(d), u(s), u(n), dst, src); }
    public static void copy(long d, int s, int n, Memory dst, Memory src) { copy(d, u(s), u(n), dst, src); }
    public static void copy(int d, long s, int n, Memory dst, Memory src) { copy(u(d), s, u(n), dst, src); }

    public static void init(long d, int s, int n, Memory m, byte[] data) {
        int to = range(d, u(n), m.byteSize());
        int from = range(u(s), u(n), data.length);
        System.arraycopy(data, from, m.buffer(), to, n);
    }
}
