package io.wasmudf.sql;

/**
 * Scalar conversions between SQL values and core values that generated bridge code calls per row;
 * static and tiny so the JIT inlines them.
 */
public final class AbiValues {
    private AbiValues() {}

    /** A core i32 as SQL boolean: any non-zero value is true, as the canonical ABI lifts {@code bool}. */
    public static boolean toBoolean(int v) {
        return v != 0;
    }

    /** A core i32 as SQL smallint; values outside 16 bits are an error, not silently wrapped. */
    public static short toSmallint(int v) {
        if (v != (short) v) {
            throw new AbiException(SqlStates.NUMERIC_OUT_OF_RANGE, "smallint out of range: the function returned " + v);
        }
        return (short) v;
    }

    /** The {@code option<T>} discriminant of an argument: 0 for NULL, 1 otherwise. */
    public static int isSome(Object v) {
        return v == null ? 0 : 1;
    }

    public static int orZero(Boolean v) {
        return v != null && v ? 1 : 0;
    }

    public static int orZero(Short v) {
        return v == null ? 0 : v;
    }

    public static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    public static long orZero(Long v) {
        return v == null ? 0L : v;
    }

    public static float orZero(Float v) {
        return v == null ? 0f : v;
    }

    public static double orZero(Double v) {
        return v == null ? 0d : v;
    }

    // packed option<T> results (AbiSignature.packedOption): the high half is the discriminant, as
    // in a return area (0 NULL, 1 a value, anything else an error), the low half the value's bits

    public static Boolean fromPackedBoolean(long r) {
        return isPackedSome(r) ? toBoolean((int) r) : null;
    }

    public static Short fromPackedSmallint(long r) {
        return isPackedSome(r) ? toSmallint((int) r) : null;
    }

    public static Integer fromPackedInteger(long r) {
        return isPackedSome(r) ? (int) r : null;
    }

    public static Float fromPackedReal(long r) {
        return isPackedSome(r) ? Float.intBitsToFloat((int) r) : null;
    }

    private static boolean isPackedSome(long r) {
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
