package io.wasmudf.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An engine's compiled modules by SHA-256, bounded by their estimated size: least recently used
 * out first. A module larger than the whole bound is returned but not kept.
 */
final class ModuleCache {
    private final long limit;
    private final LinkedHashMap<String, CompiledModule> modules = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ModuleCache(long limit) {
        this.limit = limit;
    }

    synchronized CompiledModule get(String sha) {
        return modules.get(sha);
    }

    /** Caches {@code m} unless a module of that hash is cached already; returns the cached one. */
    synchronized CompiledModule putIfAbsent(String sha, CompiledModule m) {
        CompiledModule raced = modules.get(sha);
        if (raced != null) {
            return raced;
        }
        long size = m.estimatedBytes();
        if (size > limit) {
            return m;
        }
        for (Iterator<Map.Entry<String, CompiledModule>> it = modules.entrySet().iterator(); bytes + size > limit && it.hasNext(); ) {
            bytes -= it.next().getValue().estimatedBytes();
            it.remove();
        }
        modules.put(sha, m);
        bytes += size;
        return m;
    }

    synchronized boolean remove(String sha) {
        CompiledModule m = modules.remove(sha);
        if (m != null) {
            bytes -= m.estimatedBytes();
        }
        return m != null;
    }

    synchronized long bytes() {
        return bytes;
    }
}
