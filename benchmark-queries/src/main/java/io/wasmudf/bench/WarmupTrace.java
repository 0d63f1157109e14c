package io.wasmudf.bench;

import io.wasmudf.bench.corpus.Corpus;
import io.wasmudf.bench.corpus.QuickJsWorkload;
import io.wasmudf.bench.corpus.SqliteWorkload;
import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Per-run figures of one real-program workload in one JVM, to see where the warm-up goes:
 * {@code WarmupTrace sqlite|quickjs [runs]} prints, for runs 1..n, the wall-clock, the main thread's
 * CPU time, the process's CPU time (JIT and GC threads included), the JIT's compile time in that
 * run ({@link CompilationMXBean}) and the collectors' time ({@link GarbageCollectorMXBean}: pauses
 * the wall-clock counts and the main thread's CPU time does not). Combine with
 * {@code -XX:+PrintCompilation} or JFR for detail.
 */
final class WarmupTrace {
    private WarmupTrace() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "sqlite";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String name = which.equals("quickjs") ? "quickjs" : "sqljs";
        Corpus.Entry e = Corpus.fetch().orElseThrow().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        byte[] wasm = e.bytes();
        long c0 = System.nanoTime();
        CompiledModule m = Engine.create().compile(wasm);
        System.out.printf(Locale.ROOT, "# %s compiled in %.0f ms; load average %s%n", name, (System.nanoTime() - c0) / 1e6,
                new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).strip());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("run  wall_ms  main_cpu_ms  process_cpu_ms  jit_ms  gc_ms");
        String first = null;
        for (int i = 1; i <= runs; i++) {
            long w = System.nanoTime();
            long t = threads.getCurrentThreadCpuTime();
            long p = os.getProcessCpuTime();
            long j = jit.getTotalCompilationTime();
            long g = gcMillis();
            String out = which.equals("quickjs") ? QuickJsWorkload.run(m, wasm) : SqliteWorkload.run(m, wasm);
            System.out.printf(Locale.ROOT, "%3d  %7.1f  %11.1f  %14.1f  %6d  %5d%n", i, (System.nanoTime() - w) / 1e6,
                    (threads.getCurrentThreadCpuTime() - t) / 1e6, (os.getProcessCpuTime() - p) / 1e6,
                    jit.getTotalCompilationTime() - j, gcMillis() - g);
            if (first == null) {
                first = out;
            } else if (!first.equals(out)) {
                throw new IllegalStateException("run " + i + " printed something else");
            }
        }
        System.out.printf(Locale.ROOT, "# JIT total %d ms, GC total %d ms; load average %s%n", jit.getTotalCompilationTime(), gcMillis(),
                new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).strip());
    }

    /** Milliseconds all collectors have spent so far (young and old: the guest memories are large arrays). */
    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }
}
