package io.wasmudf.sql.types;

import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.StaticCall;
import java.util.List;

/** {@code bytea}: a canonical-ABI {@code list<u8>}, {@code (ptr, len)}, copied as it is. */
public final class ByteaType extends ListType {
    /** {@code bytea} (H2's {@code varbinary}, {@code blob}). */
    public static final ByteaType BYTEA = new ByteaType();

    private ByteaType() {
        super("bytea", List.of("varbinary", "binary varying", "binary large object", "blob"), byte[].class);
    }

    @Override
    public Lowering lowering() {
        return new Lowering.Allocated(
                StaticCall.of(ByteaType.class, "plan", long.class, GuestInstance.class, byte[].class),
                StaticCall.of(ByteaType.class, "align", int.class, long.class),
                StaticCall.of(ByteaType.class, "allocation", int.class, long.class),
                StaticCall.of(ByteaType.class, "write", long.class, GuestInstance.class, byte[].class, long.class, int.class));
    }

    @Override
    public StaticCall liftArea() {
        return StaticCall.of(ByteaType.class, "lift", byte[].class, GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(ByteaType.class, "liftOptional", byte[].class, GuestInstance.class, int.class);
    }

    /** The plan of bytes is their length. */
    public static long plan(GuestInstance g, byte[] b) {
        return b.length;
    }

    public static int align(long plan) {
        return 1;
    }

    public static int allocation(long plan) {
        return (int) plan;
    }

    /** Copies {@code b} to {@code ptr}, which {@code cabi_realloc} returned for {@code b.length} bytes; returns {@code (ptr << 32) | len}. */
    public static long write(GuestInstance g, byte[] b, long plan, int ptr) {
        g.checkAllocation(ptr, b.length);
        System.arraycopy(b, 0, g.memory().buffer(), ptr, b.length);
        return (long) ptr << 32 | (b.length & 0xFFFFFFFFL);
    }

    /** The bytes a return area {@code (ptr, len)} at {@code retptr} points to. */
    public static byte[] lift(GuestInstance g, int retptr) {
        int ptr = g.memory().readInt(retptr);
        int len = g.memory().readInt(retptr + 4);
        g.checkRange(ptr, len, "result bytes");
        return g.memory().read(ptr, len);
    }

    public static byte[] liftOptional(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? lift(g, retptr + 4) : null;
    }
}
