package io.wasmudf.bench;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Grants;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.udfs.UdfModules;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What imports cost. {@code loop*}: a guest loop of {@link #CALLS} calls of an imported host
 * function ({@code (i32) -> i32}, a Java static method), of the same function defined in the module
 * (the JIT inlines it: the loop's own cost), and of WASI's {@code clock_time_get} under a fixed
 * clock; ns per call. {@code udf}: one canonical-ABI call (argument copied in through
 * {@code cabi_realloc}, then the export) of the same source built freestanding and with WASI:
 * Rust's {@code iban_valid} for wasm32-unknown-unknown and wasm32-wasi, C's {@code utf8_length}
 * freestanding and against wasi-libc. All on the {@code untrusted()} engine the SQL layer uses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HostCallBenchmarks {
    static final int CALLS = 1_000_000;
    static final Engine ENGINE = Engine.builder().untrusted().build();

    private static int inc(int x) {
        return x + 1;
    }

    /** The import loops. */
    @State(Scope.Benchmark)
    public static class Loops {
        MethodHandle loopHost;
        MethodHandle loopLocal;
        MethodHandle loopClock;

        @Setup
        public void setup() throws ReflectiveOperationException {
            FuncType i2i = FuncType.of(List.of(ValType.I32), List.of(ValType.I32));
            MethodHandle inc = MethodHandles.lookup().findStatic(HostCallBenchmarks.class, "inc",
                    MethodType.methodType(int.class, int.class));
            Instance host = ENGINE.compile(Workloads.module("hostcall"))
                    .instantiate(Imports.builder().add("bench", "inc", WasmFunction.host(i2i, inc)).build());
            loopHost = host.function("loop_host").handle();
            loopLocal = host.function("loop_local").handle();
            HostedInstance wasi = HostEnvironment.builder().grants(Grants.DETERMINISTIC).build()
                    .instantiate(ENGINE.compile(Workloads.module("wasicall")), ENGINE.defaultLimits());
            loopClock = wasi.instance().function("loop_clock").handle();
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int loopHostImport(Loops s) throws Throwable {
        return (int) s.loopHost.invokeExact(CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int loopLocalFunction(Loops s) throws Throwable {
        return (int) s.loopLocal.invokeExact(CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int loopWasiClock(Loops s) throws Throwable {
        return (int) s.loopClock.invokeExact(CALLS);
    }

    /** One UDF module instantiated in the host environment, with a text argument to pass. */
    @State(Scope.Benchmark)
    public static class Udf {
        /** rust-udfs | rust-udfs-wasi (iban_valid) | strings | wasi-strings (utf8_length) */
        @Param({"rust-udfs", "rust-udfs-wasi", "strings", "wasi-strings"})
        public String module;

        MethodHandle realloc;
        MethodHandle function;
        Memory memory;
        byte[] arg;

        @Setup
        public void setup() {
            CompiledModule m = ENGINE.compile(UdfModules.bytes(module));
            HostedInstance h = HostEnvironment.builder().grants(Grants.DETERMINISTIC).build().instantiate(m, ENGINE.defaultLimits());
            realloc = h.instance().function("cabi_realloc").handle();
            function = h.instance().function(module.startsWith("rust") ? "iban_valid" : "utf8_length").handle();
            memory = h.instance().memory("memory");
            arg = (module.startsWith("rust") ? "GB82WEST12345698765432" : "Grüße aus Köln, 2026!").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public int udf(Udf s) throws Throwable {
        byte[] a = s.arg;
        int ptr = (int) s.realloc.invokeExact(0, 0, 1, a.length);
        s.memory.write(ptr, a, 0, a.length);
        return (int) s.function.invokeExact(ptr, a.length);
    }
}
