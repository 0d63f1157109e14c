package io.wasmudf.engine;

/**
 * A WebAssembly {@code v128} value: 128 bits as two longs, lane 0 in the low bits of {@link #lo()}
 * (the little-endian byte order of memory). Immutable; compiled code and host calls pass it where
 * {@link ValType#V128} is declared. Two values are equal when their bits are.
 */
public final class V128 {
    // One of two forms, by how the value was made: bits (lo, hi) or four f32 lanes (f0-f3, their
    // raw bits the value's). f32x4 arithmetic makes and reads the float form, everything else the
    // bits, each converting when handed the other. Where C2 removes a vector's allocation the form is
    // a constant, so a chain of f32x4 operations passes floats in registers, never longs packed and
    // unpacked in between, and no unused view is kept for deoptimisation (measured: the f32x4 dot
    // product, see docs/ENGINE.md "SIMD").
    private final boolean floats;
    private final long lo;
    private final long hi;
    private final float f0;
    private final float f1;
    private final float f2;
    private final float f3;

    /** The value whose low 64 bits are {@code lo} and high 64 bits are {@code hi}. */
    public V128(long lo, long hi) {
        this.floats = false;
        this.lo = lo;
        this.hi = hi;
        this.f0 = 0;
        this.f1 = 0;
        this.f2 = 0;
        this.f3 = 0;
    }

    private V128(float f0, float f1, float f2, float f3) {
        this.floats = true;
        this.lo = 0;
        this.hi = 0;
        this.f0 = f0;
        this.f1 = f1;
        this.f2 = f2;
        this.f3 = f3;
    }

    /** The value with these four f32 lanes (their raw bits), lane 0 lowest. */
    public static V128 ofF32x4(float lane0, float lane1, float lane2, float lane3) {
        return new V128(lane0, lane1, lane2, lane3);
    }

    // accessors kept under 35 bytes of bytecode, so HotSpot inlines them at any call site
    /** The low 64 bits (lanes 0-7 of the i8x16 view). */
    public long lo() {
        return floats ? pack(f0, f1) : lo;
    }

    /** The high 64 bits. */
    public long hi() {
        return floats ? pack(f2, f3) : hi;
    }

    private static long pack(float low, float high) {
        return Float.floatToRawIntBits(low) & 0xFFFF_FFFFL | (long) Float.floatToRawIntBits(high) << 32;
    }

    /** Lane {@code i} (0-3) of the f32x4 view. */
    public float f32(int i) {
        return floats ? floatLane(i) : Float.intBitsToFloat(bitsLane(i));
    }

    private float floatLane(int i) {
        return i < 2 ? (i == 0 ? f0 : f1) : (i == 2 ? f2 : f3);
    }

    private int bitsLane(int i) {
        return (int) ((i < 2 ? lo : hi) >>> (32 * (i & 1)));
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
    public byte[] toBytes() {
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
    public int i32(int i) {
        return floats ? Float.floatToRawIntBits(floatLane(i)) : bitsLane(i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof V128 v && v.lo() == lo() && v.hi() == hi();
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(lo()) + Long.hashCode(hi());
    }

    @Override
    public String toString() {
        return String.format("i32x4 0x%08x 0x%08x 0x%08x 0x%08x", i32(0), i32(1), i32(2), i32(3));
    }
}
