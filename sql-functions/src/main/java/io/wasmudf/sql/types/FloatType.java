package io.wasmudf.sql.types;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.AbiValues;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.StaticCall;
import java.util.List;

/** {@code real} and {@code double precision}: f32 and f64. */
public final class FloatType extends CoreValueType {
    /** {@code real} ({@code float4}, {@code float(1)} to {@code float(24)}). */
    public static final FloatType REAL = new FloatType("real", List.of("float4"), float.class, Float.class, "Real");
    /** {@code double precision} ({@code float8}, {@code float}, {@code double}, {@code float(25)} to {@code float(53)}). */
    public static final FloatType DOUBLE_PRECISION = new FloatType("double precision", List.of("float8", "float", "double"), double.class,
            Double.class, "Double");

    private final String suffix;

    private FloatType(String name, List<String> spellings, Class<?> javaType, Class<?> boxedType, String suffix) {
        super(name, spellings, javaType, boxedType, javaType == double.class ? ValType.F64 : ValType.F32);
        this.suffix = suffix;
    }

    /** PostgreSQL's {@code float(p)}: {@code real} for p up to 24, else {@code double precision}. */
    @Override
    public SqlType withModifiers(String spelling, List<Integer> modifiers) {
        if (spelling.equals("float") && modifiers.size() == 1) {
            return modifiers.get(0) <= 24 ? REAL : DOUBLE_PRECISION;
        }
        return this;
    }

    @Override
    public Lowering lowering() {
        return new Lowering.Scalar(null, StaticCall.of(FloatType.class, "orZero" + suffix, javaType(), boxedType()));
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(FloatType.class, "liftOptional" + suffix, boxedType(), GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftPacked() {
        return wide() ? null : StaticCall.of(FloatType.class, "fromPackedReal", Float.class, long.class);
    }

    public static float orZeroReal(Float v) {
        return v == null ? 0f : v;
    }

    public static double orZeroDouble(Double v) {
        return v == null ? 0d : v;
    }

    public static Float liftOptionalReal(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? Float.intBitsToFloat(g.memory().readInt(retptr + 4)) : null;
    }

    public static Double liftOptionalDouble(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? Double.longBitsToDouble(g.memory().readLong(retptr + 8)) : null;
    }

    /** The f32 bit pattern in the low half of a packed option. */
    public static Float fromPackedReal(long r) {
        return AbiValues.isPackedSome(r) ? Float.intBitsToFloat((int) r) : null;
    }
}
