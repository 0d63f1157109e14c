package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;

/**
 * Precise value types of the 3.0 type system as ints, for the validator's unboxed stacks and the
 * model's side arrays: a number type is its binary byte ({@code 0x7F} i32 ...), a nullable
 * abstract reference its heap type's byte ({@code 0x70} funcref, {@code 0x6E} anyref ...), and
 * {@link #NON_NULL} / {@link #CONCRETE} flags mark {@code (ref ht)} and {@code (ref null? $t)},
 * the type index above bit 10. {@link ValType} stays the JVM-level view (every reference is an
 * {@code Object}): {@link #jvm} maps a precise type onto it.
 */
public final class TypeCode {
    public static final int FUNC = 0x70;
    public static final int EXTERN = 0x6F;
    public static final int ANY = 0x6E;
    public static final int EQ = 0x6D;
    public static final int I31 = 0x6C;
    public static final int STRUCT = 0x6B;
    public static final int ARRAY = 0x6A;
    public static final int EXN = 0x69;
    public static final int NONE = 0x71;
    public static final int NOEXTERN = 0x72;
    public static final int NOFUNC = 0x73;
    public static final int NOEXN = 0x74;

    /** {@code (ref ht)}: excludes null. */
    public static final int NON_NULL = 0x100;
    /** The heap type is a defined type, whose index is {@code code >>> INDEX_SHIFT}. */
    public static final int CONCRETE = 0x200;
    private static final int INDEX_SHIFT = 10;

    private TypeCode() {}

    /** Whether {@code b} is the byte of an abstract heap type (also the shorthand of its nullable reference type). */
    public static boolean isAbstractHeap(int b) {
        return b >= EXN && b <= NOEXN;
    }

    public static int ref(boolean nullable, int heap) {
        return heap | (nullable ? 0 : NON_NULL);
    }

    public static int concrete(boolean nullable, int typeIndex) {
        return CONCRETE | (nullable ? 0 : NON_NULL) | (typeIndex << INDEX_SHIFT);
    }

    /** A heap type as {@link #heapOf} returns it: an abstract byte, or CONCRETE with the index. */
    public static int heapOf(int code) {
        return code & ~NON_NULL;
    }

    public static boolean isRef(int code) {
        return (code & (NON_NULL | CONCRETE)) != 0 || isAbstractHeap(code & 0xFF) && code < 0x100;
    }

    public static boolean isNullable(int code) {
        return (code & NON_NULL) == 0;
    }

    public static boolean isConcrete(int code) {
        return (code & CONCRETE) != 0;
    }

    public static int typeIndex(int code) {
        return code >>> INDEX_SHIFT;
    }

    public static int asNullable(int code) {
        return code & ~NON_NULL;
    }

    public static int asNonNull(int code) {
        return code | NON_NULL;
    }

    /** Whether a local of this type needs no initialisation before use (numbers, vectors, nullable references). */
    public static boolean isDefaultable(int code) {
        return !isRef(code) || isNullable(code);
    }

    /**
     * The JVM-level type: numbers as themselves, references by hierarchy (func, extern, or any for
     * the GC types), nullability and type indices dropped.
     */
    public static ValType jvm(int code, TypeFamily families) {
        if (!isRef(code)) {
            return ValType.fromCode(code);
        }
        switch (families.top(heapOf(code))) {
            case FUNC: return ValType.FUNCREF;
            case EXTERN: return ValType.EXTERNREF;
            default: return ValType.ANYREF;
        }
    }

    /** As {@link #jvm(int, TypeFamily)} with a module's defined types. */
    public static ValType jvm(int code, java.util.List<DefType> defs) {
        return jvm(code, heap -> {
            if (isConcrete(heap)) {
                int i = typeIndex(heap);
                return defs != null && i < defs.size() && !defs.get(i).isFunc() ? ANY : FUNC;
            }
            return abstractTop(heap);
        });
    }

    /** The precise type of a JVM-level one (the 2.0 types map one to one). */
    public static int of(ValType t) {
        return t.code();
    }

    /** Text-format name, for messages. */
    public static String name(int code) {
        if (code == 0) {
            return "unknown";
        }
        if (!isRef(code)) {
            ValType v = ValType.fromCode(code);
            return v != null ? v.toString() : "0x" + Integer.toHexString(code);
        }
        String heap = isConcrete(code) ? String.valueOf(typeIndex(code)) : heapName(code & 0xFF);
        return "(ref " + (isNullable(code) ? "null " : "") + heap + ")";
    }

    static String heapName(int b) {
        switch (b) {
            case FUNC: return "func";
            case EXTERN: return "extern";
            case ANY: return "any";
            case EQ: return "eq";
            case I31: return "i31";
            case STRUCT: return "struct";
            case ARRAY: return "array";
            case EXN: return "exn";
            case NONE: return "none";
            case NOEXTERN: return "noextern";
            case NOFUNC: return "nofunc";
            case NOEXN: return "noexn";
            default: return "0x" + Integer.toHexString(b);
        }
    }

    /** Which hierarchy a heap type belongs to: needs the module's defined types for concrete ones. */
    public interface TypeFamily {
        /** The top type's byte (FUNC, EXTERN, ANY or EXN) of {@code heap} (from {@link #heapOf}). */
        int top(int heap);
    }

    /** {@code a <: b} for abstract heap types. */
    public static boolean abstractSubtype(int a, int b) {
        if (a == b) {
            return true;
        }
        switch (a) {
            case NONE: return b == I31 || b == STRUCT || b == ARRAY || b == EQ || b == ANY;
            case I31: case STRUCT: case ARRAY: return b == EQ || b == ANY;
            case EQ: return b == ANY;
            case NOFUNC: return b == FUNC;
            case NOEXTERN: return b == EXTERN;
            case NOEXN: return b == EXN;
            default: return false;
        }
    }

    /** The hierarchy of an abstract heap type, or -1 for a concrete one. */
    public static int abstractTop(int heap) {
        switch (heap) {
            case FUNC: case NOFUNC: return FUNC;
            case EXTERN: case NOEXTERN: return EXTERN;
            case EXN: case NOEXN: return EXN;
            case ANY: case EQ: case I31: case STRUCT: case ARRAY: case NONE: return ANY;
            default: return -1;
        }
    }
}
