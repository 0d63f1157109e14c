package io.wasmudf.engine.internal.model;

/**
 * Size limits of a memory (in pages) or table (in elements); {@code max} is -1 when absent.
 * {@code is64}: the memory or table is indexed by i64 (memory64/table64) rather than i32 — the
 * binary format carries the address type in the limits' flags, so it lives here too.
 */
public record Limits(long min, long max, boolean is64) {
    public Limits(long min, long max) {
        this(min, max, false);
    }

    public boolean hasMax() {
        return max >= 0;
    }
}
