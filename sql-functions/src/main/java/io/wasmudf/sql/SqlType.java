package io.wasmudf.sql;

import io.wasmudf.engine.ValType;
import java.util.List;
import java.util.Locale;

/**
 * A SQL type a wasm function may take or return, with the Java type H2 uses for it and its flat
 * WebAssembly representation under the canonical ABI (see docs/ABI.md).
 */
public enum SqlType {
    BOOLEAN("boolean", boolean.class, Boolean.class, ValType.I32),
    SMALLINT("smallint", short.class, Short.class, ValType.I32),
    INTEGER("integer", int.class, Integer.class, ValType.I32),
    BIGINT("bigint", long.class, Long.class, ValType.I64),
    REAL("real", float.class, Float.class, ValType.F32),
    DOUBLE_PRECISION("double precision", double.class, Double.class, ValType.F64),
    TEXT("text", String.class, String.class, null),
    BYTEA("bytea", byte[].class, byte[].class, null);

    private final String sqlName;
    private final Class<?> javaType;
    private final Class<?> boxedType;
    private final ValType scalar;

    SqlType(String sqlName, Class<?> javaType, Class<?> boxedType, ValType scalar) {
        this.sqlName = sqlName;
        this.javaType = javaType;
        this.boxedType = boxedType;
        this.scalar = scalar;
    }

    /** The canonical PostgreSQL name, e.g. {@code double precision}. */
    public String sqlName() {
        return sqlName;
    }

    /** The Java type of a non-null value: a primitive for numbers, String or byte[] otherwise. */
    public Class<?> javaType() {
        return javaType;
    }

    /** The Java type of a nullable value. */
    public Class<?> boxedType() {
        return boxedType;
    }

    /** True for text and bytea, which travel as (ptr, len) in linear memory. */
    public boolean isPointer() {
        return scalar == null;
    }

    /** The core value type of a numeric SQL type; text and bytea have none. */
    public ValType scalar() {
        if (scalar == null) {
            throw new IllegalStateException(sqlName + " has no scalar representation");
        }
        return scalar;
    }

    /** The flattened core types: one value for numbers, (ptr, len) for text/bytea. */
    public List<ValType> flat() {
        return scalar == null ? List.of(ValType.I32, ValType.I32) : List.of(scalar);
    }

    /** Offset of the payload of an {@code option<T>} in a return area (after the u8 discriminant). */
    public int optionPayloadOffset() {
        return scalar == ValType.I64 || scalar == ValType.F64 ? 8 : 4;
    }

    /**
     * Resolves a type name as written in DDL (already split into lower-case words, length
     * modifiers removed): PostgreSQL names and aliases plus a few H2 spellings. Null if unknown.
     */
    public static SqlType fromWords(List<String> words) {
        String name = String.join(" ", words).toLowerCase(Locale.ROOT);
        switch (name) {
            case "boolean": case "bool":
                return BOOLEAN;
            case "smallint": case "int2":
                return SMALLINT;
            case "integer": case "int": case "int4":
                return INTEGER;
            case "bigint": case "int8":
                return BIGINT;
            case "real": case "float4":
                return REAL;
            case "double precision": case "float8": case "float": case "double":
                return DOUBLE_PRECISION;
            case "text": case "varchar": case "character varying": case "character large object":
            case "clob":
                return TEXT;
            case "bytea": case "varbinary": case "binary varying": case "binary large object": case "blob":
                return BYTEA;
            default:
                return null;
        }
    }

    /** Looks a canonical name up ({@link #sqlName()}); used when reading the catalog back. */
    public static SqlType fromSqlName(String sqlName) {
        for (SqlType t : values()) {
            if (t.sqlName.equals(sqlName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown SQL type: " + sqlName);
    }

    @Override
    public String toString() {
        return sqlName;
    }
}
