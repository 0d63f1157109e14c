package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled modules by SHA-256 of their bytes, JVM-wide: each module content is compiled once and
 * reused by every function, session and database that uses it. After a restart a module is
 * fetched from {@code wasm.modules} on its first call. The engine uses the engine's settings for
 * untrusted guests: interruptible (statement cancel and timeouts), bounded call depth, 64 MiB
 * of memory per instance (instances get their own caps and budget through {@code InstanceLimits}).
 * Functions with {@code wasm.fuel} use a second engine that also compiles fuel metering, so the
 * others do not pay for it.
 */
final class ModuleRegistry {
    private static final ConcurrentHashMap<String, CompiledModule> BY_SHA = new ConcurrentHashMap<>();
    private static final Engine ENGINE = Engine.builder().untrusted().build();
    private static final Engine FUEL_ENGINE = Engine.builder().untrusted().fuel(true).build();

    private ModuleRegistry() {}

    static Engine engine() {
        return ENGINE;
    }

    /** Compiles (or finds) {@code bytes}; engine exceptions propagate for the caller to word. */
    static CompiledModule compile(byte[] bytes) {
        return compile(bytes, false);
    }

    /** {@link #compile(byte[])}, with fuel metering compiled in when {@code fuel}. */
    static CompiledModule compile(byte[] bytes, boolean fuel) {
        // the engine hashes the bytes once and answers repeats from its own cache (hashing a large
        // module costs milliseconds while the JVM is still warming up, so it is not done twice);
        // its hash (lower-case hex SHA-256, as stored in wasm.modules) keys the registry
        CompiledModule m = (fuel ? FUEL_ENGINE : ENGINE).compile(bytes);
        CompiledModule prev = BY_SHA.putIfAbsent(key(m.sha256(), fuel), m);
        return prev != null ? prev : m;
    }

    /** True if the module with this hash is compiled and cached. */
    static boolean isCached(String sha) {
        return BY_SHA.containsKey(sha);
    }

    private static String key(String sha, boolean fuel) {
        return fuel ? sha + "+fuel" : sha;
    }

    /** The module with hash {@code sha}, loading its bytes through {@code c} when not cached. */
    static CompiledModule forSha(String sha, Connection c, String function, boolean fuel) throws SQLException {
        CompiledModule m = BY_SHA.get(key(sha, fuel));
        if (m != null) {
            return m;
        }
        byte[] bytes = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT bytes FROM wasm.modules WHERE sha256 = ? FETCH FIRST ROW ONLY")) {
            ps.setString(1, sha);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    bytes = rs.getBytes(1);
                }
            }
        }
        if (bytes == null) {
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + function + ": its module (sha256 " + sha
                    + ") is no longer in wasm.modules");
        }
        try {
            return compile(bytes, fuel);
        } catch (RuntimeException e) {
            throw SqlErrors.compileFailed("function " + function, "its module (sha256 " + sha + ")", e);
        }
    }
}
