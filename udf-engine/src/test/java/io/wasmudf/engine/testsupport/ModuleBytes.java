package io.wasmudf.engine.testsupport;

import java.io.ByteArrayOutputStream;

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
}
