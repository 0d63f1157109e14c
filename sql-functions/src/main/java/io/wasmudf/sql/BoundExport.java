package io.wasmudf.sql;

import io.wasmudf.engine.Instance;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;

/**
 * An export of one {@link GuestInstance}, ready for per-row calls from generated bridge code:
 * {@link #handle} has exactly the ABI's core type, so callers use {@code invokeExact}. It
 * remembers which owner (a database session) it was bound for.
 */
public final class BoundExport {
    /** The instance the export belongs to; its lowering/lifting methods do the marshalling. */
    public final GuestInstance guest;
    /** {@code guest.instance()}, kept here so the per-row path reaches it with one load fewer. */
    public final Instance instance;
    /** The export, exact-typed ({@link AbiLayout#core()}). */
    public final MethodHandle handle;
    /** {@code cabi_post_<export>}, or a no-op of the same type when the module has none. */
    private final MethodHandle post;
    private final WeakReference<Object> owner;

    public BoundExport(GuestInstance guest, MethodHandle handle, MethodHandle post, Object owner) {
        this.guest = guest;
        this.instance = guest.instance();
        this.handle = handle;
        this.post = post != null ? post : MethodHandles.empty(MethodType.methodType(void.class, handle.type().returnType()));
        this.owner = new WeakReference<>(owner);
    }

    /** The {@code cabi_post_<export>} handle, or a no-op of the same type when the module has none. */
    public MethodHandle post() {
        return post;
    }

    /** The owner this binding was made for, or null once it is gone. */
    public Object owner() {
        return owner.get();
    }

    /** True if this binding can serve {@code owner} now: same owner, instance not discarded. */
    public boolean isUsableBy(Object owner) {
        return this.owner.get() == owner && !guest.isDiscarded();
    }
}
