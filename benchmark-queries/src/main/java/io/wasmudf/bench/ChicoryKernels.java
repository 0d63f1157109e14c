package io.wasmudf.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;

/** The kernels on Chicory with its (runtime) bytecode compiler, through its {@code long[]} API. */
public final class ChicoryKernels {
    private final ExportFunction add;
    private final ExportFunction fib;
    private final ExportFunction crc32;
    private final int crcPtr;
    private final ExportFunction sieve;
    private final ExportFunction mandelbrot;
    private final ExportFunction utf8Len;
    private final Memory utf8Memory;
    private final int utf8Ptr;

    public ChicoryKernels() {
        add = instance("add").export("add");
        fib = instance("fib").export("fib");
        Instance crc = instance("crc32");
        crc32 = crc.export("crc32");
        crcPtr = (int) crc.export("buffer").apply()[0];
        crc.memory().write(crcPtr, Workloads.crcInput());
        sieve = instance("sieve").export("sieve");
        mandelbrot = instance("mandelbrot").export("mandelbrot");
        Instance utf8 = instance("utf8");
        utf8Len = utf8.export("utf8_len");
        utf8Memory = utf8.memory();
        utf8Ptr = (int) utf8.export("input").apply()[0];
    }

    /** Parses and compiles {@code module} from the resources and instantiates it. */
    static Instance instance(String module) {
        WasmModule m = Parser.parse(Workloads.module(module));
        return Instance.builder(m).withMachineFactory(MachineFactoryCompiler.compile(m)).build();
    }

    public long addLoop() {
        ExportFunction f = add;
        long sum = 0;
        for (int i = 0; i < Workloads.ADD_CALLS; i++) {
            sum += (int) f.apply(i, 1)[0];
        }
        return sum;
    }

    public int fib() {
        return (int) fib.apply(Workloads.FIB_N)[0];
    }

    public int crc32() {
        return (int) crc32.apply(crcPtr, Workloads.CRC_BYTES)[0];
    }

    public int sieve() {
        return (int) sieve.apply(Workloads.SIEVE_N)[0];
    }

    public int mandelbrot() {
        return (int) mandelbrot.apply(Workloads.MANDEL_W, Workloads.MANDEL_H, Workloads.MANDEL_ITER)[0];
    }

    public long utf8Loop() {
        ExportFunction f = utf8Len;
        Memory m = utf8Memory;
        int ptr = utf8Ptr;
        long sum = 0;
        for (int i = 0; i < Workloads.UTF8_CALLS; i++) {
            byte[] s = Workloads.utf8(i);
            m.write(ptr, s, 0, s.length);
            sum += (int) f.apply(ptr, s.length)[0];
        }
        return sum;
    }
}
