package io.wasmudf.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decode + validate + compile of the same bytes (ours: a fresh {@link Engine} per operation so its
 * cache never answers; Chicory: parse + compile), and instantiate + first call of an already
 * compiled module. Small = sqlbench.wasm (2 KB, the per-row UDFs), large = large.wasm (~440 KB,
 * 1225 functions, from kernels/gen_large.py).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmarks {

    /** The module bytes. */
    @State(Scope.Benchmark)
    public static class Bytes {
        byte[] small;
        byte[] large;

        @Setup
        public void setup() {
            small = Workloads.module("sqlbench");
            large = Workloads.module("large");
        }
    }

    /** The small module already compiled by each runtime. */
    @State(Scope.Benchmark)
    public static class Compiled {
        CompiledModule ours;
        WasmModule chicoryModule;
        Function<Instance, Machine> chicoryMachine;

        @Setup
        public void setup() {
            byte[] small = Workloads.module("sqlbench");
            ours = Engine.create().compile(small);
            chicoryModule = Parser.parse(small);
            chicoryMachine = MachineFactoryCompiler.compile(chicoryModule);
        }
    }

    @Benchmark public Object compileSmall_ours(Bytes b) { return Engine.create().compile(b.small); }
    @Benchmark public Object compileSmall_chicory(Bytes b) { return chicoryCompile(b.small); }
    @Benchmark public Object compileLarge_ours(Bytes b) { return Engine.create().compile(b.large); }
    @Benchmark public Object compileLarge_chicory(Bytes b) { return chicoryCompile(b.large); }

    /** A Chicory module is usable only once its machine factory exists, so both steps count. */
    private static Object chicoryCompile(byte[] bytes) {
        WasmModule m = Parser.parse(bytes);
        return MachineFactoryCompiler.compile(m);
    }

    @Benchmark
    public int instantiateCall_ours(Compiled c) throws Throwable {
        MethodHandle inc = c.ours.instantiate().function("inc").handle();
        return (int) inc.invokeExact(41);
    }

    @Benchmark
    public long instantiateCall_chicory(Compiled c) {
        Instance i = Instance.builder(c.chicoryModule).withMachineFactory(c.chicoryMachine).build();
        return i.export("inc").apply(41)[0];
    }
}
