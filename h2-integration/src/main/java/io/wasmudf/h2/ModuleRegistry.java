package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.WasmException;
import io.wasmudf.sql.Hex;
import io.wasmudf.sql.SqlStates;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * of memory per instance.
 */
final class ModuleRegistry {
    private static final ConcurrentHashMap<String, CompiledModule> BY_SHA = new ConcurrentHashMap<>();
    private static volatile Engine engine;

    private ModuleRegistry() {}

    static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (ModuleRegistry.class) {
                if (engine == null) {
                    engine = Engine.builder().untrusted().build();
                }
                e = engine;
            }
        }
        return e;
    }

    static String sha256(byte[] bytes) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles (or finds) {@code bytes}; engine exceptions propagate for the caller to word. */
    static CompiledModule compile(byte[] bytes) {
        String sha = sha256(bytes);
        CompiledModule m = BY_SHA.get(sha);
        if (m == null) {
            m = engine().compile(bytes);
            CompiledModule prev = BY_SHA.putIfAbsent(sha, m);
            if (prev != null) {
                m = prev;
            }
        }
        return m;
    }

    /** True if the module with this hash is compiled and cached. */
    static boolean isCached(String sha) {
        return BY_SHA.containsKey(sha);
    }

    /** The module with hash {@code sha}, loading its bytes through {@code c} when not cached. */
    static CompiledModule forSha(String sha, Connection c, String function) throws SQLException {
        CompiledModule m = BY_SHA.get(sha);
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
            return compile(bytes);
        } catch (WasmException e) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, "function " + function + ": module no longer compiles: " + e.getMessage(), e);
        }
    }
}
