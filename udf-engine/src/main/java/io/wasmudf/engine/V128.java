package io.wasmudf.engine;

/**
 * A WebAssembly {@code v128} value: 128 bits as two longs, lane 0 in the low bits of {@link #lo()}
 * (the little-endian byte order of memory). Immutable; compiled code and host calls pass it where
 * {@link ValType#V128} is declared.
 */
public record V128(long lo, long hi) {
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
    public byte[] toBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (lo >>> (8 * i));
            b[i + 8] = (byte) (hi >>> (8 * i));
        }
        return b;
    }

    /** Lane {@code i} of the i32x4 view. */
    public int i32(int i) {
        return (int) ((i < 2 ? lo : hi) >>> (32 * (i & 1)));
    }

    @Override
    public String toString() {
        return String.format("i32x4 0x%08x 0x%08x 0x%08x 0x%08x", i32(0), i32(1), i32(2), i32(3));
    }
}
