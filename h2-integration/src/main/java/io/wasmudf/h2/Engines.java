package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.sql.FunctionLimits;
import java.sql.SQLException;

/**
 * The two engines every database shares, built for untrusted guests: interruptible (statement
 * cancel and timeouts), bounded call depth, 64 MiB of memory per instance (instances get their own
 * caps and budget through {@code InstanceLimits}); functions with {@code wasm.fuel} run on the
 * second, which also compiles fuel metering, so the others do not pay for it. Their caches of
 * compiled modules are content-addressed (no database's state), bounded by
 * {@code -Dwasm.module_cache_size} (default 256 MB, each), and the catalog services evict the
 * modules no database uses any more.
 */
final class Engines {
    /** The system property bounding each engine's cache of compiled modules (a size, e.g. {@code 512MB}). */
    static final String CACHE_SIZE = "wasm.module_cache_size";
    private static final long CACHE_BYTES = cacheBytes();
    private static final Engine PLAIN = Engine.builder().untrusted().moduleCacheBytes(CACHE_BYTES).build();
    private static final Engine FUEL = Engine.builder().untrusted().fuel(true).moduleCacheBytes(CACHE_BYTES).build();

    private Engines() {}

    /** The engine for functions with ({@code fuel}) or without fuel metering. */
    static Engine engine(boolean fuel) {
        return fuel ? FUEL : PLAIN;
    }

    /** Compiles (or finds) {@code bytes}; engine exceptions propagate for the caller to map. */
    static CompiledModule compile(byte[] bytes, boolean fuel) {
        return engine(fuel).compile(bytes);
    }

    /** The compiled module with this hash if an engine has it cached. */
    static CompiledModule cached(String sha, boolean fuel) {
        return engine(fuel).cached(sha);
    }

    /** Drops the module with this hash from both engines' caches. */
    static void evict(String sha) {
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

    private static long cacheBytes() {
        String v = System.getProperty(CACHE_SIZE);
        if (v == null) {
            return Engine.DEFAULT_MODULE_CACHE_BYTES;
        }
        try {
            return FunctionLimits.parseBytes(CACHE_SIZE, v, Long.MAX_VALUE, "8 EiB");
        } catch (SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
