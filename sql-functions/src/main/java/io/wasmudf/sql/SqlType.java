package io.wasmudf.sql;

import io.wasmudf.engine.ValType;
import java.util.List;

/**
 * A SQL type a wasm function may take or return, and its codec: the Java types H2 uses for it,
 * its shape under the ABI (flat core values, size and alignment in linear memory) and the static
 * methods generated bridges call to lower arguments and lift results (docs/ABI.md). One subclass
 * per type family in {@code io.wasmudf.sql.types}; {@link SqlTypes} is the registry. The
 * instances are singletons, so identity is equality.
 */
public abstract class SqlType {
    private final String sqlName;
    private final List<String> spellings;
    private final Class<?> javaType;
    private final Class<?> boxedType;

    /**
     * @param sqlName   the canonical PostgreSQL name, e.g. {@code double precision}
     * @param spellings other names DDL may use, lower case, words separated by one space
     * @param javaType  the Java type of a non-null value H2 hands over (a primitive where there is one)
     * @param boxedType the Java type of a nullable value
     */
    protected SqlType(String sqlName, List<String> spellings, Class<?> javaType, Class<?> boxedType) {
        this.sqlName = sqlName;
        this.spellings = List.copyOf(spellings);
        this.javaType = javaType;
        this.boxedType = boxedType;
    }

    /** The canonical PostgreSQL name, e.g. {@code double precision}; what the catalog stores. */
    public final String sqlName() {
        return sqlName;
    }

    /** The names DDL may use besides {@link #sqlName()}. */
    public final List<String> spellings() {
        return spellings;
    }

    /** The Java type of a non-null value: a primitive for numbers, String or byte[] otherwise. */
    public final Class<?> javaType() {
        return javaType;
    }

    /** The Java type of a nullable value. */
    public final Class<?> boxedType() {
        return boxedType;
    }

    /**
     * This type for a declaration with type modifiers, e.g. {@code varchar(20)} or {@code float(10)}
     * ({@code spelling} is how it was named): the modifiers are checked and may select another
     * type. By default they are accepted and change nothing.
     */
    public SqlType withModifiers(String spelling, List<Integer> modifiers) {
        return this;
    }

    // ---- shape under the ABI ------------------------------------------------------------------

    /** The flat core values of one value (a parameter, or an {@code option<T>} payload). */
    public abstract List<ValType> flat();

    /** Size in linear memory (return areas): the memory layout of the canonical ABI, see docs/ABI.md. */
    public abstract int size();

    /** Alignment in linear memory. */
    public abstract int alignment();

    /** Whether an {@code option<T>} result may come back packed into one i64 ({@link AbiLayout#packedOption}). */
    public boolean packsIntoI64() {
        return false;
    }

    // ---- the codec ----------------------------------------------------------------------------

    /** How an argument becomes its flat core values. */
    public abstract Lowering lowering();

    /** True when arguments are copied into guest memory (which needs {@code cabi_realloc}). */
    public final boolean lowersIntoMemory() {
        return lowering() instanceof Lowering.Allocated;
    }

    /**
     * A STRICT result that is one core value ({@code flat().size() == 1}) comes back directly: this
     * converts it, {@code (core) -> javaType}, or is null when the core value already is the Java
     * value.
     */
    public StaticCall liftDirect() {
        return null;
    }

    /**
     * A STRICT result of a type that does not come back directly: {@code (GuestInstance, int
     * retptr) -> javaType}, reading the value at {@code retptr}. Null for direct types.
     */
    public StaticCall liftArea() {
        return null;
    }

    /**
     * An {@code option<T>} result in a return area: {@code (GuestInstance, int retptr) -> boxedType},
     * discriminant at {@code retptr}, payload at {@link AbiLayout#optionPayloadOffset}.
     */
    public abstract StaticCall liftOptional();

    /** A packed option result, {@code (long) -> boxedType}; null unless {@link #packsIntoI64()}. */
    public StaticCall liftPacked() {
        return null;
    }

    /** How arguments of a type are lowered. */
    public sealed interface Lowering {
        /**
         * The value is one core value. STRICT: the Java value itself, converted by {@code toCore}
         * ({@code (javaType) -> core}) unless that is null; CALLED ON NULL INPUT: {@code orZero}
         * ({@code (boxedType) -> core}) gives the payload, 0 for NULL.
         */
        record Scalar(StaticCall toCore, StaticCall orZero) implements Lowering {}

        /**
         * The value is several core values passed by value ({@code uuid}: two i64, {@code
         * interval}: i32, i32, i64): {@code toCore.get(i)} ({@code (javaType) -> core i}) gives
         * the i-th of {@link #flat()}; CALLED ON NULL INPUT: {@code orZero.get(i)} ({@code
         * (boxedType) -> core i}), 0 for NULL.
         */
        record Flat(List<StaticCall> toCore, List<StaticCall> orZero) implements Lowering {
            public Flat {
                toCore = List.copyOf(toCore);
                orZero = List.copyOf(orZero);
            }
        }

        /**
         * The value is copied into a block the guest's {@code cabi_realloc} hands out and passed as
         * {@code (ptr, len)}: {@code plan (GuestInstance, javaType) -> long} measures it,
         * {@code align (long) -> int} and {@code size (long) -> int} give what to ask
         * {@code cabi_realloc(0, 0, align, size)} for, and {@code write (GuestInstance, javaType,
         * long plan, int ptr) -> long} copies it and returns {@code (ptr << 32) | len}. A NULL
         * option payload is {@code (0, 0)} and allocates nothing.
         */
        record Allocated(StaticCall plan, StaticCall align, StaticCall size, StaticCall write) implements Lowering {}
    }

    @Override
    public final String toString() {
        return sqlName;
    }
}
