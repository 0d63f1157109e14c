package io.wasmudf.sql.types;

import io.wasmudf.engine.V128;
import io.wasmudf.engine.ValType;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.StaticCall;
import java.util.List;
import java.util.UUID;

/**
 * The vector form of {@code uuid} and of a 16-byte {@code bytea}: the value's 16 bytes as one
 * {@code v128}, byte 0 in lane 0 (the order a {@code v128.load} of those bytes gives; a uuid's
 * bytes in RFC/text order). An export whose signature takes {@code v128} where the canonical ABI
 * has a uuid's {@code (i64, i64)} or a bytea's {@code (ptr, len)} gets its arguments this way and
 * returns such a result directly, with no copy through memory ({@link io.wasmudf.sql.AbiLayout#vectorForm}).
 * A bytea argument of another length is an error (22026, as PostgreSQL's {@code bit(n)} length
 * mismatch). Not registered by name: {@link io.wasmudf.sql.SqlTypes#vectorForm} maps the two
 * types to these codecs, whose {@link #sqlName()} is the type's own.
 */
public final class V128Type extends SqlType {
    /** {@code uuid} as one v128. */
    public static final V128Type UUID_V128 = new V128Type("uuid", UUID.class, "Uuid");
    /** {@code bytea} of 16 bytes as one v128. */
    public static final V128Type BYTEA_V128 = new V128Type("bytea", byte[].class, "Bytes");

    /** The routines' name part: {@code toCoreUuid}, {@code liftBytes}, … */
    private final String suffix;

    private V128Type(String sqlName, Class<?> javaType, String suffix) {
        super(sqlName, List.of(), javaType, javaType);
        this.suffix = suffix;
    }

    @Override
    public List<ValType> flat() {
        return List.of(ValType.V128);
    }

    @Override
    public int size() {
        return 16;
    }

    @Override
    public int alignment() {
        return 16;
    }

    @Override
    public Lowering lowering() {
        Class<?> j = javaType();
        return new Lowering.Scalar(StaticCall.of(V128Type.class, "toCore" + suffix, Object.class, j),
                StaticCall.of(V128Type.class, "orZero" + suffix, Object.class, j));
    }

    @Override
    public StaticCall liftDirect() {
        return StaticCall.of(V128Type.class, "lift" + suffix, javaType(), Object.class);
    }

    @Override
    public StaticCall liftArea() {
        return StaticCall.of(V128Type.class, "liftArea" + suffix, javaType(), GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(V128Type.class, "liftOptional" + suffix, javaType(), GuestInstance.class, int.class);
    }

    // ---- uuid: RFC bytes 0-7 are the most significant long, big-endian; lane 0 is byte 0

    public static Object toCoreUuid(UUID u) {
        return new V128(Long.reverseBytes(u.getMostSignificantBits()), Long.reverseBytes(u.getLeastSignificantBits()));
    }

    public static Object orZeroUuid(UUID u) {
        return u == null ? V128.ZERO : toCoreUuid(u);
    }

    public static UUID liftUuid(Object v) {
        V128 x = (V128) v;
        return new UUID(Long.reverseBytes(x.lo()), Long.reverseBytes(x.hi()));
    }

    public static UUID liftAreaUuid(GuestInstance g, int addr) {
        return liftUuid(read(g, addr));
    }

    public static UUID liftOptionalUuid(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftAreaUuid(g, retptr + 16) : null;
    }

    // ---- bytea of exactly 16 bytes, in memory order

    public static Object toCoreBytes(byte[] b) {
        if (b.length != 16) {
            throw new AbiException(SqlStates.STRING_DATA_LENGTH_MISMATCH, "bytea length " + b.length
                    + " does not match the function's v128 parameter (16 bytes)");
        }
        return new V128(le(b, 0), le(b, 8));
    }

    public static Object orZeroBytes(byte[] b) {
        return b == null ? V128.ZERO : toCoreBytes(b);
    }

    public static byte[] liftBytes(Object v) {
        V128 x = (V128) v;
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (x.lo() >>> (8 * i));
            b[8 + i] = (byte) (x.hi() >>> (8 * i));
        }
        return b;
    }

    public static byte[] liftAreaBytes(GuestInstance g, int addr) {
        return liftBytes(read(g, addr));
    }

    public static byte[] liftOptionalBytes(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftAreaBytes(g, retptr + 16) : null;
    }

    private static long le(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** The 16 bytes at {@code addr} of a return area (the host's own pointer arithmetic: checked). */
    private static V128 read(GuestInstance g, int addr) {
        g.checkRange(addr, 16, "result v128");
        return new V128(g.memory().readLong(addr), g.memory().readLong(addr + 8));
    }
}
