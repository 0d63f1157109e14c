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
 * becomes a negative index.
 *
 * <p>The array may be longer than the memory (see {@link Memory#grow}), so the bound of an access
 * is the size, not the array's length: one {@link Objects#checkIndex} against {@code min(size,
 * array length)}, which C2 compiles as it compiles an array bounds check (a range check it hoists
 * out of counted loops; the {@code min} of two loop invariants is hoisted too). The access itself
 * then goes through {@code Unsafe} at the checked index: an array access would add a second check
 * against the length on every access that C2 cannot remove from loops it does not count (measured
 * +35 % on the sieve kernel, +22 % on UTF-8 scanning). Taking the minimum here, in the same helper
 * as the access, keeps every access inside the array whatever size a caller passes. On platforms
 * where unaligned {@code Unsafe} access is not known to work, the array view {@code VarHandle}s are
 * used instead (with their own second check). Either check's {@link IndexOutOfBoundsException}
 * becomes the "out of bounds memory access" trap at the entry point.
 */
public final class Mem {
    private Mem() {}

    /**
     * The array views for where {@link #U} is not used, in a class of their own: made only when
     * first needed, since each costs a young JVM generated classes (a code-cache hit reads
     * {@link #raw()} on its way and should not pay for them).
     */
    private static final class Views {
        static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
        static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Null where unavailable or not known to be safe (see RawAccess). Public for generated code,
     * which makes its loads and stores through it inline (see the compiler's MemoryTableEmitter):
     * the generated class can already read and write its memory array, and Unsafe is reachable by
     * reflection to any class on the class path anyway.
     */
    public static final sun.misc.Unsafe U = RawAccess.unsafe();
    /** Whether loads and stores use {@link #U}: false where it is unavailable or not known to be safe (see RawAccess). */
    private static final boolean RAW = U != null;
    /** The offset of a {@code byte[]}'s first element, for {@link #U}; a constant to C2 (static final). */
    public static final long BASE = RAW ? U.arrayBaseOffset(byte[].class) : 0;

    /** Whether loads and stores go through {@link #U} in this JVM (compiled code depends on it: see CodeCache). */
    public static boolean raw() {
        return RAW;
    }
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

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
            // while a br_if back to a loop still ended the loop (see BranchEmitter#isLoop)
            return base;
        }
        // a negative base (>= 2^31 unsigned) or a sum past 2^31 gives a negative index, which the
        // bounds check rejects: no branch of our own for the wraparound
        return (base + offset) | (base >> 31);
    }

