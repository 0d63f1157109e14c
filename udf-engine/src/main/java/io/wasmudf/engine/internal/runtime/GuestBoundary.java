package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The entry into an instance from outside it (a host call, or another instance's call through an
 * import or table). Used only when the engine compiles interrupt or call-depth checks and the
 * function entered can reach one ({@link #needed}), so that:
 * <ul>
 * <li>a call that starts when no other call into the instance is running begins with the full
 *     call-stack budget and a new call epoch, so a stale {@code interrupt()} aimed at an earlier
 *     call is ignored;</li>
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
    private static final MethodHandle LEAVE_THROWN;

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
            LEAVE_THROWN = l.findStatic(GuestBoundary.class, "leaveThrown",
                    MethodType.methodType(void.class, Throwable.class, int.class, ModuleInstance.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private GuestBoundary() {}

    private static MethodHandle leave(MethodHandles.Lookup l, Class<?> r, String suffix) throws ReflectiveOperationException {
        MethodType t = r == void.class
                ? MethodType.methodType(void.class, int.class, ModuleInstance.class)
                : MethodType.methodType(r, r, int.class, ModuleInstance.class);
        return l.findStatic(GuestBoundary.class, "leave" + suffix, t);
    }

    /**
     * Wraps {@code target}, of type {@code (params..., ModuleInstance) -> result} (a compiled
     * function with its instance as last argument), in the boundary of the instance it is given.
     * Built as enter / call / leave-on-return / leave-on-throw rather than with
     * {@code MethodHandles.tryFinally}, which boxes the arguments of every call (JDK 17).
     */
    public static MethodHandle wrap(MethodHandle target) {
        MethodType type = target.type();
        Class<?> r = type.returnType();
        List<Class<?>> args = type.parameterList(); // params..., instance
        int n = args.size();
        MethodHandle leave;
        if (r == void.class) {
            leave = LEAVE_V;
        } else if (r == int.class) {
            leave = LEAVE_I;
        } else if (r == long.class) {
            leave = LEAVE_J;
        } else if (r == float.class) {
            leave = LEAVE_F;
        } else if (r == double.class) {
            leave = LEAVE_D;
        } else {
            leave = LEAVE_A.asType(MethodType.methodType(r, r, int.class, ModuleInstance.class));
        }
        // leave: ([result], saved, params..., instance) -> result
        leave = MethodHandles.dropArguments(leave, leave.type().parameterCount() - 1, args.subList(0, n - 1));
        // body: (saved, params..., instance) -> result
        MethodHandle body = MethodHandles.dropArguments(target, 0, int.class);
        MethodHandle both = MethodHandles.collectArguments(leave, 0, body);
        int[] twice = new int[2 * (n + 1)];
        for (int i = 0; i <= n; i++) {
            twice[i] = i;
            twice[n + 1 + i] = i;
        }
        MethodHandle normal = MethodHandles.permuteArguments(both, body.type(), twice);
        // on a throwable: restore, then rethrow
        MethodHandle rethrow = MethodHandles.dropArguments(MethodHandles.throwException(r, Throwable.class), 1, body.type().parameterList());
        MethodHandle restore = MethodHandles.dropArguments(LEAVE_THROWN, 2, args.subList(0, n - 1));
        MethodHandle handler = MethodHandles.foldArguments(rethrow, restore);
        MethodHandle guarded = MethodHandles.catchException(normal, Throwable.class, handler);
        // enter sees (params..., instance) and its result becomes the saved budget
        MethodHandle enter = MethodHandles.dropArguments(ENTER, 0, args.subList(0, n - 1));
        return MethodHandles.foldArguments(guarded, 0, enter);
    }

    /**
     * Whether calls into {@code body} need the boundary. A body without calls and loops compiles
     * no interrupt check and no call-stack accounting (see {@code CheckEmitter}: leaves skip
     * both at entry) and runs in bounded time, so the boundary would guard nothing; leaving it
     * out saves a typical scalar UDF's per-row call half a dozen field updates.
     */
    public static boolean needed(FunctionBody body) {
        for (Instruction in : body.code()) {
            int op = in.opcode();
            if (op == Opcodes.CALL || op == Opcodes.CALL_INDIRECT || op == Opcodes.LOOP
                    || op == io.wasmudf.engine.internal.model.RefOpcodes.CALL_REF) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code s.callExport(index, args)} inside the boundary, as {@link #wrap} builds it for a
     * handle: the generic call's path, without combinators a young JVM would spin classes for.
     */
    public static Object callExport(ModuleInstance s, int index, Object[] args) {
        int saved = enter(s);
        Object r;
        try {
            r = s.callExport(index, args);
        } catch (Throwable t) {
            leaveThrown(t, saved, s);
            throw t;
        }
        leaveV(saved, s);
        return r;
    }

    /** Returns the budget to restore if the call ends with a throwable. Small enough to inline. */
    private static int enter(ModuleInstance s) {
        if (s.activeHostCalls++ == 0) {
            begin(s);
        }
        return s.stackBudget;
    }

    /**
     * Starts an outermost call, or a unit of calls ({@code Instance.beginCalls()}), with no other
     * call into the instance running: full budget, and a new epoch so that a cancel aimed at an
     * earlier call is ignored. Plain fields only: a volatile read here would stop the JIT from
     * optimising loops that call guests (measured: 15x on a 10M-call loop).
     */
    public static void begin(ModuleInstance s) {
        s.stackBudget = s.stackBudgetLimit;
        s.callEpoch++;
    }

    private static void leaveV(int saved, ModuleInstance s) {
        s.activeHostCalls--;
    }

    private static void leaveThrown(Throwable t, int saved, ModuleInstance s) {
        s.activeHostCalls--;
        s.stackBudget = saved;
    }

    private static int leaveI(int r, int saved, ModuleInstance s) {
        leaveV(saved, s);
        return r;
    }

    private static long leaveJ(long r, int saved, ModuleInstance s) {
        leaveV(saved, s);
        return r;
    }

    private static float leaveF(float r, int saved, ModuleInstance s) {
        leaveV(saved, s);
        return r;
    }

    private static double leaveD(double r, int saved, ModuleInstance s) {
        leaveV(saved, s);
        return r;
    }

    private static Object leaveA(Object r, int saved, ModuleInstance s) {
        leaveV(saved, s);
        return r;
    }
}
