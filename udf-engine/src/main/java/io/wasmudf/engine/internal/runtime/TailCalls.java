package io.wasmudf.engine.internal.runtime;

import java.lang.invoke.MethodHandle;

/**
 * The trampoline of Wasm tail calls, called from generated code. A {@code return_call} stores its
 * arguments in the instance, leaves the callee in {@link ModuleInstance#tailNext} and returns (with
 * placeholder results); the method of every function that contains a tail call ends by calling
 * {@code finish}, which runs pending callees one after the other in this loop until one returns
 * without leaving another. The JVM stack therefore stays flat however long the chain, and each
 * callee is an ordinary function entry: fuel, interrupt and call-depth checks run as for a call.
 * One variant per JVM result type (references and multiple results as {@code Object}).
 */
public final class TailCalls {
    private TailCalls() {}

    public static void finishV(ModuleInstance self) throws Throwable {
        MethodHandle next = self.tailNext;
        while (next != null) {
            self.tailNext = null;
            next.invokeExact(self);
            next = self.tailNext;
        }
    }

    public static int finishI(int result, ModuleInstance self) throws Throwable {
        MethodHandle next = self.tailNext;
        while (next != null) {
            self.tailNext = null;
            result = (int) next.invokeExact(self);
            next = self.tailNext;
        }
        return result;
    }

    public static long finishJ(long result, ModuleInstance self) throws Throwable {
        MethodHandle next = self.tailNext;
        while (next != null) {
            self.tailNext = null;
            result = (long) next.invokeExact(self);
            next = self.tailNext;
        }
        return result;
    }

    public static float finishF(float result, ModuleInstance self) throws Throwable {
        MethodHandle next = self.tailNext;
        while (next != null) {
            self.tailNext = null;
            result = (float) next.invokeExact(self);
            next = self.tailNext;
        }
        return result;
    }

    public static double finishD(double result, ModuleInstance self) throws Throwable {
        MethodHandle next = self.tailNext;
        while (next != null) {
            self.tailNext = null;
            result = (double) next.invokeExact(self);
            next = self.tailNext;
        }
        return result;
    }

    public static Object finishL(Object result, ModuleInstance self) throws Throwable {
        MethodHandle next = self.tailNext;
        while (next != null) {
            self.tailNext = null;
            result = (Object) next.invokeExact(self);
            next = self.tailNext;
        }
        return result;
    }
}