    public static Trap oob() {
        return new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS);
    }

    /**
     * The index of a {@code width}-byte access at {@code base + offset} in a memory of {@code size}
     * bytes held in {@code m}. A memory smaller than the access has bound 0, which rejects every
     * index.
     *
     * <p>The bound is {@code max(min(size, length), width - 1) - (width - 1)}: never negative, and
     * C2 can tell (it also cannot overflow: {@code min(size, length) - (width - 1)} did, to a huge
     * bound, for a size near {@code Integer.MIN_VALUE}; compiled code never passes a negative
     * size, but this class is public and the access goes through {@code Unsafe}). For a
     * length it cannot prove non-negative, C2's {@code checkIndex} intrinsic adds a test of the
     * length and a cast of it pinned to that test, one per access, and range checks against
     * different casts are not merged. With the plain {@code min}, the UTF-8 kernel's four byte
     * loads at {@code p+0..p+3} per iteration kept three range checks instead of two and spilled
     * registers in the loop; utf8_len (handle in a field) was 9-18 % slower than the array-access
     * form of 309ac15. See docs/ENGINE.md "Memory access form and range-check merging".
     */
    static int at(int base, int offset, byte[] m, int size, int width) {
        return Objects.checkIndex(ea(base, offset), Math.max(Math.min(size, m.length), width - 1) - (width - 1));
    }

    // only ever called with an index at() returned for the access's width
    private static byte get8(byte[] m, int i) { return RAW ? U.getByte(m, BASE + i) : m[i]; }
    private static short get16(byte[] m, int i) {
        if (RAW) {
            short v = U.getShort(m, BASE + i);
            return BIG_ENDIAN ? Short.reverseBytes(v) : v;
        }
        return (short) Views.SHORT.get(m, i);
    }
    private static int get32(byte[] m, int i) {
        if (RAW) {
            int v = U.getInt(m, BASE + i);
            return BIG_ENDIAN ? Integer.reverseBytes(v) : v;
        }
        return (int) Views.INT.get(m, i);
    }
    private static long get64(byte[] m, int i) {
        if (RAW) {
            long v = U.getLong(m, BASE + i);
            return BIG_ENDIAN ? Long.reverseBytes(v) : v;
        }
        return (long) Views.LONG.get(m, i);
    }
    private static void put8(byte[] m, int i, byte v) {
        if (RAW) {
            U.putByte(m, BASE + i, v);
        } else {
            m[i] = v;
        }
    }
    private static void put16(byte[] m, int i, short v) {
        if (RAW) {
            U.putShort(m, BASE + i, BIG_ENDIAN ? Short.reverseBytes(v) : v);
        } else {
            Views.SHORT.set(m, i, v);
        }
    }
    private static void put32(byte[] m, int i, int v) {
        if (RAW) {
            U.putInt(m, BASE + i, BIG_ENDIAN ? Integer.reverseBytes(v) : v);
        } else {
            Views.INT.set(m, i, v);
        }
    }
    private static void put64(byte[] m, int i, long v) {
        if (RAW) {
            U.putLong(m, BASE + i, BIG_ENDIAN ? Long.reverseBytes(v) : v);
        } else {
            Views.LONG.set(m, i, v);
        }
    }

    public static int i32Load(int a, byte[] m, int n, int o) { return get32(m, at(a, o, m, n, 4)); }
    public static long i64Load(int a, byte[] m, int n, int o) { return get64(m, at(a, o, m, n, 8)); }
    public static float f32Load(int a, byte[] m, int n, int o) { return Float.intBitsToFloat(get32(m, at(a, o, m, n, 4))); }
    public static double f64Load(int a, byte[] m, int n, int o) { return Double.longBitsToDouble(get64(m, at(a, o, m, n, 8))); }
    public static int i32Load8S(int a, byte[] m, int n, int o) { return get8(m, at(a, o, m, n, 1)); }
    public static int i32Load8U(int a, byte[] m, int n, int o) { return get8(m, at(a, o, m, n, 1)) & 0xFF; }
    public static int i32Load16S(int a, byte[] m, int n, int o) { return get16(m, at(a, o, m, n, 2)); }
    public static int i32Load16U(int a, byte[] m, int n, int o) { return get16(m, at(a, o, m, n, 2)) & 0xFFFF; }
    public static long i64Load8S(int a, byte[] m, int n, int o) { return get8(m, at(a, o, m, n, 1)); }
    public static long i64Load8U(int a, byte[] m, int n, int o) { return get8(m, at(a, o, m, n, 1)) & 0xFFL; }
    public static long i64Load16S(int a, byte[] m, int n, int o) { return get16(m, at(a, o, m, n, 2)); }
    public static long i64Load16U(int a, byte[] m, int n, int o) { return get16(m, at(a, o, m, n, 2)) & 0xFFFFL; }
    public static long i64Load32S(int a, byte[] m, int n, int o) { return get32(m, at(a, o, m, n, 4)); }
    public static long i64Load32U(int a, byte[] m, int n, int o) { return get32(m, at(a, o, m, n, 4)) & 0xFFFFFFFFL; }

    public static void i32Store(int a, int v, byte[] m, int n, int o) { put32(m, at(a, o, m, n, 4), v); }
    public static void i64Store(int a, long v, byte[] m, int n, int o) { put64(m, at(a, o, m, n, 8), v); }
    public static void f32Store(int a, float v, byte[] m, int n, int o) { put32(m, at(a, o, m, n, 4), Float.floatToRawIntBits(v)); }
    public static void f64Store(int a, double v, byte[] m, int n, int o) { put64(m, at(a, o, m, n, 8), Double.doubleToRawLongBits(v)); }
    public static void i32Store8(int a, int v, byte[] m, int n, int o) { put8(m, at(a, o, m, n, 1), (byte) v); }
    public static void i32Store16(int a, int v, byte[] m, int n, int o) { put16(m, at(a, o, m, n, 2), (short) v); }
    public static void i64Store8(int a, long v, byte[] m, int n, int o) { put8(m, at(a, o, m, n, 1), (byte) v); }
    public static void i64Store16(int a, long v, byte[] m, int n, int o) { put16(m, at(a, o, m, n, 2), (short) v); }
    public static void i64Store32(int a, long v, byte[] m, int n, int o) { put32(m, at(a, o, m, n, 4), (int) v); }

    // An exact memory's accesses (the array is the memory, see Memory#keepExact): the array's
    // length is the bound; bytes are plain array accesses, wider ones one check then the raw access
    // as above (the array view VarHandles check the same bound).
    private static int atLength(int base, int offset, byte[] m, int width) {
        return Objects.checkIndex(ea(base, offset), m.length - (width - 1));
    }

    public static int i32Load(int a, byte[] m, int o) { return get32(m, atLength(a, o, m, 4)); }
    public static long i64Load(int a, byte[] m, int o) { return get64(m, atLength(a, o, m, 8)); }
    public static float f32Load(int a, byte[] m, int o) { return Float.intBitsToFloat(get32(m, atLength(a, o, m, 4))); }
    public static double f64Load(int a, byte[] m, int o) { return Double.longBitsToDouble(get64(m, atLength(a, o, m, 8))); }
    public static int i32Load8S(int a, byte[] m, int o) { return m[ea(a, o)]; }
    public static int i32Load8U(int a, byte[] m, int o) { return m[ea(a, o)] & 0xFF; }
    public static int i32Load16S(int a, byte[] m, int o) { return get16(m, atLength(a, o, m, 2)); }
    public static int i32Load16U(int a, byte[] m, int o) { return get16(m, atLength(a, o, m, 2)) & 0xFFFF; }
    public static long i64Load8S(int a, byte[] m, int o) { return m[ea(a, o)]; }
    public static long i64Load8U(int a, byte[] m, int o) { return m[ea(a, o)] & 0xFFL; }
    public static long i64Load16S(int a, byte[] m, int o) { return get16(m, atLength(a, o, m, 2)); }
    public static long i64Load16U(int a, byte[] m, int o) { return get16(m, atLength(a, o, m, 2)) & 0xFFFFL; }
    public static long i64Load32S(int a, byte[] m, int o) { return get32(m, atLength(a, o, m, 4)); }
    public static long i64Load32U(int a, byte[] m, int o) { return get32(m, atLength(a, o, m, 4)) & 0xFFFFFFFFL; }

    public static void i32Store(int a, int v, byte[] m, int o) { put32(m, atLength(a, o, m, 4), v); }
    public static void i64Store(int a, long v, byte[] m, int o) { put64(m, atLength(a, o, m, 8), v); }
    public static void f32Store(int a, float v, byte[] m, int o) { put32(m, atLength(a, o, m, 4), Float.floatToRawIntBits(v)); }
    public static void f64Store(int a, double v, byte[] m, int o) { put64(m, atLength(a, o, m, 8), Double.doubleToRawLongBits(v)); }
    public static void i32Store8(int a, int v, byte[] m, int o) { m[ea(a, o)] = (byte) v; }
    public static void i32Store16(int a, int v, byte[] m, int o) { put16(m, atLength(a, o, m, 2), (short) v); }
    public static void i64Store8(int a, long v, byte[] m, int o) { m[ea(a, o)] = (byte) v; }
    public static void i64Store16(int a, long v, byte[] m, int o) { put16(m, atLength(a, o, m, 2), (short) v); }
    public static void i64Store32(int a, long v, byte[] m, int o) { put32(m, atLength(a, o, m, 4), (int) v); }

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
