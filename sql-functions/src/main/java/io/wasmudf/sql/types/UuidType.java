package io.wasmudf.sql.types;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.StaticCall;
import java.util.List;
import java.util.UUID;

/**
 * {@code uuid}: its 128 bits as a record {@code {u64 hi, u64 lo}}, {@code hi} the first 8 bytes of
 * the textual/RFC byte order read big-endian (flat {@code i64, i64}, passed by value with no
 * allocation; 16 bytes, align 8, in memory as two little-endian u64).
 */
public final class UuidType extends SqlType {
    /** {@code uuid}. */
    public static final UuidType UUID_TYPE = new UuidType();

    private UuidType() {
        super("uuid", List.of(), UUID.class, UUID.class);
    }

    @Override
    public List<ValType> flat() {
        return List.of(ValType.I64, ValType.I64);
    }

    @Override
    public int size() {
        return 16;
    }

    @Override
    public int alignment() {
        return 8;
    }

    @Override
    public Lowering lowering() {
        return new Lowering.Flat(
                List.of(StaticCall.of(UuidType.class, "hi", long.class, UUID.class), StaticCall.of(UuidType.class, "lo", long.class, UUID.class)),
                List.of(StaticCall.of(UuidType.class, "orZeroHi", long.class, UUID.class),
                        StaticCall.of(UuidType.class, "orZeroLo", long.class, UUID.class)));
    }

    @Override
    public StaticCall liftArea() {
        return StaticCall.of(UuidType.class, "lift", UUID.class, GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(UuidType.class, "liftOptional", UUID.class, GuestInstance.class, int.class);
    }

    public static long hi(UUID u) {
        return u.getMostSignificantBits();
    }

    public static long lo(UUID u) {
        return u.getLeastSignificantBits();
    }

    public static long orZeroHi(UUID u) {
        return u == null ? 0 : u.getMostSignificantBits();
    }

    public static long orZeroLo(UUID u) {
        return u == null ? 0 : u.getLeastSignificantBits();
    }

    /** The uuid at {@code addr}: hi at 0, lo at 8. */
    public static UUID lift(GuestInstance g, int addr) {
        return new UUID(g.memory().readLong(addr), g.memory().readLong(addr + 8));
    }

    public static UUID liftOptional(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? lift(g, retptr + 8) : null;
    }
}
