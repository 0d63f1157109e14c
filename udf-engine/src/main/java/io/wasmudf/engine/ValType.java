package io.wasmudf.engine;

/** A WebAssembly value type, with its binary encoding and the JVM type that carries it. */
public enum ValType {
    I32(0x7F, int.class),
    I64(0x7E, long.class),
    F32(0x7D, float.class),
    F64(0x7C, double.class),
    V128(0x7B, Object.class),
    FUNCREF(0x70, Object.class),
    EXTERNREF(0x6F, Object.class),
    /**
     * The JVM-level type of every reference in the {@code any} hierarchy (GC structs, arrays, i31;
     * 3.0): the precise type, as of every typed reference, is the validator's business.
     */
    ANYREF(0x6E, Object.class);

    private final int code;
    private final Class<?> javaType;

    ValType(int code, Class<?> javaType) {
        this.code = code;
        this.javaType = javaType;
    }

    /** The binary-format byte of this type. */
    public int code() {
        return code;
    }

    /**
     * The JVM type used for this value in compiled code and typed entry points (refs are {@code Object};
     * so is v128, whose values are {@link V128} instances).
     */
    public Class<?> javaType() {
        return javaType;
    }

    public boolean isReference() {
        return this == FUNCREF || this == EXTERNREF || this == ANYREF;
    }

    public boolean isNumeric() {
        return this == I32 || this == I64 || this == F32 || this == F64;
    }

    /** Returns the type for a binary-format byte, or null when the byte names no value type. */
    public static ValType fromCode(int code) {
        switch (code) {
            case 0x7F: return I32;
            case 0x7E: return I64;
            case 0x7D: return F32;
            case 0x7C: return F64;
            case 0x7B: return V128;
            case 0x70: return FUNCREF;
            case 0x6F: return EXTERNREF;
            case 0x6E: return ANYREF;
            default: return null;
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
