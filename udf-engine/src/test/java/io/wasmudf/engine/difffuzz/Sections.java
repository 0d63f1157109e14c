package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;

/** Appends entries to a vector section of a well-formed module, creating the section where absent. */
final class Sections {
    /** Known sections in the order the binary format requires (data count, 12, sits before code). */
    private static final int[] ORDER = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11};

    private Sections() {}

    /** {@code wasm} with {@code count} more entries, encoded as {@code entries}, in section {@code id}. */
    static byte[] append(byte[] wasm, int id, int count, byte[] entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(wasm, 0, 8);
        int pos = 8;
        boolean done = false;
        while (pos < wasm.length) {
            int sectionId = wasm[pos] & 0xFF;
            long[] size = readU32(wasm, pos + 1);
            int contentStart = (int) size[1];
            int end = contentStart + (int) size[0];
            if (!done && sectionId != 0 && rank(sectionId) > rank(id)) {
                section(out, id, 0, new byte[0], count, entries);
                done = true;
            }
            if (sectionId == id) {
                long[] n = readU32(wasm, contentStart);
                byte[] rest = java.util.Arrays.copyOfRange(wasm, (int) n[1], end);
                section(out, id, (int) n[0], rest, count, entries);
                done = true;
            } else {
                out.write(wasm, pos, end - pos);
            }
            pos = end;
        }
        if (!done) {
            section(out, id, 0, new byte[0], count, entries);
        }
        return out.toByteArray();
    }

    private static void section(ByteArrayOutputStream out, int id, int oldCount, byte[] old, int count, byte[] entries) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        ModuleBytes.writeU32(content, oldCount + count);
        content.writeBytes(old);
        content.writeBytes(entries);
        ModuleBytes.section(out, id, content);
    }

    private static int rank(int id) {
        for (int i = 0; i < ORDER.length; i++) {
            if (ORDER[i] == id) {
                return i;
            }
        }
        throw new IllegalArgumentException("section " + id);
    }

    /** {value, position after it}. */
    private static long[] readU32(byte[] b, int pos) {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = b[pos++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return new long[] {v, pos};
            }
            shift += 7;
        }
    }
}
