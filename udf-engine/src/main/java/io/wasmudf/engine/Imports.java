package io.wasmudf.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * The values offered to a module's imports, by (module, name): {@link WasmFunction}, {@link Memory},
 * {@link Table} or {@link Global}. Immutable once built.
 */
public final class Imports {
    private static final Imports EMPTY = new Imports(Map.of());
    private final Map<String, Map<String, Object>> values;

    private Imports(Map<String, Map<String, Object>> values) {
        this.values = values;
    }

    public static Imports empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value offered for {@code module.name}, or null. */
    public Object get(String module, String name) {
        Map<String, Object> m = values.get(module);
        return m == null ? null : m.get(name);
    }

    /** Builds an {@link Imports}. */
    public static final class Builder {
        private final Map<String, Map<String, Object>> values = new HashMap<>();

        public Builder add(String module, String name, Object value) {
            if (!(value instanceof WasmFunction || value instanceof Memory || value instanceof Table || value instanceof Global
                    || value instanceof Tag)) {
                throw new IllegalArgumentException("not an importable value: " + value);
            }
            values.computeIfAbsent(module, k -> new HashMap<>()).put(name, value);
            return this;
        }

        /** Offers every export of {@code instance} under {@code module} (the spec's "register"). */
        public Builder addAll(String module, Instance instance) {
            for (ExportInfo e : instance.module().exports()) {
                add(module, e.name(), instance.export(e.name()));
            }
            return this;
        }

        public Builder addAll(Imports other) {
            other.values.forEach((m, byName) -> byName.forEach((n, v) -> add(m, n, v)));
            return this;
        }

        public Imports build() {
            Map<String, Map<String, Object>> copy = new HashMap<>();
            values.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
            return new Imports(Map.copyOf(copy));
        }
    }
}
