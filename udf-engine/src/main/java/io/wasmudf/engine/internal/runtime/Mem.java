package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Memory;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Loads, stores and bulk operations on a memory's {@code byte[]}, called from generated code.
 * Argument order follows the Wasm operand stack (address, value) with the array, the memory's size
 * in bytes and the static offset last, so call sites need no stack shuffling. The effective address
 * is computed without 32-bit wraparound: a negative base (>= 2^31 unsigned) or a sum past 2^31
 * becomes a negative index. The array may be longer than the memory (see {@link Memory#grow}), so
 * each access checks the index against the size with {@link Objects#checkIndex}, which C2 treats as
 * it treats an array bounds check (hoisted out of loops, combined with the array's own check); its
 * exception, like the array's, becomes a trap at the entry point.
 */
public final class Mem {
    private Mem() {}

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Effective address for a static offset in [0, 2^31) (the compiler clamps larger ones, which
     * can never be in bounds). The offset is a constant at every call site, so C2 keeps one branch.
     */
    static int ea(int base, int offset) {
        if (offset == 0) {
            // the base itself is the right index (negative exactly when it is 2^31 or more
            // unsigned); as a plain function of a loop variable it lets C2 drop the range check of
            // byte scans such as UTF-8 decoding (~10 % faster) and saves the shift and OR below in
            // loops it cannot range-check (sieve kernel: ~15 % with its stores and memset loop).
            // An earlier measurement found wider stores erratic in this form (45-80 ms); that was
            // while a br_if back to a loop still ended the loop (see FunctionCompiler#isLoop)
            return base;
        }
        // a negative base (>= 2^31 unsigned) or a sum past 2^31 gives a negative index, which the
        // array access rejects: no branch of our own on the hot path
        return (base + offset) | (base >> 31);
    }

    /**
     * The index of a {@code width}-byte access at {@code base + offset} in a memory of {@code size}
     * bytes. {@code size - (width - 1)} is negative for a memory smaller than the access, which
     * {@link Objects#checkIndex} rejects whatever the index.
     */
    static int at(int base, int offset, int size, int width) {
        return Objects.checkIndex(ea(base, offset), size - (width - 1));
    }

    public static Trap oob() {
        return new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS);
    }

    public static int i32Load(int a, byte[] m, int n, int o) { return (int) INT.get(m, at(a, o, n, 4)); }
    public static long i64Load(int a, byte[] m, int n, int o) { return (long) LONG.get(m, at(a, o, n, 8)); }
    public static float f32Load(int a, byte[] m, int n, int o) { return Float.intBitsToFloat((int) INT.get(m, at(a, o, n, 4))); }
    public static double f64Load(int a, byte[] m, int n, int o) { return Double.longBitsToDouble((long) LONG.get(m, at(a, o, n, 8))); }
    public static int i32Load8S(int a, byte[] m, int n, int o) { return m[at(a, o, n, 1)]; }
    public static int i32Load8U(int a, byte[] m, int n, int o) { return m[at(a, o, n, 1)] & 0xFF; }
    public static int i32Load16S(int a, byte[] m, int n, int o) { return (short) SHORT.get(m, at(a, o, n, 2)); }
    public static int i32Load16U(int a, byte[] m, int n, int o) { return ((short) SHORT.get(m, at(a, o, n, 2))) & 0xFFFF; }
    public static long i64Load8S(int a, byte[] m, int n, int o) { return m[at(a, o, n, 1)]; }
    public static long i64Load8U(int a, byte[] m, int n, int o) { return m[at(a, o, n, 1)] & 0xFFL; }
    public static long i64Load16S(int a, byte[] m, int n, int o) { return (short) SHORT.get(m, at(a, o, n, 2)); }
    public static long i64Load16U(int a, byte[] m, int n, int o) { return ((short) SHORT.get(m, at(a, o, n, 2))) & 0xFFFFL; }
    public static long i64Load32S(int a, byte[] m, int n, int o) { return (int) INT.get(m, at(a, o, n, 4)); }
    public static long i64Load32U(int a, byte[] m, int n, int o) { return ((int) INT.get(m, at(a, o, n, 4))) & 0xFFFFFFFFL; }

    public static void i32Store(int a, int v, byte[] m, int n, int o) { INT.set(m, at(a, o, n, 4), v); }
    public static void i64Store(int a, long v, byte[] m, int n, int o) { LONG.set(m, at(a, o, n, 8), v); }
    public static void f32Store(int a, float v, byte[] m, int n, int o) { INT.set(m, at(a, o, n, 4), Float.floatToRawIntBits(v)); }
    public static void f64Store(int a, double v, byte[] m, int n, int o) { LONG.set(m, at(a, o, n, 8), Double.doubleToRawLongBits(v)); }
    public static void i32Store8(int a, int v, byte[] m, int n, int o) { m[at(a, o, n, 1)] = (byte) v; }
    public static void i32Store16(int a, int v, byte[] m, int n, int o) { SHORT.set(m, at(a, o, n, 2), (short) v); }
    public static void i64Store8(int a, long v, byte[] m, int n, int o) { m[at(a, o, n, 1)] = (byte) v; }
    public static void i64Store16(int a, long v, byte[] m, int n, int o) { SHORT.set(m, at(a, o, n, 2), (short) v); }
    public static void i64Store32(int a, long v, byte[] m, int n, int o) { INT.set(m, at(a, o, n, 4), (int) v); }

    /** Bounds check of {@code [addr, addr+len)} (both unsigned) against {@code size}. */
    private static void check(int addr, int len, long size) {
        if (Integer.toUnsignedLong(addr) + Integer.toUnsignedLong(len) > size) {
            throw oob();
        }
    }

    public static void fill(int d, int val, int n, Memory mem) {
        byte[] m = mem.buffer();
        check(d, n, mem.byteSize());
        Arrays.fill(m, d, d + n, (byte) val);
    }

    public static void copy(int d, int s, int n, Memory mem) {
        byte[] m = mem.buffer();
        check(d, n, mem.byteSize());
        check(s, n, mem.byteSize());
        System.arraycopy(m, s, m, d, n);
    }

    public static void init(int d, int s, int n, Memory mem, byte[] data) {
        byte[] m = mem.buffer();
        check(d, n, mem.byteSize());
        check(s, n, data.length);
        System.arraycopy(data, s, m, d, n);
    }

    public static int grow(int delta, Memory mem) {
        return mem.grow(delta);
    }

    public static int size(Memory mem) {
        return mem.pages();
    }
}
