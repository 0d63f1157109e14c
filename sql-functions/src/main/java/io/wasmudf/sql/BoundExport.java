package io.wasmudf.sql;

import java.lang.invoke.MethodHandle;
import java.lang.ref.WeakReference;

/**
 * An export of one {@link GuestInstance}, ready for per-row calls from generated bridge code:
 * {@link #handle} has exactly the ABI's core type, so callers use {@code invokeExact}. It
 * remembers which owner (a database session) it was bound for.
 */
public final class BoundExport {
    /** The instance the export belongs to; its lowering/lifting methods do the marshalling. */
    public final GuestInstance guest;
    /** The export, exact-typed ({@link AbiSignature#core()}). */
    public final MethodHandle handle;
    private final MethodHandle post;
    private final WeakReference<Object> owner;

    public BoundExport(GuestInstance guest, MethodHandle handle, MethodHandle post, Object owner) {
        this.guest = guest;
        this.handle = handle;
        this.post = post;
        this.owner = new WeakReference<>(owner);
        java.lang.invoke.MethodType t = handle.type();
        this.noPost = java.lang.invoke.MethodHandles.empty(java.lang.invoke.MethodType.methodType(void.class, t.returnType()));
    }

    private final MethodHandle noPost;

    /** The {@code cabi_post_<export>} handle, or a no-op of the same type when the module has none. */
    public MethodHandle post() {
        return post != null ? post : noPost;
    }

    /** The owner this binding was made for, or null once it is gone. */
    public Object owner() {
        return owner.get();
    }

    /** True if this binding was made for {@code owner}. */
    public boolean isOwnedBy(Object owner) {
        return this.owner.get() == owner;
    }

    /** True if this binding can serve {@code owner} now: same owner, instance not discarded. */
    public boolean isUsableBy(Object owner) {
        return this.owner.get() == owner && !guest.isDiscarded();
    }

    // cabi_post_<export> takes the export's results; these run it when the module has one.

    public void postI(int result) throws Throwable {
        if (post != null) {
            post.invokeExact(result);
        }
    }

    public void postJ(long result) throws Throwable {
        if (post != null) {
            post.invokeExact(result);
        }
    }

    public void postF(float result) throws Throwable {
        if (post != null) {
            post.invokeExact(result);
        }
    }

    public void postD(double result) throws Throwable {
        if (post != null) {
            post.invokeExact(result);
        }
    }
}
