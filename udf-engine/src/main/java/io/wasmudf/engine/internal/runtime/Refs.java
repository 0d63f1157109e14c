package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.WasmFunction;
import java.lang.invoke.MethodHandle;

/** Typed function reference instructions (3.0), called from generated code. */
public final class Refs {
    private Refs() {}

    /** The raw handle a {@code call_ref} invokes (validation guarantees a function of the right type). */
    public static MethodHandle callee(Object ref) {
        if (ref == null) {
            throw new Trap(TrapKind.NULL_FUNCTION_REFERENCE);
        }
        return Internals.rawHandle((WasmFunction) ref);
    }

    /**
     * The function index of {@code ref} when it is a defined function of {@code self}, else -1:
     * a {@code return_call_ref} bridge then calls that function's body directly; traps on null.
     */
    public static int tailIndex(Object ref, ModuleInstance self) {
        if (ref == null) {
            throw new Trap(TrapKind.NULL_FUNCTION_REFERENCE);
        }
        return Internals.directIndex((WasmFunction) ref, self);
    }

    public static Object asNonNull(Object ref) {
        if (ref == null) {
            throw new Trap(TrapKind.NULL_REFERENCE);
        }
        return ref;
    }

    /** {@code ref.eq}: identity, except that i31 values (boxed) compare by value. */
    public static int eq(Object a, Object b) {
        if (a == b) {
            return 1;
        }
        return a instanceof GcI31 x && b instanceof GcI31 y && x.bits == y.bits ? 1 : 0;
    }
}
