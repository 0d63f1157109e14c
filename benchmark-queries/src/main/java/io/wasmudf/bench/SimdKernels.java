package io.wasmudf.bench;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import java.lang.invoke.MethodHandle;

/**
 * The SIMD kernels (issue 20) on our engine: {@code simd.wasm} (clang -O2 -msimd128) or the same C
 * source's scalar build {@code simd_scalar.wasm}, one instance per kernel with its input written
 * once into the 16 MiB buffer (see {@link Workloads#simdText()}, {@link Workloads#dotInput()}).
 */
public final class SimdKernels {
    private final MethodHandle histogram;
    private final int histPtr;
    private final MethodHandle utf8Valid;
    private final int textPtr;
    private final MethodHandle dot;
    private final int dotPtr;
    private final MethodHandle findByte;
    private final int findPtr;
    private final MethodHandle strLen;
    private final int lenPtr;

    public SimdKernels(boolean simd) {
        Engine engine = Engine.create();
        String module = simd ? "simd" : "simd_scalar";
        Instance h = with(engine, module, Workloads.crcInput());
        histogram = h.function("histogram").handle();
        histPtr = buffer(h);
        byte[] text = Workloads.simdText();
        Instance u = with(engine, module, text);
        utf8Valid = u.function("utf8_valid").handle();
        textPtr = buffer(u);
        Instance d = with(engine, module, Workloads.dotInput());
        dot = d.function("dot_f32").handle();
        dotPtr = buffer(d);
        byte[] hash = text.clone();
        hash[hash.length - 1] = '#';
        Instance f = with(engine, module, hash);
        findByte = f.function("find_byte").handle();
        findPtr = buffer(f);
        byte[] nul = text.clone();
        nul[nul.length - 1] = 0;
        Instance l = with(engine, module, nul);
        strLen = l.function("str_len").handle();
        lenPtr = buffer(l);
        // the engine's vector dot-product and scan loops (with --add-modules jdk.incubator.vector) run
        // once a background thread has had C2 compile them, the plain loops until then: a JIT warm-up,
        // which the quick runs' 0.8 s of JMH warm-up did not always cover on a loaded machine
        try {
            io.wasmudf.engine.internal.runtime.SimdDotLoop.awaitVector(30_000);
            io.wasmudf.engine.internal.runtime.SimdScanLoop.awaitVector(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int buffer(Instance i) {
        return (Integer) i.function("buffer").call()[0];
    }

    private static Instance with(Engine engine, String module, byte[] input) {
        Instance i = OursKernels.instance(engine, module);
        i.memory("memory").write(buffer(i), input, 0, input.length);
        return i;
    }

    public int histogram() throws Throwable {
        return (int) histogram.invokeExact(histPtr, Workloads.SIMD_BYTES);
    }

    public int utf8Valid() throws Throwable {
        return (int) utf8Valid.invokeExact(textPtr, Workloads.SIMD_BYTES);
    }

    public float dot() throws Throwable {
        return (float) dot.invokeExact(dotPtr, dotPtr + 4 * Workloads.DOT_N, Workloads.DOT_N);
    }

    public int findByte() throws Throwable {
        return (int) findByte.invokeExact(findPtr, (int) '#', Workloads.SIMD_BYTES);
    }

    public int strLen() throws Throwable {
        return (int) strLen.invokeExact(lenPtr);
    }
}
