package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;
import java.util.List;

/**
 * A table's element reference type (JVM-level, and precise as a {@link TypeCode}), limits, and the
 * constant expression its elements start as (3.0 table initialisers; null: null references).
 */
public record TableType(ValType elemType, Limits limits, int elemCode, List<Instruction> init) {
    /** A table of a 2.0 reference type, its elements initialised to null. */
    public TableType(ValType elemType, Limits limits) {
        this(elemType, limits, elemType.code(), null);
    }
}
