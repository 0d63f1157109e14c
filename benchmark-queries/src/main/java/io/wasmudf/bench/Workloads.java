package io.wasmudf.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The fixed inputs of every kernel, shared by all runtimes (ours, Chicory, plain Java and, mirrored
 * in v8/bench.mjs, V8) so that each does exactly the same work.
 */
public final class Workloads {
    /** add(i, 1) is called this many times from the host. */
    public static final int ADD_CALLS = 10_000_000;
    public static final int FIB_N = 32;
    public static final int CRC_BYTES = 16 << 20;
    public static final int SIEVE_N = 16 << 20;
    public static final int MANDEL_W = 600;
    public static final int MANDEL_H = 400;
    public static final int MANDEL_ITER = 200;
    /** utf8_len is called this many times, the host writing the string into memory each time. */
    public static final int UTF8_CALLS = 1_000_000;

    /** Short strings (ASCII, Latin, Greek, CJK, emoji) cycled through by the string kernel. */
    public static final String[] STRINGS = {
        "hello world", "grüße aus köln", "καλημέρα κόσμε", "日本語のテキスト", "emoji 🎉🚀 ok",
        "SELECT sum(x) FROM t", "naïve café", "Ελληνικά και English",
    };

    private static final byte[][] UTF8 = new byte[STRINGS.length][];

    static {
        for (int i = 0; i < STRINGS.length; i++) {
            UTF8[i] = STRINGS[i].getBytes(StandardCharsets.UTF_8);
        }
    }

    private Workloads() {}

    /** The UTF-8 bytes of {@link #STRINGS}{@code [i % STRINGS.length]}; callers must not modify them. */
    public static byte[] utf8(int i) {
        return UTF8[i & (STRINGS.length - 1)];
    }

    /** The crc32 input: a deterministic pseudo-random byte stream (xorshift32, seed 2463534242). */
    public static byte[] crcInput() {
        byte[] b = new byte[CRC_BYTES];
        int x = (int) 2463534242L;
        for (int i = 0; i < b.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }

    /** Bytes of the SIMD kernels' 16 MiB buffer (issue 20). */
    public static final int SIMD_BYTES = 16 << 20;
    /** f32 elements in each of the dot product's two arrays (the first and second half of the buffer). */
    public static final int DOT_N = SIMD_BYTES / 8;

    /**
     * The text of the SIMD kernels: a mostly-ASCII paragraph with accented, Greek, CJK and emoji
     * characters, repeated whole, then spaces up to {@link #SIMD_BYTES}; valid UTF-8 without '#' or NUL.
     */
    public static byte[] simdText() {
        byte[] unit = ("The quick brown fox jumps over the lazy dog; SELECT sum(x) FROM t WHERE y > 42 ORDER BY z. "
                + "Grüße aus Köln, καλημέρα κόσμε, 日本語のテキスト, emoji 🎉 ok.\n").getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[SIMD_BYTES];
        int n = SIMD_BYTES / unit.length;
        for (int i = 0; i < n; i++) {
            System.arraycopy(unit, 0, b, i * unit.length, unit.length);
        }
        java.util.Arrays.fill(b, n * unit.length, b.length, (byte) ' ');
        return b;
    }

    /** The dot product's inputs, little-endian f32: a[i] = (i % 1024) / 256, b[i] = (7i % 1024) / 512 (exact in f32). */
    public static byte[] dotInput() {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(SIMD_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < DOT_N; i++) {
            bb.putFloat(4 * i, (i % 1024) / 256f);
            bb.putFloat(4 * (DOT_N + i), ((7 * i) % 1024) / 512f);
        }
        return bb.array();
    }

    /** A benchmark module from this module's resources, e.g. {@code "crc32"}. */
    public static byte[] module(String name) {
        String path = "/io/wasmudf/bench/" + name + ".wasm";
        try (InputStream in = Workloads.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " (run benchmark-queries/kernels/build.sh)");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code wasm} with a custom section appended whose payload is {@code salt}: the same code
     * under a different content hash, so compile caches (ours is keyed by SHA-256) miss.
     */
    public static byte[] salted(byte[] wasm, long salt) {
        byte[] name = "wasmudf-bench-salt".getBytes(StandardCharsets.US_ASCII);
        int payload = 1 + name.length + 8;
        byte[] out = new byte[wasm.length + 2 + payload];
        System.arraycopy(wasm, 0, out, 0, wasm.length);
        int p = wasm.length;
        out[p++] = 0; // custom section id
        out[p++] = (byte) payload; // < 128: a one-byte LEB128
        out[p++] = (byte) name.length;
        System.arraycopy(name, 0, out, p, name.length);
        p += name.length;
        for (int i = 0; i < 8; i++) {
            out[p++] = (byte) (salt >>> (8 * i));
        }
        return out;
    }
}
