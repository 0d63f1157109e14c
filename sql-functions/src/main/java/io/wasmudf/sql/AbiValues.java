package io.wasmudf.sql;

/**
 * The type-independent pieces of the ABI that generated bridge code and the codecs call per row:
 * option discriminants and {@code (ptr, len)} pairs. Static and tiny so the JIT inlines them.
 */
public final class AbiValues {
    private AbiValues() {}

    /** The {@code option<T>} discriminant of an argument: 0 for NULL, 1 otherwise. */
    public static int isSome(Object v) {
        return v == null ? 0 : 1;
    }

    /**
     * Whether a packed {@code option<T>} result ({@link AbiLayout#packedOption}) holds a value: the
     * high half is the discriminant, as in a return area (0 NULL, 1 a value, anything else an error).
     */
    public static boolean isPackedSome(long r) {
        long tag = r >>> 32;
        if (tag == 1) {
            return true;
        }
        if (tag == 0) {
            return false;
        }
        throw invalidDiscriminant(tag, "in the packed i64 result 0x" + Long.toHexString(r) + " (NULL is 0, a value 1 << 32 | bits)");
    }

    /** An {@code option<T>} discriminant other than 0 (none) or 1 (some), found {@code where}. */
    static AbiException invalidDiscriminant(long tag, String where) {
        return new AbiException(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, "invalid option discriminant " + tag + " " + where);
    }

    /** The high half of a packed {@code (ptr << 32) | len}. */
    public static int ptr(long packed) {
        return (int) (packed >>> 32);
    }

    /** The low half of a packed {@code (ptr << 32) | len}. */
    public static int len(long packed) {
        return (int) packed;
    }
}
