package io.wasmudf.engine.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Binary-format pieces for tests that assemble modules byte by byte. */
public final class ModuleBytes {
    private ModuleBytes() {}

    /** Appends section {@code id} with {@code content}, size-prefixed. */
    public static void section(ByteArrayOutputStream out, int id, ByteArrayOutputStream content) {
        out.write(id);
        writeU32(out, content.size());
        out.writeBytes(content.toByteArray());
    }

    /** Appends {@code v} as unsigned LEB128. */
    public static void writeU32(ByteArrayOutputStream out, int v) {
        do {
            int b = v & 0x7F;
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    /** Appends {@code v} as signed LEB128 (the encoding of {@code i32.const}'s immediate). */
    public static void writeS32(ByteArrayOutputStream out, int v) {
        while (true) {
            int b = v & 0x7F;
            v >>= 7;
            if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
                out.write(b);
                return;
            }
            out.write(b | 0x80);
        }
    }

    /**
     * A module whose functions all have the one type {@code type} (its encoding after 0x60), each
     * exported under its key; bodies are complete (locals, code, end). {@code memoryPages} &gt; 0
     * adds a memory of that minimum.
     */
    public static byte[] functions(byte[] type, Map<String, byte[]> bodies, int memoryPages) {
        ByteArrayOutputStream types = new ByteArrayOutputStream();
        types.writeBytes(new byte[] {1, 0x60});
        types.writeBytes(type);
        ByteArrayOutputStream funcs = new ByteArrayOutputStream();
        ByteArrayOutputStream exports = new ByteArrayOutputStream();
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        writeU32(funcs, bodies.size());
        writeU32(exports, bodies.size());
        writeU32(code, bodies.size());
        int index = 0;
        for (Map.Entry<String, byte[]> f : bodies.entrySet()) {
            funcs.write(0);
            byte[] name = f.getKey().getBytes(StandardCharsets.UTF_8);
            writeU32(exports, name.length);
            exports.writeBytes(name);
            exports.write(0);
            writeU32(exports, index++);
            writeU32(code, f.getValue().length);
            code.writeBytes(f.getValue());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        section(out, 1, types);
        section(out, 3, funcs);
        if (memoryPages > 0) {
            ByteArrayOutputStream memory = new ByteArrayOutputStream();
            memory.writeBytes(new byte[] {1, 0});
            writeU32(memory, memoryPages);
            section(out, 5, memory);
        }
        section(out, 7, exports);
        section(out, 10, code);
        return out.toByteArray();
    }

    /** {@code b} with {@code remove} bytes at {@code at} replaced by {@code insert} (a new array; the mutators of the fuzz tests). */
    public static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
