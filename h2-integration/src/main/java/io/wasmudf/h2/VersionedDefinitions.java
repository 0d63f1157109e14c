package io.wasmudf.h2;

import java.util.Map;
import java.util.function.ToIntFunction;

/** Finds the definition a bridge class names: the one being created wins over the one in force, and only its exact version counts. */
final class VersionedDefinitions {
    private VersionedDefinitions() {
    }

    // A bridge class names (id, version); a stale class must never reach a newer definition.
    static <D> D find(Map<Long, D> pending, Map<Long, D> inForce, long id, int version, ToIntFunction<D> versionOf) {
        D d = pending.get(id);
        if (d != null && versionOf.applyAsInt(d) == version) {
            return d;
        }
        d = inForce.get(id);
        return d != null && versionOf.applyAsInt(d) == version ? d : null;
    }
}
