package io.wasmudf.engine.internal.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with the binary format's encodings: LEB128 integers, floats, names. */
final class ByteBuf {
    private byte[] data;
    private int size;

    ByteBuf() {
        this(64);
    }

    ByteBuf(int capacity) {
        data = new byte[Math.max(capacity, 8)];
    }

    int size() {
        return size;
    }

    byte[] toArray() {
        return Arrays.copyOf(data, size);
    }

    void clear() {
        size = 0;
    }

    private void ensure(int extra) {
        if (size + extra > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + extra));
        }
    }

    ByteBuf u8(int v) {
        ensure(1);
        data[size++] = (byte) v;
        return this;
    }

    ByteBuf bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    ByteBuf bytes(byte[] b, int from, int len) {
        ensure(len);
        System.arraycopy(b, from, data, size, len);
        size += len;
        return this;
    }

    ByteBuf bytes(ByteBuf other) {
        return bytes(other.data, 0, other.size);
    }

    /** Unsigned LEB128 of the low 32 bits taken as unsigned. */
    ByteBuf u32(long v) {
        return u64(v & 0xFFFFFFFFL);
    }

    /** Unsigned LEB128 of a 64-bit value taken as unsigned. */
    ByteBuf u64(long v) {
        ensure(10);
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            data[size++] = (byte) (v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return this;
    }

    /** Signed LEB128 (used for s32, s33 and s64 alike; the value decides the length). */
    ByteBuf s64(long v) {
        ensure(10);
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            data[size++] = (byte) (done ? b : b | 0x80);
            if (done) {
                return this;
            }
        }
    }

    ByteBuf f32(int bits) {
        ensure(4);
        for (int k = 0; k < 4; k++) {
            data[size++] = (byte) (bits >>> (8 * k));
        }
        return this;
    }

    ByteBuf f64(long bits) {
        ensure(8);
        for (int k = 0; k < 8; k++) {
            data[size++] = (byte) (bits >>> (8 * k));
        }
        return this;
    }

    ByteBuf name(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        return bytes(b);
    }

    /** The contents prefixed with their length, as sections and function bodies are written. */
    ByteBuf sized(ByteBuf content) {
        u32(content.size);
        return bytes(content);
    }
}
