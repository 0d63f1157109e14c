package io.wasmudf.engine.internal.decode;

import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.MalformedModuleException;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over a byte range that reads the binary format's primitive encodings (bytes, LEB128
 * integers, little-endian floats, lengths, names) and fails with the spec suite's wording.
 *
 * <p>Like the reference interpreter, module decoding uses one reader over the whole input, so a
 * section whose contents overrun its declared size is only caught by the size check afterwards;
 * that is what makes the suite's expected messages ("END opcode expected", "length out of bounds"
 * ...) come out right. Every read is checked against the reader's limit, so nothing here can
 * index outside the array.
 */
final class ByteReader {
    static final String UNEXPECTED_END = "unexpected end of section or function";

    private final byte[] bytes;
    private final int limit;
    private int pos;
    /** The version of the binary format being read: which type encodings {@link TypeDecoder} accepts. */
    final WasmFeatures features;

    ByteReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    ByteReader(byte[] bytes, int start, int limit) {
        this(bytes, start, limit, WasmFeatures.V3_0);
    }

    ByteReader(byte[] bytes, int start, int limit, WasmFeatures features) {
        this.bytes = bytes;
        this.pos = start;
        this.limit = limit;
        this.features = features;
    }

    static MalformedModuleException malformed(String reason, long offset) {
        return new MalformedModuleException(reason, offset);
    }

    int pos() {
        return pos;
    }

    int limit() {
        return limit;
    }

    boolean atEnd() {
        return pos >= limit;
    }

    /** The next byte without consuming it, or -1 at the end. */
    int peek() {
        return pos < limit ? bytes[pos] & 0xFF : -1;
    }

    int u8() {
        if (pos >= limit) {
            throw malformed(UNEXPECTED_END, limit);
        }
        return bytes[pos++] & 0xFF;
    }

    void skip(int n) {
        if (n < 0 || n > limit - pos) {
            throw malformed(UNEXPECTED_END, limit);
        }
        pos += n;
    }

    byte[] bytes(int n) {
        int start = pos;
        skip(n);
        byte[] out = new byte[n];
        System.arraycopy(bytes, start, out, 0, n);
        return out;
    }

    /** Four little-endian bytes (the raw bits of an {@code f32}). */
    int fixed32() {
        int b0 = u8();
        int b1 = u8();
        int b2 = u8();
        int b3 = u8();
        return b0 | b1 << 8 | b2 << 16 | b3 << 24;
    }

    /** Eight little-endian bytes (the raw bits of an {@code f64}). */
    long fixed64() {
        long lo = fixed32() & 0xFFFF_FFFFL;
        long hi = fixed32() & 0xFFFF_FFFFL;
        return lo | hi << 32;
    }

    /**
     * An unsigned LEB128 integer of at most {@code bits} bits. The checks mirror the spec: at most
     * ceil(bits/7) bytes ("integer representation too long"), and the unused high bits of the last
     * byte must be zero ("integer too large").
     */
    long varU(int bits) {
        // most immediates fit one byte
        if (pos < limit && bits >= 7) {
            int b = bytes[pos];
            if (b >= 0) {
                pos++;
                return b;
            }
        }
        long result = 0;
        int shift = 0;
        for (int n = bits; ; n -= 7, shift += 7) {
            if (n <= 0) {
                throw malformed("integer representation too long", pos);
            }
            int b = u8();
            if (n < 7 && (b & 0x7F) >= (1 << n)) {
                throw malformed("integer too large", pos - 1);
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    /**
     * A signed LEB128 integer of at most {@code bits} bits; the unused bits of the last byte must
     * all equal the sign bit ("integer too large").
     */
    long varS(int bits) {
        if (pos < limit && bits >= 7) {
            int b = bytes[pos];
            if (b >= 0) {
                pos++;
                return ((long) b << 57) >> 57;
            }
        }
        long result = 0;
        int shift = 0;
        for (int n = bits; ; n -= 7) {
            if (n <= 0) {
                throw malformed("integer representation too long", pos);
            }
            int b = u8();
            if (n < 7) {
                int mask = (-1 << (n - 1)) & 0x7F;
                int high = b & mask;
                if (high != 0 && high != mask) {
                    throw malformed("integer too large", pos - 1);
                }
            }
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                if (shift < 64 && (b & 0x40) != 0) {
                    result |= -1L << shift;
                }
                return result;
            }
        }
    }

    /** A u32 as its raw 32 bits. */
    int u32() {
        return (int) varU(32);
    }

    /**
     * A u32 index. Values of 2^31 and above are stored as {@link Integer#MAX_VALUE}: no index space
     * can be that large, so the validator reports them as unknown without needing unsigned logic.
     */
    int index() {
        return clampIndex(varU(32));
    }

    static int clampIndex(long value) {
        return value < 0 || value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) value;
    }

    int s32() {
        return (int) varS(32);
    }

    long s33() {
        return varS(33);
    }

    long s64() {
        return varS(64);
    }

    /** A one-bit unsigned LEB128 flag, as used by limits. */
    boolean flag() {
        return varU(1) == 1;
    }

    /**
     * A u32 length or count. Like the reference interpreter it must not exceed the bytes left
     * counted from the start of the length itself; this bounds every allocation by the input size.
     */
    int len() {
        int start = pos;
        long n = varU(32);
        if (n > limit - start) {
            throw malformed("length out of bounds", start);
        }
        return (int) n;
    }

    /**
     * Initial capacity for a list of {@code n} declared entries. Counts are already bounded by the
     * input size, but an entry object is far larger than its smallest encoding, so lists grow as
     * entries actually decode instead of trusting the declared count up front.
     */
    static int initialCapacity(int n) {
        return Math.min(n, 1024);
    }

    /** A length-prefixed UTF-8 name. */
    String name() {
        int start = pos;
        int n = len();
        int from = pos;
        skip(n);
        if (!Utf8.isValid(bytes, from, n)) {
            throw malformed("malformed UTF-8 encoding", start);
        }
        return new String(bytes, from, n, StandardCharsets.UTF_8);
    }
}
