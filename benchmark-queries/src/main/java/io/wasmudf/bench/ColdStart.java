package io.wasmudf.bench;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.WasmFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * {@code java -cp ... io.wasmudf.bench.ColdStart [RUNS]}: the first call of the large module's
 * {@code run_all} (444 KB, 1225 functions) in a fresh JVM — engine, compile or code-cache load,
 * instantiate, call — RUNS fresh JVMs per row (default 5), medians. Rows: no code cache; the code
 * cache cold (the run writes it); warm (filled by an earlier JVM); warm with an AppCDS archive
 * (a dynamic CDS archive a training JVM wrote with {@code -XX:ArchiveClassesAtExit} after loading
 * the same module from the same warm cache: the JDK's, the engine's and the module's generated
 * classes, parsed and verified when the archive was written; the JVM uses an archived generated
 * class only when the bytes the engine defines have the archived class's length and CRC-32, and
 * the code-cache entry is still read and checked as without the archive). A deployment choice
 * that the JVM has to be started with ({@code -XX:SharedArchiveFile}; {@code ./wasmudf} does it with
 * {@code WASMUDF_CDS_ARCHIVE}). When the children run on JDK 25 or later
 * ({@code -Dcoldstart.java=/path/to/bin/java}; default: this JVM), also warm with the JDK's AOT cache
 * (JEP 483/514/515: {@code -XX:AOTCacheOutput} in a training run, {@code -XX:AOTCache} after). And the
 * JVM alone: a child that only reads the module's bytes.
 *
 * <p>Per row: wall time from engine creation to the result (the module's bytes already in memory,
 * as the SQL side has them from its catalog; JVM start and reading the file not counted), wall time
 * from JVM start to the result (the JVM's own start-up included, millisecond resolution), and the
 * process CPU time from JVM start to the result (all threads: JIT, GC, class verification on the
 * helper thread, and the management beans' set-up after the result), a figure a loaded machine
 * distorts less than wall time; then the split: ready to call (engine, code-cache load or compile,
 * instantiation, export lookup: wall and main-thread CPU) and the call's main-thread CPU
 * ({@code run_all(7)} runs every one of the module's 1,225 functions, about 8,000 calls and their
 * loops, interpreted in a young JVM). Nothing runs in the child before the clock starts besides
 * reading the bytes: the management beans the figures need are created after the result, so they
 * warm up nothing the engine uses.
 */
public final class ColdStart {
    private ColdStart() {}

    /** Starts the child's result line. */
    private static final String RESULT = "coldstart: ";

    /**
     * One child's figures, ms: {@code ready} / {@code readyCpu} are the wall time and the main
     * thread's CPU from engine creation to the instance with {@code run_all} looked up, before the
     * call (the load path alone, which is what the 70 ms compile baseline measured);
     * the call is the rest. {@code feature}: the child JVM's feature version.
     */
    private record Figures(double fromEngine, double fromJvmStart, double mainCpu, double cpu, double ready, double readyCpu, int feature) {}

    public static void main(String[] args) throws Throwable {
        if (args.length >= 3 && args[0].equals("child")) {
            child(args[1], Path.of(args[2]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("wasmudf-coldstart");
        try {
            Path module = work.resolve("large.wasm");
            Files.write(module, Workloads.module("large"));
            String classPath = jarsOnly(System.getProperty("java.class.path"), work);
            // -Dcoldstart.java=PATH: the children's JVM (default: this one), e.g. JDK 25 for its AOT cache row
            String java = System.getProperty("coldstart.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Path aot = work.resolve("app.aot");
            List<Figures> aotRuns = new ArrayList<>();
            Path cache = work.resolve("cache");
            Path archive = work.resolve("app.jsa");
            List<Figures> jvm = new ArrayList<>();
            List<Figures> none = new ArrayList<>();
            List<Figures> cold = new ArrayList<>();
            List<Figures> warm = new ArrayList<>();
            List<Figures> cds = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                deleteTree(cache);
                Files.deleteIfExists(archive);
                jvm.add(run(java, classPath, "jvm", module, List.of(), null));
                none.add(run(java, classPath, "none", module, List.of(), null));
                cold.add(run(java, classPath, cache.toString(), module, List.of(), false));
                warm.add(run(java, classPath, cache.toString(), module, List.of(), true));
                // the training run: loads from the warm cache, then the JVM writes the archive at exit
                run(java, classPath, cache.toString(), module, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:disable", "-Xlog:all=error:stderr"), true);
                // -Xshare:on: the JVM refuses to start rather than run without the archive
                cds.add(run(java, classPath, cache.toString(), module, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:disable", "-Xlog:all=error:stderr"), true));
                if (jvm.get(0).feature() >= 25) {
                    // JDK 25's AOT cache (JEP 483/514/515): a training run writes it at exit, holding the
                    // classes loaded and linked, resolved constant-pool entries and method profiles
                    Files.deleteIfExists(aot);
                    run(java, classPath, cache.toString(), module, List.of("-XX:AOTCacheOutput=" + aot, "-Xlog:disable", "-Xlog:all=error:stderr"), true);
                    aotRuns.add(run(java, classPath, cache.toString(), module, List.of("-XX:AOTCache=" + aot, "-XX:AOTMode=on", "-Xlog:disable", "-Xlog:all=error:stderr"), true));
                }
            }
            System.out.printf(Locale.ROOT, "first call of large.wasm (%d bytes) run_all(7) in a fresh JVM (Java %d), median of %d JVMs each;%n", Files.size(module), jvm.get(0).feature(), runs);
            System.out.printf(Locale.ROOT, "ms: wall from engine creation | wall from JVM start | main thread's CPU from engine creation | process CPU from JVM start (all threads) || ready to call (engine, load, instantiate, lookup): wall | main-thread CPU || the call: main-thread CPU%n");
            row("JVM alone (reads the bytes)", jvm);
            row("no code cache", none);
            row("code cache cold (writes)", cold);
            row("code cache warm (loads)", warm);
            row("warm + AppCDS archive", cds);
            if (!aotRuns.isEmpty()) {
                row("warm + JDK AOT cache", aotRuns);
            }
            System.out.println("per JVM, wall from engine creation: none " + list(none) + ", cold " + list(cold) + ", warm " + list(warm) + ", warm+CDS " + list(cds)
                    + (aotRuns.isEmpty() ? "" : ", warm+AOT " + list(aotRuns)));
        } finally {
            deleteTree(work);
        }
    }

    private static void row(String name, List<Figures> f) {
        System.out.printf(Locale.ROOT, "  %-30s %8.1f  %8.1f  %8.1f  %8.1f  || %8.1f  %8.1f  || %8.1f%n", name,
                median(f.stream().map(Figures::fromEngine).toList()),
                median(f.stream().map(Figures::fromJvmStart).toList()),
                median(f.stream().map(Figures::mainCpu).toList()),
                median(f.stream().map(Figures::cpu).toList()),
                median(f.stream().map(Figures::ready).toList()),
                median(f.stream().map(Figures::readyCpu).toList()),
                median(f.stream().map(x -> x.mainCpu() - x.readyCpu()).toList()));
    }

    private static String list(List<Figures> f) {
        return f.stream().map(x -> String.format(Locale.ROOT, "%.1f", x.fromEngine())).toList().toString();
    }

    /**
     * Runs a child JVM; {@code expectHit}: whether its module must come from the code cache (null:
     * no cache involved).
     */
    private static Figures run(String java, String classPath, String cacheDir, Path module, List<String> jvmOptions, Boolean expectHit)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(ColdStart.class.getName());
        cmd.add("child");
        cmd.add(cacheDir);
        cmd.add(module.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        // the child's line: a JVM may log to standard output before it, and JDK 25's AOT cache creation after it
        String out = all;
        for (String line : all.split("\n")) {
            if (line.startsWith(RESULT)) {
                out = line.substring(RESULT.length());
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child JVM failed (" + String.join(" ", jvmOptions) + "): " + all);
        }
        String[] parts = out.split(" ");
        if (expectHit != null && Boolean.parseBoolean(parts[4]) != expectHit) {
            throw new IllegalStateException("unexpected code-cache state " + out + " for " + cacheDir);
        }
        if (!cacheDir.equals("jvm") && !parts[5].equals("-370807825")) {
            throw new IllegalStateException("wrong result " + out);
        }
        return new Figures(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]), Double.parseDouble(parts[3]),
                Double.parseDouble(parts[6]), Double.parseDouble(parts[7]), Integer.parseInt(parts[8]));
    }

    /**
     * The child: prints wall ms from engine creation, wall ms from JVM start, the main thread's CPU
     * ms from engine creation (NaN where Linux's per-thread scheduler statistics are missing),
     * process CPU ms from JVM start, whether the module came from the code cache, the result, wall and
     * main-thread CPU ms from engine creation to the instance with its function looked up, and the
     * JVM's feature version.
     */
    private static void child(String cacheDir, Path module) throws Throwable {
        byte[] large;
        try (InputStream in = new java.io.FileInputStream(module.toFile())) {
            large = in.readAllBytes();
        }
        threadCpuNanos(); // the reading path warmed up outside the span
        long c0 = threadCpuNanos();
        long t0 = System.nanoTime();
        boolean hit = false;
        Object result = "none";
        long tReady = t0;
        long cReady = c0;
        if (!cacheDir.equals("jvm")) {
            Engine.Builder b = Engine.builder();
            if (!cacheDir.equals("none")) {
                b.codeCache(Path.of(cacheDir));
            }
            CompiledModule m = b.build().compile(large);
            Instance instance = m.instantiate();
            WasmFunction runAll = instance.function("run_all");
            cReady = threadCpuNanos();
            tReady = System.nanoTime();
            result = runAll.call(7)[0];
            hit = m.fromCodeCache();
        }
        long t1 = System.nanoTime();
        long c1 = threadCpuNanos();
        // only now the management beans: their set-up loads classes and spins lambdas the engine
        // would otherwise find ready. Their own CPU time counts (as in the "JVM alone" row).
        long uptimeNow = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long t2 = System.nanoTime();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double cpuMs = os.getProcessCpuTime() / 1e6;
        double fromJvmStart = uptimeNow - (t2 - t1) / 1e6;
        StringBuilder s = new StringBuilder(RESULT);
        double mainCpu = c0 < 0 || c1 < 0 ? Double.NaN : (c1 - c0) / 1e6;
        double readyCpu = c0 < 0 || cReady < 0 ? Double.NaN : (cReady - c0) / 1e6;
        s.append(String.format(Locale.ROOT, "%.2f %.1f %.2f %.1f ", (t1 - t0) / 1e6, fromJvmStart, mainCpu, cpuMs)).append(hit).append(' ').append(result)
                .append(String.format(Locale.ROOT, " %.2f %.2f ", (tReady - t0) / 1e6, readyCpu)).append(Runtime.version().feature());
        System.out.println(s);
    }

    /**
     * The calling thread's CPU time in nanoseconds from Linux's {@code /proc/thread-self/schedstat},
     * or -1: read without the management beans, whose set-up would warm up the JVM the figure is about.
     */
    private static long threadCpuNanos() {
        try (InputStream in = new java.io.FileInputStream("/proc/thread-self/schedstat")) {
            byte[] b = in.readNBytes(64);
            long v = 0;
            for (int i = 0; i < b.length && b[i] >= '0' && b[i] <= '9'; i++) {
                v = v * 10 + (b[i] - '0');
            }
            return v;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The class path with each directory replaced by a jar of its contents: CDS archives only classes from jars. */
    private static String jarsOnly(String classPath, Path work) throws IOException {
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.isDirectory(p)) {
                out.add(entry);
                continue;
            }
            Path jar = work.resolve("classes-" + (n++) + ".jar");
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(file);
                    Stream<Path> files = Files.walk(p)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    j.putNextEntry(new JarEntry(p.relativize(f).toString().replace(java.io.File.separatorChar, '/')));
                    j.write(Files.readAllBytes(f));
                    j.closeEntry();
                }
            }
            out.add(jar.toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }
}
