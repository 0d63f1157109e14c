package io.wasmudf.bench;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the compiled resource checks on the kernels: the same kernels on engines built with
 * no checks, interrupt checks, the {@code untrusted()} preset (interrupt + call-depth budget +
 * memory cap) and fuel metering. {@link #main} also measures how long an infinite loop runs past
 * its deadline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class LimitsBenchmarks {
    /** none | interrupt | untrusted | fuel */
    @Param({"none", "interrupt", "untrusted", "fuel"})
    public String checks;

    private MethodHandle add;
    private MethodHandle fib;
    private MethodHandle crc32;
    private int crcPtr;
    private MethodHandle sieve;
    private MethodHandle mandelbrot;

    static Engine engine(String checks) {
        switch (checks) {
            case "none": return Engine.create();
            case "interrupt": return Engine.builder().interruptible(true).build();
            case "untrusted": return Engine.builder().untrusted().maxMemoryPages(32767).build();
            case "fuel": return Engine.builder().fuel(true).build();
            default: throw new IllegalArgumentException(checks);
        }
    }

    @Setup
    public void setup() {
        Engine engine = engine(checks);
        add = OursKernels.instance(engine, "add").function("add").handle();
        fib = OursKernels.instance(engine, "fib").function("fib").handle();
        Instance crc = OursKernels.instance(engine, "crc32");
        crc32 = crc.function("crc32").handle();
        crcPtr = (Integer) crc.function("buffer").call()[0];
        byte[] input = Workloads.crcInput();
        crc.memory("memory").write(crcPtr, input, 0, input.length);
        sieve = OursKernels.instance(engine, "sieve").function("sieve").handle();
        mandelbrot = OursKernels.instance(engine, "mandelbrot").function("mandelbrot").handle();
    }

    @Benchmark
    public long add() throws Throwable {
        MethodHandle h = add;
        long sum = 0;
        for (int i = 0; i < Workloads.ADD_CALLS; i++) {
            sum += (int) h.invokeExact(i, 1);
        }
        return sum;
    }

    @Benchmark public int fib() throws Throwable { return (int) fib.invokeExact(Workloads.FIB_N); }

    @Benchmark public int crc32() throws Throwable { return (int) crc32.invokeExact(crcPtr, Workloads.CRC_BYTES); }

    @Benchmark public int sieve() throws Throwable { return (int) sieve.invokeExact(Workloads.SIEVE_N); }

    @Benchmark
    public int mandelbrot() throws Throwable {
        return (int) mandelbrot.invokeExact(Workloads.MANDEL_W, Workloads.MANDEL_H, Workloads.MANDEL_ITER);
    }

    /**
     * Deadline latency: runs the mandelbrot kernel on an image far too large for its deadline (so it loops for
     * good) and prints how long after the deadline the trap arrived, over {@code args[0]} runs
     * (default 20).
     */
    public static void main(String[] args) throws Throwable {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Instance instance = OursKernels.instance(Engine.builder().untrusted().maxMemoryPages(32767).build(), "mandelbrot");
        MethodHandle h = instance.function("mandelbrot").handle();
        double[] lateMs = new double[runs];
        for (int r = 0; r < runs; r++) {
            long deadline = System.nanoTime() + Duration.ofMillis(50).toNanos();
            instance.setDeadline(deadline);
            try {
                int ignored = (int) h.invokeExact(100_000, 100_000, 1_000_000);
                throw new IllegalStateException("finished before its deadline");
            } catch (Trap t) {
                if (t.kind() != TrapKind.TIMEOUT) {
                    throw t;
                }
            }
            lateMs[r] = (System.nanoTime() - deadline) / 1e6;
            instance.clearDeadline();
        }
        Arrays.sort(lateMs);
        System.out.printf("deadline overshoot over %d runs: median %.3f ms, max %.3f ms%n", runs, lateMs[runs / 2], lateMs[runs - 1]);
    }
}
