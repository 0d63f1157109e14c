package io.wasmudf.bench;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Memory;
import java.lang.invoke.MethodHandle;

/**
 * The call-heavy kernels on our engine with each handle in a {@code static final} field, which
 * the JIT treats as a constant and can inline through (a field of an object is not trusted).
 */
public final class OursStatic {
    private static final MethodHandle ADD;
    private static final MethodHandle FIB;
    private static final MethodHandle UTF8_LEN;
    private static final Memory UTF8_MEMORY;
    private static final int UTF8_PTR;

    static {
        Engine engine = Engine.create();
        ADD = OursKernels.instance(engine, "add").function("add").handle();
        FIB = OursKernels.instance(engine, "fib").function("fib").handle();
        Instance utf8 = OursKernels.instance(engine, "utf8");
        UTF8_LEN = utf8.function("utf8_len").handle();
        UTF8_MEMORY = utf8.memory("memory");
        UTF8_PTR = (Integer) utf8.function("input").call()[0];
    }

    private OursStatic() {}

    public static long addLoop() throws Throwable {
        long sum = 0;
        for (int i = 0; i < Workloads.ADD_CALLS; i++) {
            sum += (int) ADD.invokeExact(i, 1);
        }
        return sum;
    }

    public static int fib() throws Throwable {
        return (int) FIB.invokeExact(Workloads.FIB_N);
    }

    public static long utf8Loop() throws Throwable {
        long sum = 0;
        for (int i = 0; i < Workloads.UTF8_CALLS; i++) {
            byte[] s = Workloads.utf8(i);
            UTF8_MEMORY.write(UTF8_PTR, s, 0, s.length);
            sum += (int) UTF8_LEN.invokeExact(UTF8_PTR, s.length);
        }
        return sum;
    }
}
