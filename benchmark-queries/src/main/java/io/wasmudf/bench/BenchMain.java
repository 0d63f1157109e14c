package io.wasmudf.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.SampleTimeResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code ./wasmudf bench [--quick] [--filter REGEX] [--no-jmh] [--no-sql] [--no-v8] [--no-real] [--jvm-arg ARG]...}:
 * runs the kernel, compile and import-call benchmarks (JMH), the V8 harness (when {@code node}
 * is on the PATH) and the per-row SQL benchmarks, then prints one table. {@code --filter} keeps the
 * cases whose name or JMH method matches. {@code --jvm-arg} goes to every JMH fork (e.g.
 * {@code -XX:+PrintCompilation}); JMH's own output goes to {@code wasmudf-bench-jmh.log} in the
 * temp directory.
 */
public final class BenchMain {
    private static final String[] KERNELS = {"add", "fib", "crc32", "sieve", "mandelbrot", "utf8"};
    /** The SIMD kernels (issue 20): each a row for simd.wasm and one for the same source's scalar build. */
    private static final String[] SIMD_KERNELS = {"simdhist", "simdutf8", "simddot", "simdchr", "simdlen"};
    private static final Map<String, String> KERNEL_LABEL = Map.ofEntries(
            Map.entry("add", "kernel add: 10M host calls"),
            Map.entry("fib", "kernel fib(32)"),
            Map.entry("crc32", "kernel crc32 16 MiB"),
            Map.entry("sieve", "kernel sieve 16M"),
            Map.entry("mandelbrot", "kernel mandelbrot 600x400x200"),
            Map.entry("utf8", "kernel utf8_len: 1M host calls"),
            Map.entry("simdhist", "simd byte histogram 16 MiB"),
            Map.entry("simdutf8", "simd utf8 validation 16 MiB"),
            Map.entry("simddot", "simd f32 dot product 2x2M"),
            Map.entry("simdchr", "simd memchr 16 MiB"),
            Map.entry("simdlen", "simd strlen 16 MiB"));
    private static final Map<String, String> COMPILE_LABEL = Map.of(
            "compileSmall", "compile small module (sqlbench, 2 KB)",
            "compileLarge", "compile large module (large, 444 KB)",
            "instantiateCall", "instantiate + first call (sqlbench)");
    /** InstantiateBenchmarks' programs (corpus modules), shown in µs beside the sqlbench row. */
    private static final Map<String, String> INSTANTIATE_LABEL = Map.of(
            "sqljs", "instantiate + first call (sql.js, stub imports)",
            "quickjs", "instantiate + first call (quickjs, stub imports)");
    private static final List<String> INSTANTIATE_ORDER = List.of("sqljs", "quickjs");

