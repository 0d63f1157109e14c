package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;

/** A global's value type (JVM-level, and precise as a {@link TypeCode}) and mutability. */
public record GlobalType(ValType type, boolean mutable, int code) {
    /** A global of a 2.0 value type. */
    public GlobalType(ValType type, boolean mutable) {
        this(type, mutable, type.code());
    }
}
