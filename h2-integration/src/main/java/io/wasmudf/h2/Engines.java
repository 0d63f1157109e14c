package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.sql.FunctionLimits;
import java.lang.ref.WeakReference;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two engines every database shares, built for untrusted guests: interruptible (statement
 * cancel and timeouts), bounded call depth, 64 MiB of memory per instance (instances get their own
 * caps and budget through {@code InstanceLimits}); functions with {@code wasm.fuel} run on the
 * second, which also compiles fuel metering, so the others do not pay for it. Their caches of
 * compiled modules are content-addressed (no database's state), bounded by
 * {@code -Dwasm.module_cache_size} (default 256 MB, each), and the catalog services evict the
 * modules no database uses any more. With {@code -Dwasm.code_cache=DIR} both keep the classes they
 * generate in that directory too (bounded by {@code -Dwasm.code_cache_size}, default 1 GB), so a
 * restarted JVM loads them instead of compiling (see docs/ENGINE.md, "Persistent code cache").
 */
final class Engines {
    /** The system property bounding each engine's cache of compiled modules (a size, e.g. {@code 512MB}). */
    static final String CACHE_SIZE = "wasm.module_cache_size";
    /** The system property naming the code-cache directory (unset: compiled code is kept in memory only). */
    static final String CODE_CACHE = "wasm.code_cache";
    /** The system property bounding the code-cache directory (a size, e.g. {@code 2GB}). */
    static final String CODE_CACHE_SIZE = "wasm.code_cache_size";
    private static final Engine PLAIN = builder(System.getProperties()).build();
    private static final Engine FUEL = builder(System.getProperties()).fuel(true).build();

    private Engines() {}

    /** The engine for functions with ({@code fuel}) or without fuel metering. */
    static Engine engine(boolean fuel) {
        return fuel ? FUEL : PLAIN;
    }

    /** Compiles (or finds) {@code bytes}; engine exceptions propagate for the caller to map. */
    static CompiledModule compile(byte[] bytes, boolean fuel) {
        return engine(fuel).compile(bytes);
    }

    /** The compiled module with this hash if an engine has it cached (hashes the cached modules not hashed yet). */
    static CompiledModule cached(String sha, boolean fuel) {
        return engine(fuel).cached(sha);
    }

    /**
     * Compiled modules by the SHA-256 the catalog stores for their bytes (and fuel): what
     * {@code CatalogService.module} found to match a function's module once, so that later
     * sessions find it without reading the bytes again and nobody hashes them (see there). Weak:
     * the engines' bounded caches decide what stays in memory.
     */
    private static final Map<String, WeakReference<CompiledModule>> CHECKED = new ConcurrentHashMap<>();

    /** The module recorded by {@link #checked(String, boolean, CompiledModule)} for this hash, or null. */
    static CompiledModule checked(String sha, boolean fuel) {
        WeakReference<CompiledModule> ref = CHECKED.get(checkedKey(sha, fuel));
        return ref == null ? null : ref.get();
    }

    /** Records that {@code m} was compiled from the bytes whose catalog SHA-256 is {@code sha}. */
    static void checked(String sha, boolean fuel, CompiledModule m) {
        CHECKED.put(checkedKey(sha, fuel), new WeakReference<>(m));
    }

    private static String checkedKey(String sha, boolean fuel) {
        return (fuel ? "fuel:" : "plain:") + sha;
    }

    /** Drops the module with this hash from both engines' caches. */
    static void evict(String sha) {
        CHECKED.remove(checkedKey(sha, false));
        CHECKED.remove(checkedKey(sha, true));
        PLAIN.evict(sha);
        FUEL.evict(sha);
    }

    /** Whether an engine has {@code bytes} compiled in its cache (so they are valid). */
    static boolean isCompiled(byte[] bytes) {
        String sha = Engine.sha256(bytes);
        return PLAIN.cached(sha) != null || FUEL.cached(sha) != null;
    }

    /** Checks an upload without compiling or caching it. */
    static void validate(byte[] bytes) {
        PLAIN.validate(bytes);
    }

    /** The shared engines' settings from these (system) properties, fuel aside. */
    static Engine.Builder builder(java.util.Properties p) {
        Engine.Builder b = Engine.builder().untrusted()
                .moduleCacheBytes(bytes(p, CACHE_SIZE, Engine.DEFAULT_MODULE_CACHE_BYTES));
        String dir = p.getProperty(CODE_CACHE);
        if (dir != null && !dir.isBlank()) {
            b.codeCache(java.nio.file.Path.of(dir)).codeCacheBytes(bytes(p, CODE_CACHE_SIZE, Engine.DEFAULT_CODE_CACHE_BYTES));
        }
        return b;
    }

    private static long bytes(java.util.Properties p, String name, long byDefault) {
        String v = p.getProperty(name);
        if (v == null) {
            return byDefault;
        }
        try {
            return FunctionLimits.parseBytes(name, v, Long.MAX_VALUE, "8 EiB");
        } catch (SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
