package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.WasmFunction;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * Gives the runtime access to non-public parts of public API types without widening that API
 * (the "shared secrets" pattern).
 */
public final class Internals {
    /** Implemented by {@link WasmFunction} in its static initialiser. */
    public interface Access {
        int typeId(WasmFunction f);

        MethodHandle rawHandle(WasmFunction f);

        /** {@code f}'s function index if it is a defined function of {@code instance}, else -1. */
        int directIndex(WasmFunction f, Object instance);
    }

    private static volatile Access access;

    private Internals() {}

    /**
     * Called once, by {@link WasmFunction}'s static initialiser; any other implementation, and a
     * second install, are refused. (Public
     * only for the Java language: the package is not exported by the engine's module.)
     */
    public static synchronized void install(Access a) {
        if (!ownedByWasmFunction(a) || access != null) {
            throw new IllegalStateException("Internals.install is the engine's own business");
        }
        access = a;
    }

    /**
     * Whether {@code a}'s class is one of {@link WasmFunction}'s own nested classes: the JVM
     * validates a nest host against the host's list of members, so no class defined elsewhere can
     * claim it. Not the caller's class through {@code StackWalker}, which on JDK 24+ cost a young
     * JVM about 15 ms of the first instantiation (it sets up method-handle reflection for its
     * option enum; JDK 17: under 1 ms).
     */
    static boolean ownedByWasmFunction(Access a) {
        return a != null && a.getClass().getNestHost() == WasmFunction.class;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(WasmFunction.class.getName(), true, WasmFunction.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    public static int typeId(WasmFunction f) {
        return access().typeId(f);
    }

    public static MethodHandle rawHandle(WasmFunction f) {
        return access().rawHandle(f);
    }

    public static int directIndex(WasmFunction f, Object instance) {
        return access().directIndex(f, instance);
    }

    /** Wraps {@code target} so any Throwable is passed through {@code translate} (Throwable)Throwable and rethrown. */
    public static MethodHandle catching(MethodHandle target, MethodHandle translate) {
        MethodHandle thrower = MethodHandles.throwException(target.type().returnType(), Throwable.class);
        MethodHandle handler = MethodHandles.filterArguments(thrower, 0, translate);
        handler = MethodHandles.dropArguments(handler, 1, target.type().parameterList());
        return MethodHandles.catchException(target, Throwable.class, handler);
    }
}
