package io.wasmudf.engine.spectest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-assembles small WebAssembly binaries for runner tests. */
final class WasmBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static WasmBytes module() {
        return new WasmBytes().b(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    }

    WasmBytes b(int... bytes) {
        for (int x : bytes) {
            out.write(x);
        }
        return this;
    }

    WasmBytes u32(long v) {
        do {
            int low = (int) (v & 0x7f);
            v >>>= 7;
            out.write(v == 0 ? low : low | 0x80);
        } while (v != 0);
        return this;
    }

    WasmBytes name(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        u32(utf8.length);
        out.write(utf8, 0, utf8.length);
        return this;
    }

    /** A code-section entry without locals. */
    WasmBytes func(int... body) {
        return u32(body.length + 1).b(0).b(body);
    }

    WasmBytes section(int id, WasmBytes content) {
        byte[] bytes = content.bytes();
        b(id).u32(bytes.length);
        out.write(bytes, 0, bytes.length);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
