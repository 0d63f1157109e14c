package io.wasmudf.bench.corpus;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Memory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * QuickJS (@jitl/quickjs-wasmfile-release-sync 0.32.0's emscripten-module.wasm) evaluating
 * {@code quickjs-workload.js} (fib(20), a 20,000-element sort, a Map, classes, a regex, JSON, an
 * exception) through quickjs-emscripten's C interface, with deterministic stub emscripten imports;
 * returns QTS_Dump of the result. {@code corpus/quickjs-workload.mjs} runs the same in V8.
 * Export and import names are the package's minified ones ({@code QTS_Eval} is {@code pa} …).
 */
public final class QuickJsWorkload {
    private QuickJsWorkload() {}

    public static String script() {
        try (InputStream in = QuickJsWorkload.class.getResourceAsStream("quickjs-workload.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the workload on the engine; the module imports its memory (256 pages, at most 32,768). */
    public static String run(CompiledModule module, byte[] wasm) {
        try (EngineGuest guest = new EngineGuest(module, wasm, stubs(), QuickJsWorkload::fallback,
                new Memory(256, 32768, Memory.MAX_PAGES), "a.a")) {
            return run(guest);
        }
    }

    public static GuestRuntime.HostCall fallback(FuncType type) {
        return (g, a) -> 0;
    }

    /** The emscripten imports the workload implements, by the package's minified names. */
    public static Map<String, GuestRuntime.HostCall> stubs() {
        Map<String, GuestRuntime.HostCall> m = new HashMap<>();
        m.put("a.b", (g, a) -> {
            throw new IllegalStateException("quickjs: assertion failed");
        });
        m.put("a.q", (g, a) -> {
            throw new IllegalStateException("quickjs: abort");
        });
        m.put("a.p", (g, a) -> Double.doubleToRawLongBits(1.7e12)); // Date.now()
        m.put("a.k", (g, a) -> { // emscripten_resize_heap
            long need = Integer.toUnsignedLong((int) a[0]);
            long pages = (need + Memory.PAGE_SIZE - 1) / Memory.PAGE_SIZE - g.pages();
            return pages <= 0 || g.grow((int) pages) >= 0 ? 1 : 0;
        });
        m.put("a.f", (g, a) -> { // environ_sizes_get
            g.writeInt((int) a[0], 0);
            g.writeInt((int) a[1], 0);
            return 0;
        });
        m.put("a.d", (g, a) -> 52); // fd_close: ENOSYS
        m.put("a.o", (g, a) -> 70); // fd_seek: ESPIPE
        m.put("a.c", (g, a) -> { // fd_write: swallowed, all bytes written
            int n = 0;
            for (int i = 0; i < (int) a[2]; i++) {
                n += g.readInt((int) a[1] + 8 * i + 4);
            }
            g.writeInt((int) a[3], n);
            return 0;
        });
        return m;
    }

    /** Evaluates the script in a fresh runtime and context; the result as QTS_Dump gives it. */
    public static String run(GuestRuntime g) {
        g.call("u"); // __wasm_call_ctors
        int rt = g.call("K"); // QTS_NewRuntime
        int ctx = g.call("N", rt, 0); // QTS_NewContext, default intrinsics
        byte[] code = script().getBytes(StandardCharsets.UTF_8);
        int codePtr = string(g, code);
        int file = string(g, "workload.js".getBytes(StandardCharsets.US_ASCII));
        int value = g.call("pa", ctx, codePtr, code.length, file, 0, 0); // QTS_Eval
        int dump = g.call("oa", ctx, value); // QTS_Dump
        int end = dump;
        while (g.readByte(end) != 0) {
            end++;
        }
        return new String(g.read(dump, end - dump), StandardCharsets.UTF_8);
    }

    private static int string(GuestRuntime g, byte[] bytes) {
        int p = g.call("v", bytes.length + 1); // malloc
        g.write(p, bytes);
        g.write(p + bytes.length, new byte[1]);
        return p;
    }
}
