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
     * Called once, by {@link WasmFunction}'s static initialiser; any other caller is refused. (Public
     * only for the Java language: the package is not exported by the engine's module.)
     */
    public static void install(Access a) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller != WasmFunction.class || access != null) {
            throw new IllegalStateException("Internals.install is the engine's own business");
        }
        access = a;
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
