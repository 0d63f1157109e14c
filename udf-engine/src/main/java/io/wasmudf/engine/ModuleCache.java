package io.wasmudf.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An engine's compiled modules, bounded by their estimated size: least recently used out first. A
 * module larger than the whole bound is returned but not kept. Looked up by a cheap key of the
 * bytes ({@link #key}: length and CRC-32C, no cryptographic hash, which a young JVM computes
 * slowly) and then by exact comparison of the bytes, so no key collision can return another
 * module; modules whose keys collide replace each other, which costs a compile and nothing else.
 */
final class ModuleCache {
    private final long limit;
    private final LinkedHashMap<Long, CompiledModule> modules = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ModuleCache(long limit) {
        this.limit = limit;
    }

    /** The lookup key of module bytes: their length and CRC-32C. */
    static long key(byte[] wasm) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(wasm, 0, wasm.length);
        return ((long) wasm.length << 32) | crc.getValue();
    }

    /** The cached module compiled from exactly {@code wasm} (whose {@link #key} is {@code key}), or null. */
    synchronized CompiledModule get(long key, byte[] wasm) {
        CompiledModule m = modules.get(key);
        return m != null && m.hasBytes(wasm) ? m : null;
    }

    /** The cached module whose SHA-256 is {@code sha}, or null (computes the hashes not computed yet). */
    CompiledModule bySha256(String sha) {
        for (CompiledModule m : snapshot()) {
            if (m.sha256().equals(sha)) {
                synchronized (this) {
                    // a use, like get: refresh its place (unless it left meanwhile)
                    return modules.get(m.cacheKey()) == m ? m : null;
                }
            }
        }
        return null;
    }

    private synchronized List<CompiledModule> snapshot() {
        return new ArrayList<>(modules.values());
    }

    /**
     * Caches {@code m} unless a module of the same bytes is cached already; returns the cached one.
     * A cached module of other bytes under the same key gives way to {@code m}.
     */
    synchronized CompiledModule putIfAbsent(CompiledModule m) {
        long key = m.cacheKey();
        CompiledModule raced = modules.get(key);
        if (raced != null && raced.hasSameBytes(m)) {
            return raced;
        }
        if (raced != null) {
            remove(raced);
        }
        long size = m.estimatedBytes();
        if (size > limit) {
            return m;
        }
        for (Iterator<Map.Entry<Long, CompiledModule>> it = modules.entrySet().iterator(); bytes + size > limit && it.hasNext(); ) {
            bytes -= it.next().getValue().estimatedBytes();
            it.remove();
        }
        modules.put(key, m);
        bytes += size;
        return m;
    }

    /** Drops the cached module whose SHA-256 is {@code sha}; whether one was dropped. */
    boolean removeBySha256(String sha) {
        for (CompiledModule m : snapshot()) {
            if (m.sha256().equals(sha)) {
                return remove(m);
            }
        }
        return false;
    }

    private synchronized boolean remove(CompiledModule m) {
        if (modules.get(m.cacheKey()) != m) {
            return false;
        }
        modules.remove(m.cacheKey());
        bytes -= m.estimatedBytes();
        return true;
    }

    synchronized long bytes() {
        return bytes;
    }
}
