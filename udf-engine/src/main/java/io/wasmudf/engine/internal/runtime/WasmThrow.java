package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;

/**
 * A WebAssembly exception in flight, and the {@code exnref} value that refers to it: the tag's
 * identity and the payload, boxed ({@code Integer, Long, Float, Double}, references as they are).
 * Compiled code catches only this class, so a handler never sees a trap, a resource limit, a
 * {@code StackOverflowError} or a host's exception. No stack trace and no suppression: a throw
 * is a branch to the handler, and {@code throw_ref} rethrows the same object.
 */
public final class WasmThrow extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The {@link io.wasmudf.engine.Tag} it was thrown with (compared by identity). */
    public final Object tag;
    /** The payload, one element per parameter of the tag's type. */
    public final Object[] payload;

    public WasmThrow(Object tag, Object[] payload) {
        super(null, null, false, false);
        this.tag = tag;
        this.payload = payload;
    }

    /** For {@code throw}: the exception of {@code tag} with {@code payload} (null for none). */
    public static WasmThrow create(Object[] payload, Object tag) {
        return new WasmThrow(tag, payload);
    }

    /** For {@code throw_ref}: the exception an exnref names; a null one traps. */
    public static WasmThrow rethrow(Object exn) {
        if (exn == null) {
            throw new Trap(TrapKind.NULL_EXCEPTION_REFERENCE);
        }
        return (WasmThrow) exn;
    }

    /** What an uncaught exception becomes at the host boundary: a trap naming the tag. */
    public Trap toTrap() {
        return new Trap(TrapKind.UNCAUGHT_EXCEPTION, "tag " + tag);
    }

    @Override
    public String getMessage() {
        return "uncaught WebAssembly exception with tag " + tag;
    }
}
