package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;

/** A global's value type and mutability. */
public record GlobalType(ValType type, boolean mutable) {}
