package io.wasmudf.engine;

/**
 * A WebAssembly {@code v128} value: 128 bits as two longs, lane 0 in the low bits of {@link #lo()}
 * (the little-endian byte order of memory). Immutable; compiled code and host calls pass it where
 * {@link ValType#V128} is declared. Two values are equal when their bits are. Not for subclassing
 * outside the engine: compiled code may hand out an internal subclass holding the same bits as four
 * f32 lanes (see docs/ENGINE.md "SIMD").
 */
public class V128 {
    private final long lo;
    private final long hi;

    /** The value whose low 64 bits are {@code lo} and high 64 bits are {@code hi}. */
    public V128(long lo, long hi) {
        this.lo = lo;
        this.hi = hi;
    }

    /** The low 64 bits (bytes 0-7). */
    public long lo() {
        return lo;
    }

    /** The high 64 bits (bytes 8-15). */
    public long hi() {
        return hi;
    }

    /** All bits zero: the default value of v128 locals. */
    public static final V128 ZERO = new V128(0, 0);

    /** The value of 16 bytes, {@code bytes[0]} the lowest (as {@code v128.load} reads memory). */
    public static V128 ofBytes(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a v128 has 16 bytes, not " + bytes.length);
        }
        long lo = 0;
        long hi = 0;
        for (int i = 7; i >= 0; i--) {
            lo = lo << 8 | (bytes[i] & 0xFF);
            hi = hi << 8 | (bytes[i + 8] & 0xFF);
        }
        return new V128(lo, hi);
    }

    /** The 16 bytes of this value, lowest first. */
    public final byte[] toBytes() {
        byte[] b = new byte[16];
        long lo = lo();
        long hi = hi();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (lo >>> (8 * i));
            b[i + 8] = (byte) (hi >>> (8 * i));
        }
        return b;
    }

    /** Lane {@code i} of the i32x4 view. */
    public final int i32(int i) {
        return (int) ((i < 2 ? lo() : hi()) >>> (32 * (i & 1)));
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof V128 v && v.lo() == lo() && v.hi() == hi();
    }

    @Override
    public final int hashCode() {
        return 31 * Long.hashCode(lo()) + Long.hashCode(hi());
    }

    @Override
    public final String toString() {
        return String.format("i32x4 0x%08x 0x%08x 0x%08x 0x%08x", i32(0), i32(1), i32(2), i32(3));
    }
}
