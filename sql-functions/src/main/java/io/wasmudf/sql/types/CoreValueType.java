package io.wasmudf.sql.types;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.SqlType;
import java.util.List;

/**
 * A type whose value is one core value of 32 or 64 bits: flat, that value; in memory, its size,
 * aligned to it; a 32-bit one's option may come back packed into an i64.
 */
abstract class CoreValueType extends SqlType {
    private final ValType core;

    CoreValueType(String sqlName, List<String> spellings, Class<?> javaType, Class<?> boxedType, ValType core) {
        super(sqlName, spellings, javaType, boxedType);
        this.core = core;
    }

    /** Whether the core value is 64 bits wide. */
    final boolean wide() {
        return core == ValType.I64 || core == ValType.F64;
    }

    @Override
    public final List<ValType> flat() {
        return List.of(core);
    }

    @Override
    public final int size() {
        return wide() ? 8 : 4;
    }

    @Override
    public final int alignment() {
        return size();
    }

    @Override
    public final boolean packsIntoI64() {
        return !wide();
    }
}
