package io.wasmudf.bench;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Memory;
import java.lang.invoke.MethodHandle;
import java.util.function.IntBinaryOperator;

/**
 * The kernels on our engine, each export called through its exact-typed {@code MethodHandle}
 * held in a final instance field (see {@link OursStatic} for the {@code static final} variant);
 * the call-heavy ones also through {@code WasmFunction.as(IntBinaryOperator.class)} in a field.
 */
public final class OursKernels {
    private final MethodHandle add;
    private final IntBinaryOperator addInterface;
    private final MethodHandle fib;
    private final MethodHandle crc32;
    private final int crcPtr;
    private final MethodHandle sieve;
    private final MethodHandle mandelbrot;
    private final MethodHandle utf8Len;
    private final IntBinaryOperator utf8LenInterface;
    private final Memory utf8Memory;
    private final int utf8Ptr;

    public OursKernels() {
        Engine engine = Engine.create();
        Instance adder = instance(engine, "add");
        add = adder.function("add").handle();
        addInterface = adder.function("add").as(IntBinaryOperator.class);
        fib = instance(engine, "fib").function("fib").handle();
        Instance crc = instance(engine, "crc32");
        crc32 = crc.function("crc32").handle();
        crcPtr = (Integer) crc.function("buffer").call()[0];
        byte[] input = Workloads.crcInput();
        crc.memory("memory").write(crcPtr, input, 0, input.length);
        sieve = instance(engine, "sieve").function("sieve").handle();
        mandelbrot = instance(engine, "mandelbrot").function("mandelbrot").handle();
        Instance utf8 = instance(engine, "utf8");
        utf8Len = utf8.function("utf8_len").handle();
        utf8LenInterface = utf8.function("utf8_len").as(IntBinaryOperator.class);
        utf8Memory = utf8.memory("memory");
        utf8Ptr = (Integer) utf8.function("input").call()[0];
    }

    static Instance instance(Engine engine, String module) {
        return engine.compile(Workloads.module(module)).instantiate();
    }

    public long addLoop() throws Throwable {
        MethodHandle h = add;
        long sum = 0;
        for (int i = 0; i < Workloads.ADD_CALLS; i++) {
            sum += (int) h.invokeExact(i, 1);
        }
        return sum;
    }

    public long addInterfaceLoop() {
        IntBinaryOperator f = addInterface;
        long sum = 0;
        for (int i = 0; i < Workloads.ADD_CALLS; i++) {
            sum += f.applyAsInt(i, 1);
        }
        return sum;
    }

    public int fib() throws Throwable {
        return (int) fib.invokeExact(Workloads.FIB_N);
    }

    public int crc32() throws Throwable {
        return (int) crc32.invokeExact(crcPtr, Workloads.CRC_BYTES);
    }

    public int sieve() throws Throwable {
        return (int) sieve.invokeExact(Workloads.SIEVE_N);
    }

    public int mandelbrot() throws Throwable {
        return (int) mandelbrot.invokeExact(Workloads.MANDEL_W, Workloads.MANDEL_H, Workloads.MANDEL_ITER);
    }

    public long utf8Loop() throws Throwable {
        MethodHandle h = utf8Len;
        Memory m = utf8Memory;
        int ptr = utf8Ptr;
        long sum = 0;
        for (int i = 0; i < Workloads.UTF8_CALLS; i++) {
            byte[] s = Workloads.utf8(i);
            m.write(ptr, s, 0, s.length);
            sum += (int) h.invokeExact(ptr, s.length);
        }
        return sum;
    }

    public long utf8InterfaceLoop() {
        IntBinaryOperator f = utf8LenInterface;
        Memory m = utf8Memory;
        int ptr = utf8Ptr;
        long sum = 0;
        for (int i = 0; i < Workloads.UTF8_CALLS; i++) {
            byte[] s = Workloads.utf8(i);
            m.write(ptr, s, 0, s.length);
            sum += f.applyAsInt(ptr, s.length);
        }
        return sum;
    }
}
