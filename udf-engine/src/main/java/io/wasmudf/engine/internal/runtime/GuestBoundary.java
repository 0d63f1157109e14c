package io.wasmudf.engine.internal.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The entry into an instance from outside it (a host call, or another instance's call through an
 * import or table). Used only when the engine compiles interrupt or call-depth checks, so that:
 * <ul>
 * <li>a call that starts when no other call into the instance is running begins with the full
 *     call-stack budget and discards a stale {@code interrupt()} aimed at an earlier call;</li>
 * <li>a trap, which skips the give-back compiled before each return, cannot leave the budget of a
 *     surviving outer call short: the entry restores the value it saw.</li>
 * </ul>
 * Built from method-handle combinators so the exact-typed handle stays unboxed.
 */
public final class GuestBoundary {
    private static final MethodHandle ENTER;
    private static final MethodHandle LEAVE_V;
    private static final MethodHandle LEAVE_I;
    private static final MethodHandle LEAVE_J;
    private static final MethodHandle LEAVE_F;
    private static final MethodHandle LEAVE_D;
    private static final MethodHandle LEAVE_A;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            Class<?> s = ModuleInstance.class;
            ENTER = l.findStatic(GuestBoundary.class, "enter", MethodType.methodType(int.class, s));
            LEAVE_V = leave(l, void.class, "V");
            LEAVE_I = leave(l, int.class, "I");
            LEAVE_J = leave(l, long.class, "J");
            LEAVE_F = leave(l, float.class, "F");
            LEAVE_D = leave(l, double.class, "D");
            LEAVE_A = leave(l, Object.class, "A");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private GuestBoundary() {}

    private static MethodHandle leave(MethodHandles.Lookup l, Class<?> r, String suffix) throws ReflectiveOperationException {
        MethodType t = r == void.class
                ? MethodType.methodType(void.class, Throwable.class, int.class, ModuleInstance.class)
                : MethodType.methodType(r, Throwable.class, r, int.class, ModuleInstance.class);
        return l.findStatic(GuestBoundary.class, "leave" + suffix, t);
    }

    /**
     * Wraps {@code target}, of type {@code (params..., ModuleInstance) -> result} (a compiled
     * function with its instance as last argument), in the boundary of the instance it is given.
     */
    public static MethodHandle wrap(MethodHandle target) {
        MethodType type = target.type();
        Class<?> r = type.returnType();
        List<Class<?>> params = type.parameterList().subList(0, type.parameterCount() - 1);
        MethodHandle cleanup;
        if (r == void.class) {
            cleanup = LEAVE_V;
        } else if (r == int.class) {
            cleanup = LEAVE_I;
        } else if (r == long.class) {
            cleanup = LEAVE_J;
        } else if (r == float.class) {
            cleanup = LEAVE_F;
        } else if (r == double.class) {
            cleanup = LEAVE_D;
        } else {
            cleanup = LEAVE_A.asType(MethodType.methodType(r, Throwable.class, r, int.class, ModuleInstance.class));
        }
        // cleanup sees (throwable, [result], saved budget, params..., instance)
        cleanup = MethodHandles.dropArguments(cleanup, cleanup.type().parameterCount() - 1, params);
        MethodHandle body = MethodHandles.dropArguments(target, 0, int.class);
        MethodHandle guarded = MethodHandles.tryFinally(body, cleanup);
        // enter sees (params..., instance) and its result becomes the saved budget
        MethodHandle enter = MethodHandles.dropArguments(ENTER, 0, params);
        return MethodHandles.foldArguments(guarded, 0, enter);
    }

    /** Returns the budget to restore if the call ends with a throwable. */
    private static int enter(ModuleInstance s) {
        if (s.activeHostCalls++ == 0) {
            s.stackBudget = s.stackBudgetLimit;
            if ((s.interruptFlags & ModuleInstance.CANCEL) != 0) {
                s.setInterruptBits(ModuleInstance.CANCEL, false);
            }
        }
        return s.stackBudget;
    }

    private static void leaveV(Throwable t, int saved, ModuleInstance s) {
        s.activeHostCalls--;
        if (t != null) {
            s.stackBudget = saved;
        }
    }

    private static int leaveI(Throwable t, int r, int saved, ModuleInstance s) {
        leaveV(t, saved, s);
        return r;
    }

    private static long leaveJ(Throwable t, long r, int saved, ModuleInstance s) {
        leaveV(t, saved, s);
        return r;
    }

    private static float leaveF(Throwable t, float r, int saved, ModuleInstance s) {
        leaveV(t, saved, s);
        return r;
    }

    private static double leaveD(Throwable t, double r, int saved, ModuleInstance s) {
        leaveV(t, saved, s);
        return r;
    }

    private static Object leaveA(Throwable t, Object r, int saved, ModuleInstance s) {
        leaveV(t, saved, s);
        return r;
    }
}
