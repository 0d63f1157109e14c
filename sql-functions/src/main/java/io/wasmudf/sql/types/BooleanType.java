package io.wasmudf.sql.types;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.AbiValues;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.StaticCall;
import java.util.List;

/**
 * {@code boolean}: an s32 (0 false, anything else true, as the canonical ABI lifts {@code bool});
 * 4 bytes in memory, so every 4-byte value has the same return-area layout.
 */
public final class BooleanType extends CoreValueType {
    /** {@code boolean} ({@code bool}). */
    public static final BooleanType BOOLEAN = new BooleanType();

    private BooleanType() {
        super("boolean", List.of("bool"), boolean.class, Boolean.class, ValType.I32);
    }

    @Override
    public Lowering lowering() {
        // a JVM boolean already is the int 0 or 1 on the operand stack
        return new Lowering.Scalar(null, StaticCall.of(BooleanType.class, "orZero", int.class, Boolean.class));
    }

    @Override
    public StaticCall liftDirect() {
        return StaticCall.of(BooleanType.class, "fromCore", boolean.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(BooleanType.class, "liftOptional", Boolean.class, GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftPacked() {
        return StaticCall.of(BooleanType.class, "fromPacked", Boolean.class, long.class);
    }

    public static int orZero(Boolean v) {
        return v != null && v ? 1 : 0;
    }

    /** A core i32 as SQL boolean: any non-zero value is true. */
    public static boolean fromCore(int v) {
        return v != 0;
    }

    public static Boolean liftOptional(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? fromCore(g.memory().readInt(retptr + 4)) : null;
    }

    public static Boolean fromPacked(long r) {
        return AbiValues.isPackedSome(r) ? fromCore((int) r) : null;
    }
}
