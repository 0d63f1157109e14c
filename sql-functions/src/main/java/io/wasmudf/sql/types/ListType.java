package io.wasmudf.sql.types;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.SqlType;
import java.util.List;

/** A type that travels as a canonical-ABI list: flat {@code (i32 ptr, i32 len)}, in memory {@code {u32 ptr, u32 len}}. */
abstract class ListType extends SqlType {
    ListType(String sqlName, List<String> spellings, Class<?> javaType) {
        super(sqlName, spellings, javaType, javaType);
    }

    @Override
    public final List<ValType> flat() {
        return List.of(ValType.I32, ValType.I32);
    }

    @Override
    public final int size() {
        return 8;
    }

    @Override
    public final int alignment() {
        return 4;
    }
}
