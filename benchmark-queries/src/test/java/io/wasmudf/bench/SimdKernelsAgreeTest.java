package io.wasmudf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels (issue 20) give the same results from {@code simd.wasm} (clang -msimd128) and
 * from the same source's scalar build on our engine, and both match the same computation in Java.
 * (V8's results for both builds, printed by v8/bench.mjs, were the same on 2026-12-07.)
 */
class SimdKernelsAgreeTest {
    private static SimdKernels simd;
    private static SimdKernels scalar;

    @BeforeAll
    static void setUp() {
        simd = new SimdKernels(true);
        scalar = new SimdKernels(false);
    }

    @Test
    void histogram() throws Throwable {
        int[] counts = new int[256];
        for (byte b : Workloads.crcInput()) {
            counts[b & 0xFF]++;
        }
        int sum = 0;
        for (int c : counts) {
            sum = sum * 31 + c;
        }
        assertEquals(sum, simd.histogram());
        assertEquals(sum, scalar.histogram());
    }

    @Test
    void utf8Validation() throws Throwable {
        byte[] text = Workloads.simdText();
        assertEquals(Workloads.SIMD_BYTES, new String(text, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8).length,
                "the text is valid UTF-8 (it round-trips)");
        assertEquals(1, simd.utf8Valid());
        assertEquals(1, scalar.utf8Valid());
        // 4 KiB of ASCII (which the SIMD path skips 16 bytes at a time) with an invalid sequence inside
        // or at the end: a stray byte, an overlong, a surrogate, a truncated sequence
        byte[][] invalid = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
        byte[] ascii = new byte[4096];
        java.util.Arrays.fill(ascii, (byte) 'a');
        for (byte[] bad : invalid) {
            for (int at : new int[] {1003, ascii.length - bad.length}) {
                byte[] t = ascii.clone();
                System.arraycopy(bad, 0, t, at, bad.length);
                for (String module : new String[] {"simd", "simd_scalar"}) {
                    io.wasmudf.engine.Instance i = OursKernels.instance(io.wasmudf.engine.Engine.create(), module);
                    int ptr = (Integer) i.function("buffer").call()[0];
                    i.memory("memory").write(ptr, t, 0, t.length);
                    assertEquals(0, i.function("utf8_valid").call(ptr, t.length)[0], module + " at " + at);
                }
            }
        }
    }

    @Test
    void dotProductInTheSameSummationOrder() throws Throwable {
        ByteBuffer in = ByteBuffer.wrap(Workloads.dotInput()).order(ByteOrder.LITTLE_ENDIAN);
        float[] s = new float[4];
        for (int i = 0; i < Workloads.DOT_N; i++) {
            s[i & 3] += in.getFloat(4 * i) * in.getFloat(4 * (Workloads.DOT_N + i));
        }
        float expected = (s[0] + s[1]) + (s[2] + s[3]);
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(simd.dot()));
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(scalar.dot()));
    }

    @Test
    void memchrAndStrlenFindTheLastByte() throws Throwable {
        assertEquals(Workloads.SIMD_BYTES - 1, simd.findByte());
        assertEquals(Workloads.SIMD_BYTES - 1, scalar.findByte());
        assertEquals(Workloads.SIMD_BYTES - 1, simd.strLen());
        assertEquals(Workloads.SIMD_BYTES - 1, scalar.strLen());
    }
}
