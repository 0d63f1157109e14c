package io.wasmudf.bench;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
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
 * {@code WASMUDF_CDS_ARCHIVE}). And the JVM alone: a child that only reads the module's bytes.
 *
 * <p>Per row: wall time from engine creation to the result (the module's bytes already in memory,
 * as the SQL side has them from its catalog; JVM start and reading the file not counted), wall time
 * from JVM start to the result (the JVM's own start-up included, millisecond resolution), and the
 * process CPU time from JVM start to the result (all threads: JIT, GC, class verification on the
 * helper thread, and the management beans' set-up after the result), a figure a loaded machine
 * distorts less than wall time. Nothing runs in the child before the clock starts besides
 * reading the bytes: the management beans the figures need are created after the result, so they
 * warm up nothing the engine uses.
 */
public final class ColdStart {
    private ColdStart() {}

    /** One child's figures, ms. */
    private record Figures(double fromEngine, double fromJvmStart, double mainCpu, double cpu) {}

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
                jvm.add(run(classPath, "jvm", module, List.of(), null));
                none.add(run(classPath, "none", module, List.of(), null));
                cold.add(run(classPath, cache.toString(), module, List.of(), false));
                warm.add(run(classPath, cache.toString(), module, List.of(), true));
                // the training run: loads from the warm cache, then the JVM writes the archive at exit
                run(classPath, cache.toString(), module, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:disable", "-Xlog:all=error:stderr"), true);
                // -Xshare:on: the JVM refuses to start rather than run without the archive
                cds.add(run(classPath, cache.toString(), module, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:disable", "-Xlog:all=error:stderr"), true));
            }
            System.out.printf(Locale.ROOT, "first call of large.wasm (%d bytes) run_all(7) in a fresh JVM, median of %d JVMs each;%n", Files.size(module), runs);
            System.out.printf(Locale.ROOT, "ms: wall from engine creation | wall from JVM start | main thread's CPU from engine creation | process CPU from JVM start (all threads)%n");
            row("JVM alone (reads the bytes)", jvm);
            row("no code cache", none);
            row("code cache cold (writes)", cold);
            row("code cache warm (loads)", warm);
            row("warm + AppCDS archive", cds);
            System.out.println("per JVM, wall from engine creation: none " + list(none) + ", cold " + list(cold) + ", warm " + list(warm) + ", warm+CDS " + list(cds));
        } finally {
            deleteTree(work);
        }
    }

    private static void row(String name, List<Figures> f) {
        System.out.printf(Locale.ROOT, "  %-30s %8.1f  %8.1f  %8.1f  %8.1f%n", name,
                median(f.stream().map(Figures::fromEngine).toList()),
                median(f.stream().map(Figures::fromJvmStart).toList()),
                median(f.stream().map(Figures::mainCpu).toList()),
                median(f.stream().map(Figures::cpu).toList()));
    }

    private static String list(List<Figures> f) {
        return f.stream().map(x -> String.format(Locale.ROOT, "%.1f", x.fromEngine())).toList().toString();
    }

    /**
     * Runs a child JVM; {@code expectHit}: whether its module must come from the code cache (null:
     * no cache involved).
     */
    private static Figures run(String classPath, String cacheDir, Path module, List<String> jvmOptions, Boolean expectHit)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
        // the last line: a JVM may log a warning to standard output first
        String out = all.substring(all.lastIndexOf('\n') + 1);
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
        return new Figures(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]), Double.parseDouble(parts[3]));
    }

    /**
     * The child: prints wall ms from engine creation, wall ms from JVM start, the main thread's CPU
     * ms from engine creation (NaN where Linux's per-thread scheduler statistics are missing),
     * process CPU ms from JVM start, whether the module came from the code cache, and the result.
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
        if (!cacheDir.equals("jvm")) {
            Engine.Builder b = Engine.builder();
            if (!cacheDir.equals("none")) {
                b.codeCache(Path.of(cacheDir));
            }
            CompiledModule m = b.build().compile(large);
            Instance instance = m.instantiate();
            result = instance.function("run_all").call(7)[0];
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
        StringBuilder s = new StringBuilder();
        double mainCpu = c0 < 0 || c1 < 0 ? Double.NaN : (c1 - c0) / 1e6;
        s.append(String.format(Locale.ROOT, "%.2f %.1f %.2f %.1f ", (t1 - t0) / 1e6, fromJvmStart, mainCpu, cpuMs)).append(hit).append(' ').append(result);
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
