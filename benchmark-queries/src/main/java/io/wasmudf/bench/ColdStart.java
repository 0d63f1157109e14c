package io.wasmudf.bench;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code java -cp ... io.wasmudf.bench.ColdStart [RUNS]}: the first call of the large module's
 * {@code run_all} (444 KB, 1225 functions) in a fresh JVM — bytes to result: engine, compile or
 * code-cache load, instantiate, call — with the persistent code cache cold (empty directory) and
 * warm (filled by an earlier JVM), RUNS fresh JVMs each (default 5), medians in milliseconds. The
 * JVM start itself is not counted: the clock starts in {@code main}. Also the process CPU time
 * over the same span, a figure a loaded machine distorts less than wall time.
 */
public final class ColdStart {
    private ColdStart() {}

    public static void main(String[] args) throws Throwable {
        if (args.length >= 2 && args[0].equals("child")) {
            child(args[1]);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        byte[] large = Workloads.module("large");
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        List<Double> none = new ArrayList<>();
        List<Double> noneCpu = new ArrayList<>();
        List<Double> coldCpu = new ArrayList<>();
        List<Double> warmCpu = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Path dir = Files.createTempDirectory("wasmudf-coldstart");
            try {
                none.add(run("none"));
                noneCpu.add(lastCpu);
                cold.add(run(dir.toString()));
                coldCpu.add(lastCpu);
                warm.add(run(dir.toString()));
                warmCpu.add(lastCpu);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "first call of large.wasm (%d bytes) run_all in a fresh JVM, median of %d JVMs each:%n", large.length, runs);
        System.out.printf(Locale.ROOT, "  no code cache:          %8.1f ms  %s%n", median(none), none);
        System.out.printf(Locale.ROOT, "  code cache cold (write): %7.1f ms  %s%n", median(cold), cold);
        System.out.printf(Locale.ROOT, "  code cache warm (load):  %7.1f ms  %s%n", median(warm), warm);
        System.out.printf(Locale.ROOT, "process CPU time over the same span (all threads, JIT included), medians: none %.1f ms, cold %.1f ms, warm %.1f ms%n",
                median(noneCpu), median(coldCpu), median(warmCpu));
    }

    /** The process CPU time (all threads: compile, verify, JIT) of the last child, ms. */
    private static double lastCpu;

    private static double run(String cacheDir) throws IOException, InterruptedException {
        boolean expectHit;
        try (Stream<Path> files = cacheDir.equals("none") ? Stream.empty() : Files.list(Path.of(cacheDir))) {
            expectHit = files.findAny().isPresent();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ColdStart.class.getName(), "child", cacheDir)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child JVM failed: " + out);
        }
        String[] parts = out.split(" ");
        if (!cacheDir.equals("none") && Boolean.parseBoolean(parts[1]) != expectHit) {
            throw new IllegalStateException("unexpected cache state " + out + " for " + cacheDir);
        }
        lastCpu = Double.parseDouble(parts[3]);
        return Double.parseDouble(parts[0]);
    }

    private static void child(String cacheDir) throws Throwable {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        byte[] large = Workloads.module("large");
        Engine.Builder b = Engine.builder();
        if (!cacheDir.equals("none")) {
            b.codeCache(Path.of(cacheDir));
        }
        CompiledModule m = b.build().compile(large);
        long tc = System.nanoTime();
        Instance instance = m.instantiate();
        long ti = System.nanoTime();
        Object result = instance.function("run_all").call(7)[0];
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        System.out.println(String.format(Locale.ROOT, "%.2f", (t1 - t0) / 1e6) + " " + m.fromCodeCache() + " " + result
                + String.format(Locale.ROOT, " %.2f", (cpu1 - cpu0) / 1e6)
                + String.format(Locale.ROOT, " compile/load %.1f instantiate %.1f call %.1f", (tc - t0) / 1e6, (ti - tc) / 1e6, (t1 - ti) / 1e6));
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }
}
