package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;

/** A table's element reference type and limits. */
public record TableType(ValType elemType, Limits limits) {}
