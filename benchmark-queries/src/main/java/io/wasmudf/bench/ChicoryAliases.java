package io.wasmudf.bench;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.nio.charset.StandardCharsets;

/**
 * The per-row functions as H2 Java aliases that call sqlbench.wasm on Chicory, following the same
 * ABI our driver does: text is copied into memory obtained from {@code cabi_realloc}, option
 * results come back packed into one i64 (the C SDK's {@code wasmudf_opt32}). The module defines no {@code cabi_post_<name>}
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
        return packedOptionI32(INC_NULLABLE.apply(x == null ? 0 : 1, x == null ? 0 : x)[0]);
    }

    public static int charLen(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int ptr = copyIn(b);
        return (int) CHAR_LEN.apply(ptr, b.length)[0];
    }

    public static Integer charLenNullable(String s) {
        long packed;
        if (s == null) {
            packed = CHAR_LEN_NULLABLE.apply(0, 0, 0)[0];
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            packed = CHAR_LEN_NULLABLE.apply(1, copyIn(b), b.length)[0];
        }
        return packedOptionI32(packed);
    }

    private static int copyIn(byte[] b) {
        int ptr = (int) REALLOC.apply(0, 0, 1, b.length)[0];
        MEMORY.write(ptr, b);
        return ptr;
    }

    /** A packed option<i32>: the discriminant in the high half, the value in the low half. */
    private static Integer packedOptionI32(long packed) {
        return packed >>> 32 == 0 ? null : (int) packed;
    }
}
