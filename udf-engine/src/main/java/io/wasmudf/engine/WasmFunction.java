package io.wasmudf.engine;

import java.lang.invoke.MethodHandle;

/**
 * A function instance: an export of an instance, a table element of type funcref, or a host
 * function given as an import. {@link #handle()} has exactly {@code type().methodType()}, so a
 * caller can use {@code invokeExact} without boxing.
 */
public final class WasmFunction {
    // TODO(engine helper): implement; the fields and constructor shape are yours to choose.

    /** A host function; {@code handle} must have exactly {@code type.methodType()}. */
    public static WasmFunction host(FuncType type, java.lang.invoke.MethodHandle handle) {
        throw new UnsupportedOperationException("TODO");
    }

    public FuncType type() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The exact-typed handle ({@code type().methodType()}); traps surface as {@link Trap}. */
    public MethodHandle handle() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The generic (tool) path: arguments boxed as {@code Integer, Long, Float, Double} or references;
     * returns the results boxed likewise (empty array for none). Throws {@link Trap} on a trap.
     */
    public Object[] call(Object... args) {
        throw new UnsupportedOperationException("TODO");
    }
}
