package io.wasmudf.engine.internal.runtime;

import java.lang.reflect.Field;
import java.util.Locale;

/**
 * Finds {@code sun.misc.Unsafe} for {@link Mem}'s loads and stores, on the architectures where
 * HotSpot's unaligned {@code getInt}/{@code getLong} are plain unaligned machine accesses (the JDK
 * itself relies on that there). Anywhere else, or with {@code -Dwasmudf.memory.unsafe=false}, or
 * when the module {@code jdk.unsupported} is absent, there is none and {@link Mem} uses array
 * accesses. On JDK 24 and later the default is the array path (see {@link #unsafe}).
 */
final class RawAccess {
    private RawAccess() {}

    static sun.misc.Unsafe unsafe() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean unaligned = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64");
        // JDK 24+ prints a warning at the first Unsafe memory access (JEP 498) and will refuse it
        // later: there the array path is the default, and -Dwasmudf.memory.unsafe=true opts back in
        String setting = System.getProperty("wasmudf.memory.unsafe", Runtime.version().feature() >= 24 ? "false" : "true");
        if (!unaligned || !Boolean.parseBoolean(setting)) {
            return null;
        }
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