    /** HostCallBenchmarks' loops: ns per call, each beside the local call it is compared with. */
    private static final Map<String, String> IMPORT_LABEL = Map.of(
            "loopLocalFunction", "import call: guest loop, local function (baseline)",
            "loopHostImport", "import call: guest loop, host function (i32)->i32",
            "loopWasiClock", "import call: guest loop, WASI clock_time_get (fixed clock)");
    private static final List<String> IMPORT_ORDER = List.of("loopLocalFunction", "loopHostImport", "loopWasiClock");

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean jmh = true;
        boolean sql = true;
        boolean v8 = true;
        boolean real = true;
        Pattern filter = null;
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick": quick = true; break;
                case "--no-jmh": jmh = false; break;
                case "--no-sql": sql = false; break;
                case "--no-v8": v8 = false; break;
                case "--no-real": real = false; break;
                case "--filter":
                    filter = Pattern.compile(value(args, ++i, "--filter"), Pattern.CASE_INSENSITIVE);
                    break;
                case "--jvm-arg": jvmArgs.add(value(args, ++i, "--jvm-arg")); break;
                case "-h": case "--help":
                    System.out.println("usage: wasmudf bench [--quick] [--filter REGEX] [--no-jmh] [--no-sql] [--no-v8] [--no-real] [--jvm-arg ARG]...");
                    return;
                default:
                    System.err.println("wasmudf bench: unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
            }
        }
        Pattern f = filter;
        Predicate<String> accept = name -> f == null || f.matcher(name).find();
        long start = System.nanoTime();
        PrintStream out = System.out;
        List<String> notes = new ArrayList<>();
        out.println("# wasmudf bench " + (quick ? "--quick " : "") + String.join(" ", args).replace("--quick", "").trim());
        out.println("# " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16) + " UTC; "
                + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpuModel() + "); Java " + System.getProperty("java.vm.version")
                + " " + System.getProperty("java.vm.name"));

        Table table = new Table();
        Map<String, Map<String, Double>> measured = new LinkedHashMap<>();
        if (jmh) {
            runJmh(quick, accept, jvmArgs, measured);
        }
        Map<String, Double> v8Times = Map.of();
        if (v8) {
            List<String> kernels = new ArrayList<>();
            for (String k : KERNELS) {
                if (accept.test(KERNEL_LABEL.get(k)) || accept.test(k)) {
                    kernels.add(k);
                }
            }
            for (String k : SIMD_KERNELS) {
                if (accept.test(KERNEL_LABEL.get(k)) || accept.test(k)) {
                    kernels.add(k);
                }
            }
            if (!kernels.isEmpty()) {
                v8Times = V8Runner.run(quick, kernels, notes);
            }
        }
        for (String k : KERNELS) {
            Map<String, Double> m = measured.getOrDefault("KernelBenchmarks." + k, Map.of());
            Double v = v8Times.get(k);
            if (m.isEmpty() && v == null) {
                continue;
            }
            double ours = m.containsKey("oursStatic") ? m.get("oursStatic") : m.getOrDefault("ours", Double.NaN);
            String label = KERNEL_LABEL.get(k) + (m.containsKey("oursStatic") ? " [static final handle]" : "");
            table.add(row(label, m, ours, v));
            if (m.containsKey("oursStatic") && m.containsKey("ours")) {
                table.add(row(KERNEL_LABEL.get(k) + " [handle in field]", m, m.get("ours"), v));
            }
            if (m.containsKey("oursInterface")) {
                table.add(row(KERNEL_LABEL.get(k) + " [interface in field]", m, m.get("oursInterface"), v));
            }
            if (m.containsKey("oursUntrusted")) {
                table.add(row(KERNEL_LABEL.get(k) + " [SQL preset: depth budget + interrupt checks]", m, m.get("oursUntrusted"), v));
            }
        }
        for (String k : SIMD_KERNELS) {
            Map<String, Double> m = measured.getOrDefault("KernelBenchmarks." + k, Map.of());
            Double v = v8Times.get(k);
            if (m.isEmpty() && v == null) {
                continue;
            }
            table.add(row(KERNEL_LABEL.get(k) + " [simd128]", m, m.getOrDefault("ours", Double.NaN), v));
            table.add(row(KERNEL_LABEL.get(k) + " [scalar build]", m, m.getOrDefault("oursScalar", Double.NaN),
                    v8Times.get(k + "Scalar")));
        }
        Map<String, Double> imports = measured.getOrDefault("HostCallBenchmarks", Map.of());
        for (String b : IMPORT_ORDER) {
            if (imports.containsKey(b)) {
                // JMH divides by @OperationsPerInvocation: the score is ms per call
                table.add(new Table.Row(IMPORT_LABEL.get(b), "ns/call", imports.get(b) * 1e6,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN));
            }
        }
        for (String c : COMPILE_LABEL.keySet().stream().sorted().toList()) {
            Map<String, Double> m = measured.get("CompileBenchmarks." + c);
            if (m != null && c.equals("instantiateCall")) {
                // microseconds, like the goal (issue 21) and the corpus rows below
                table.add(new Table.Row(COMPILE_LABEL.get(c), "us", m.getOrDefault("ours", Double.NaN) * 1e3,
                        m.getOrDefault("chicory", Double.NaN) * 1e3, Double.NaN, Double.NaN, Double.NaN));
            } else if (m != null) {
                table.add(new Table.Row(COMPILE_LABEL.get(c), "ms", m.getOrDefault("ours", Double.NaN),
                        m.getOrDefault("chicory", Double.NaN), Double.NaN, Double.NaN, Double.NaN));
            }
        }
        for (String c : INSTANTIATE_ORDER) {
            Map<String, Double> m = measured.get("InstantiateBenchmarks." + c);
            if (m != null) {
                // InstantiateBenchmarks reports µs/op, but runJmh asks JMH for ms
                table.add(new Table.Row(INSTANTIATE_LABEL.get(c), "us", m.getOrDefault("ours", Double.NaN) * 1e3,
                        m.getOrDefault("chicory", Double.NaN) * 1e3, Double.NaN, Double.NaN, Double.NaN));
            }
        }
        if (real) {
            System.err.println("[bench] real programs (corpus)...");
            try {
                RealPrograms.run(quick, accept, table, notes);
            } catch (Throwable e) {
                notes.add("real programs failed: " + e);
                e.printStackTrace();
            }
        }
        if (sql) {
            System.err.println("[bench] per-row SQL (" + SqlBench.ROWS + " rows)...");
            try {
                new SqlBench(quick, notes).run(accept, table);
            } catch (Exception | LinkageError e) {
                // keep the rows measured so far: a whole run should not be lost to one phase
                notes.add("per-row SQL failed: " + e);
                e.printStackTrace();
            }
        }
        out.println();
        table.print(out);
        out.println();
        out.println("Lower is better; ratios < 1 mean ours is faster. The JMH rows, V8 kernels and SQL are the best (lowest) measurement:"
                + " kernels and compile = best JMH iteration average (simd memchr/strlen: best single call; "
                + (quick ? "1 fork, 2x0.4 s warmup, 3x0.4 s measured" : "2 forks, 5x1 s warmup, 5x1 s measured")
                + "), ms per whole kernel; v8 = best run in-process (node); SQL = best of the interleaved rounds, ms per 1M-row query."
                // the real-program rows are medians, not minima: say so, they are read as ratios against V8
                + " Real programs are medians of 3 runs after " + RealPrograms.WARMUP + " warm-up runs on every runtime"
                + " (wall-clock, and process CPU of all threads); their compile rows "
                + (quick ? "one compile, no warm-up." : "medians of 3 compiles after " + RealPrograms.COMPILE_WARMUP + " warm-up."));
        Goals.print(table, out);
        Goals.printPairs(table, out);
        for (String n : notes) {
            out.println("note: " + n);
        }
        out.printf(Locale.ROOT, "total %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static Table.Row row(String label, Map<String, Double> m, double ours, Double v8) {
        return new Table.Row(label, "ms", ours, m.getOrDefault("chicory", Double.NaN), m.getOrDefault("java", Double.NaN),
                v8 == null ? Double.NaN : v8, Double.NaN);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println("wasmudf bench: " + option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /**
     * Runs each selected @Benchmark in its own JMH run so progress can be reported; results go
     * into {@code measured} as "Class.case" -> runtime -> ms/op.
     */
    /**
     * A fork's JVM arguments: the SIMD kernels' forks get the incubator vector API, which the
     * engine's f32x4 dot-product and byte-scan loops use when present (docs/ENGINE.md "SIMD"; {@code --jvm-arg
     * -Dwasmudf.simd.vectorApi=off} measures without it); the user's arguments come last.
     */
    static String[] forkArgs(String benchmark, List<String> jvmArgs) {
        List<String> args = new ArrayList<>();
        if (benchmark.startsWith("KernelBenchmarks.simd")) {
            args.add("--add-modules=jdk.incubator.vector");
        }
        args.addAll(jvmArgs);
        return args.toArray(String[]::new);
    }

    private static void runJmh(boolean quick, Predicate<String> accept, List<String> jvmArgs,
            Map<String, Map<String, Double>> measured) throws RunnerException, IOException {
        List<String> selected = new ArrayList<>();
        java.util.Set<String> missingCorpus = new java.util.TreeSet<>();
        for (Class<?> c : List.of(KernelBenchmarks.class, CompileBenchmarks.class, HostCallBenchmarks.class, InstantiateBenchmarks.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(Benchmark.class)) {
                    continue;
                }
                String name = m.getName();
                if (c == HostCallBenchmarks.class) {
                    // its udf case (one export call from Java) is a JMH-only detail; SqlBench has the per-row figure
                    if (IMPORT_LABEL.containsKey(name) && (accept.test(IMPORT_LABEL.get(name)) || accept.test(c.getSimpleName() + "." + name))) {
                        selected.add(c.getSimpleName() + "." + name);
                    }
                    continue;
                }
                String kase = name.substring(0, name.indexOf('_'));
                if (c == InstantiateBenchmarks.class) {
                    String label = INSTANTIATE_LABEL.get(kase);
                    if (accept.test(label) || accept.test(c.getSimpleName() + "." + name)) {
                        if (io.wasmudf.bench.corpus.Corpus.cached(kase).isPresent()) {
                            selected.add(c.getSimpleName() + "." + name);
                        } else {
                            missingCorpus.add(kase);
                        }
                    }
                    continue;
                }
                String label = c == KernelBenchmarks.class ? KERNEL_LABEL.get(kase) : COMPILE_LABEL.get(kase);
                if (accept.test(label) || accept.test(c.getSimpleName() + "." + name)) {
                    selected.add(c.getSimpleName() + "." + name);
                }
            }
        }
        selected.sort(null);
        if (!missingCorpus.isEmpty()) {
            System.err.println("[bench] instantiate rows skipped, not in the corpus cache (run benchmark-queries/corpus/fetch.sh): " + missingCorpus);
        }
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "wasmudf-bench-jmh.log");
        try (PrintStream logOut = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String b : selected) {
                n++;
                ChainedOptionsBuilder o = new OptionsBuilder()
                        .include("^" + Pattern.quote(BenchMain.class.getPackageName() + "." + b) + "$")
                        .timeUnit(TimeUnit.MILLISECONDS)
                        .shouldFailOnError(true)
                        .jvmArgsAppend(forkArgs(b, jvmArgs));
                if (quick) {
                    o.forks(1).warmupIterations(2).warmupTime(TimeValue.milliseconds(400))
                            .measurementIterations(3).measurementTime(TimeValue.milliseconds(400));
                } else {
                    o.forks(2).warmupIterations(5).warmupTime(TimeValue.seconds(1))
                            .measurementIterations(5).measurementTime(TimeValue.seconds(1));
                }
                var format = OutputFormatFactory.createFormatInstance(logOut, VerboseMode.NORMAL);
                for (RunResult r : new Runner(o.build(), format).run()) {
                    double score = best(r);
                    int dot = b.indexOf('.');
                    // "Class.case_runtime", or "Class.method" for benchmarks without runtimes
                    int us = b.indexOf('_') < 0 ? dot : b.indexOf('_');
                    measured.computeIfAbsent(b.substring(0, us), k -> new LinkedHashMap<>()).put(b.substring(us + 1), score);
                    System.err.printf(Locale.ROOT, "[bench] %d/%d %s: %.4g %s%n", n, selected.size(), b.substring(dot + 1), score,
                            r.getPrimaryResult().getScoreUnit());
                }
            }
        }
        if (!selected.isEmpty()) {
            System.err.println("[bench] JMH log: " + log);
        }
    }

    /**
     * The best (lowest) measured iteration over all forks: on a shared, noisy machine the minimum
     * is the most repeatable estimate of what the code costs; the JMH log has means and errors.
     * For a benchmark sampled call by call ({@code Mode.SampleTime}) the best single call, the
     * statistic of the V8 figures it is compared with (see KernelBenchmarks).
     */
    private static double best(RunResult r) {
        double best = Double.NaN;
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                Result<?> p = i.getPrimaryResult();
                double s = p instanceof SampleTimeResult ? p.getStatistics().getMin() : p.getScore();
                best = Double.isNaN(best) ? s : Math.min(best, s);
            }
        }
        return Double.isNaN(best) ? r.getPrimaryResult().getScore() : best;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the model is optional
        }
        return System.getProperty("os.arch");
    }

    /** Copies a resource of this package to {@code dir}. */
    static void extract(String resource, Path dir) throws IOException {
        try (InputStream in = BenchMain.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            Files.copy(in, dir.resolve(resource.substring(resource.lastIndexOf('/') + 1)));
        }
    }

    /** Parses the flat {"name": number, ...} part of a JSON object. */
    static Map<String, Double> numbers(String json) {
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher x = Pattern.compile("\"(\\w+)\":(-?[0-9.eE+-]+)[,}]").matcher(json);
        while (x.find()) {
            m.put(x.group(1), Double.parseDouble(x.group(2)));
        }
        return m;
    }
}
