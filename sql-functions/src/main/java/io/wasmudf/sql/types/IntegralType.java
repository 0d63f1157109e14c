package io.wasmudf.sql.types;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.AbiValues;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.StaticCall;
import java.util.List;

/**
 * {@code smallint}, {@code integer}, {@code bigint}: s32, s32 and s64. A {@code smallint} travels
 * as an s32 (4 bytes in memory) and a result outside 16 bits is an error (22003), not wrapped.
 */
public final class IntegralType extends CoreValueType {
    /** {@code smallint} ({@code int2}). */
    public static final IntegralType SMALLINT = new IntegralType("smallint", List.of("int2"), short.class, Short.class, "Smallint");
    /** {@code integer} ({@code int}, {@code int4}). */
    public static final IntegralType INTEGER = new IntegralType("integer", List.of("int", "int4"), int.class, Integer.class, "Integer");
    /** {@code bigint} ({@code int8}). */
    public static final IntegralType BIGINT = new IntegralType("bigint", List.of("int8"), long.class, Long.class, "Bigint");

    private final String suffix;

    private IntegralType(String name, List<String> spellings, Class<?> javaType, Class<?> boxedType, String suffix) {
        super(name, spellings, javaType, boxedType, javaType == long.class ? ValType.I64 : ValType.I32);
        this.suffix = suffix;
    }

    @Override
    public Lowering lowering() {
        // a JVM short already is an int on the operand stack
        return new Lowering.Scalar(null, StaticCall.of(IntegralType.class, "orZero" + suffix, wide() ? long.class : int.class, boxedType()));
    }

    @Override
    public StaticCall liftDirect() {
        return this == SMALLINT ? StaticCall.of(IntegralType.class, "toSmallint", short.class, int.class) : null;
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(IntegralType.class, "liftOptional" + suffix, boxedType(), GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftPacked() {
        return wide() ? null : StaticCall.of(IntegralType.class, "fromPacked" + suffix, boxedType(), long.class);
    }

    public static int orZeroSmallint(Short v) {
        return v == null ? 0 : v;
    }

    public static int orZeroInteger(Integer v) {
        return v == null ? 0 : v;
    }

    public static long orZeroBigint(Long v) {
        return v == null ? 0L : v;
    }

    /** A core i32 as SQL smallint; values outside 16 bits are an error, not silently wrapped. */
    public static short toSmallint(int v) {
        if (v != (short) v) {
            throw new AbiException(SqlStates.NUMERIC_OUT_OF_RANGE, "smallint out of range: the function returned " + v);
        }
        return (short) v;
    }

    public static Short liftOptionalSmallint(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? toSmallint(g.memory().readInt(retptr + 4)) : null;
    }

    public static Integer liftOptionalInteger(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? g.memory().readInt(retptr + 4) : null;
    }

    public static Long liftOptionalBigint(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? g.memory().readLong(retptr + 8) : null;
    }

    public static Short fromPackedSmallint(long r) {
        return AbiValues.isPackedSome(r) ? toSmallint((int) r) : null;
    }

    public static Integer fromPackedInteger(long r) {
        return AbiValues.isPackedSome(r) ? (int) r : null;
    }
}
