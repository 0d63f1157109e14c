package io.wasmudf.engine.internal.decode;

import io.wasmudf.engine.MalformedModuleException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads function names from the "name" custom section. The spec makes custom sections
 * non-normative, so a broken name section must never fail decoding: any problem yields no names.
 */
final class NameSectionDecoder {
    private static final int FUNCTION_NAMES = 1;

    private NameSectionDecoder() {}

    /** Function names from the section contents {@code [start, end)} after the section's own name. */
    static Map<Integer, String> functionNames(byte[] bytes, int start, int end) {
        try {
            ByteReader r = new ByteReader(bytes, start, end);
            while (!r.atEnd()) {
                int id = r.u8();
                int size = r.len();
                if (size > end - r.pos()) {
                    return Map.of(); // a subsection claiming more than its section holds: no names
                }
                int contentEnd = r.pos() + size;
                if (id == FUNCTION_NAMES) {
                    return readNameMap(new ByteReader(bytes, r.pos(), contentEnd));
                }
                r.skip(size);
            }
        } catch (MalformedModuleException e) {
            // Deliberately ignored: names are a debugging aid only.
        }
        return Map.of();
    }

    private static Map<Integer, String> readNameMap(ByteReader r) {
        int n = r.len();
        Map<Integer, String> names = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int index = r.index();
            names.put(index, r.name());
        }
        return Map.copyOf(names);
    }
}
