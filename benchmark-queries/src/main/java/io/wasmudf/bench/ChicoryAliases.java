package io.wasmudf.bench;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.nio.charset.StandardCharsets;

/**
 * The per-row functions as H2 Java aliases that call sqlbench.wasm on Chicory, following the same
 * canonical ABI our driver does: text is copied into memory obtained from {@code cabi_realloc},
 * option results come back through a return area. The module defines no {@code cabi_post_<name>}
 * (the C SDK's arena needs none), so neither this nor our driver calls one. One instance for the
 * JVM: the benchmark queries run on one thread.
 */
public final class ChicoryAliases {
    private static final Instance INSTANCE = ChicoryKernels.instance("sqlbench");
    private static final Memory MEMORY = INSTANCE.memory();
    private static final ExportFunction REALLOC = INSTANCE.export("cabi_realloc");
    private static final ExportFunction INC = INSTANCE.export("inc");
    private static final ExportFunction INC_NULLABLE = INSTANCE.export("inc_nullable");
    private static final ExportFunction CHAR_LEN = INSTANCE.export("char_len");
    private static final ExportFunction CHAR_LEN_NULLABLE = INSTANCE.export("char_len_nullable");

    private ChicoryAliases() {}

    public static int inc(int x) {
        return (int) INC.apply(x)[0];
    }

    public static Integer incNullable(Integer x) {
        long area = INC_NULLABLE.apply(x == null ? 0 : 1, x == null ? 0 : x)[0];
        return readOptionI32((int) area);
    }

    public static int charLen(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int ptr = copyIn(b);
        return (int) CHAR_LEN.apply(ptr, b.length)[0];
    }

    public static Integer charLenNullable(String s) {
        long area;
        if (s == null) {
            area = CHAR_LEN_NULLABLE.apply(0, 0, 0)[0];
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            area = CHAR_LEN_NULLABLE.apply(1, copyIn(b), b.length)[0];
        }
        return readOptionI32((int) area);
    }

    private static int copyIn(byte[] b) {
        int ptr = (int) REALLOC.apply(0, 0, 1, b.length)[0];
        MEMORY.write(ptr, b);
        return ptr;
    }

    /** option<i32> in a return area: u8 discriminant at 0, the value at 4. */
    private static Integer readOptionI32(int area) {
        return MEMORY.read(area) == 0 ? null : MEMORY.readInt(area + 4);
    }
}
