package io.wasmudf.engine.difffuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The differential fuzzer: each module (from a {@link ModuleSource} and a seed) is made
 * observable ({@link Instrumented}), run by V8 ({@link V8Oracle}) with a {@link CallPlan}, then in
 * every engine configuration ({@link EngineRun#configs}) with the same imports and arguments, and
 * compared ({@link Verdict}). A module that fails is kept in {@code keepDir} under its source and
 * seed. See docs/FUZZING.md.
 */
final class DiffFuzz implements AutoCloseable {
    /** The settings; {@link #fromProperties} reads the {@code wasmudf.difffuzz.*} system properties. */
    record Settings(String source, long seed, int modules, int rounds, int methodSizeLimit, String wasmOpt,
            String features, Path keepDir, Duration callTimeout, Duration v8Timeout) {
        static Settings fromProperties(int defaultModules, long defaultSeed, Path keepDir) {
            return new Settings(System.getProperty("wasmudf.difffuzz.source", "ttf"),
                    Long.getLong("wasmudf.difffuzz.seed", defaultSeed),
                    Integer.getInteger("wasmudf.difffuzz.modules", defaultModules),
                    Integer.getInteger("wasmudf.difffuzz.rounds", 1),
                    Integer.getInteger("wasmudf.difffuzz.methodLimit", 200),
                    System.getProperty("wasmudf.difffuzz.wasmOpt", "wasm-opt"),
                    System.getProperty("wasmudf.difffuzz.features", ModuleSource.DEFAULT_TTF_FEATURES),
                    keepDir,
                    Duration.ofSeconds(Integer.getInteger("wasmudf.difffuzz.callTimeoutSeconds", 30)),
                    Duration.ofSeconds(Integer.getInteger("wasmudf.difffuzz.v8TimeoutSeconds", 60)));
        }
    }

    /** One failure: which module, which configuration, what class of difference, and the details. */
    record Failure(long seed, Path file, String config, String failureClass, String detail) {
        @Override
        public String toString() {
            return "seed " + seed + " (" + file + "), " + config + ": " + failureClass + "\n    " + detail;
        }
    }

    /** The campaign's figures. */
    static final class Report {
        int modules;
        int calls;
        int v8Rejected;
        int v8Timeouts;
        int unsupported;
        int limited;
        int nanBitsOnly;
        /** Differences that vanish when NaNs are replaced by 0 ({@code --denan}): NaN payloads, allowed. */
        int nanNondeterminism;
        long millis;
        final List<Failure> failures = new ArrayList<>();
        final Map<String, Integer> failureClasses = new TreeMap<>();
        /** Runs stopped by a limit (configuration, V8's outcome, the engine's) or excused as NaN nondeterminism, by kind. */
        final Map<String, Integer> excused = new TreeMap<>();

        /** The slowest engine runs: "module config: engine ms (V8 ms for all calls)", slowest first. */
        final java.util.TreeMap<Long, String> slowest = new java.util.TreeMap<>();

        void slowest(String run, long engineMillis, long v8Millis) {
            slowest.put(engineMillis * 1000 + slowest.size() % 1000, run + ": engine " + engineMillis + " ms (V8 " + v8Millis + " ms)");
            if (slowest.size() > 3) {
                slowest.pollFirstEntry();
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(modules).append(" modules, ").append(calls).append(" export calls (V8), ")
                    .append(failures.size()).append(" failing (module, configuration) pairs, ")
                    .append(limited).append(" stopped by a resource limit, ").append(nanBitsOnly)
                    .append(" with memory differing only in NaN bits, ").append(nanNondeterminism)
                    .append(" differing only until NaNs are replaced (--denan), ").append(v8Rejected).append(" rejected by V8, ")
                    .append(unsupported).append(" with unsupported imports, ").append(v8Timeouts)
                    .append(" V8 timeouts; ").append(millis / 1000).append(" s");
            failureClasses.forEach((k, v) -> sb.append("\n  ").append(v).append(" × ").append(k));
            excused.forEach((k, v) -> sb.append("\n  not failures: ").append(v).append(" × ").append(k));
            slowest.descendingMap().values().forEach(v -> sb.append("\n  slowest: ").append(v));
            return sb.toString();
        }
    }

    private final Settings settings;
    private final V8Oracle v8;
    private final List<EngineRun.Config> configs;
    private ExecutorService worker = newWorker();

    DiffFuzz(Settings settings, Path script) {
        this.settings = settings;
        this.v8 = new V8Oracle(script);
        // -Dwasmudf.difffuzz.configs=a,b restricts the configurations (reductions check only the failing one)
        String only = System.getProperty("wasmudf.difffuzz.configs", "");
        this.configs = EngineRun.configs(settings.methodSizeLimit()).stream()
                .filter(c -> only.isEmpty() || List.of(only.split(",")).contains(c.name())).toList();
    }

    /** Runs {@code settings.modules()} modules from the source, seeds {@code seed, seed + 1, ...}. */
    Report campaign() throws IOException, InterruptedException {
        // a work directory per process: campaigns may run side by side
        ModuleSource source = ModuleSource.named(settings.source(), settings.wasmOpt(), settings.features(),
                settings.keepDir().resolve("work-" + ProcessHandle.current().pid()));
        Report report = new Report();
        long start = System.nanoTime();
        for (int i = 0; i < settings.modules(); i++) {
            long seed = settings.seed() + i;
            byte[] wasm = source.module(seed);
            check(wasm, seed, source.name() + "-" + seed, report);
        }
        report.millis = (System.nanoTime() - start) / 1_000_000;
        return report;
    }

    /** Checks one module against V8 in every configuration, adding to {@code report}. */
    void check(byte[] wasm, long seed, String name, Report report) throws IOException, InterruptedException {
        report.modules++;
        Instrumented m;
        try {
            m = Instrumented.of(wasm);
        } catch (RuntimeException e) {
            String v8Error = v8.compileError(wasm, settings.v8Timeout());
            if (v8Error != null) {
                report.v8Rejected++;
                System.out.println("[difffuzz] LOUD NOTE: V8 rejects " + name + " too: " + v8Error);
                return;
            }
            fail(report, wasm, seed, name, "decoder", "decode: " + Verdict.normalise(EngineRun.describe(e)),
                    "V8 compiles the module; the engine's decoder refused it: " + EngineRun.describe(e));
            return;
        }
        if (new FuzzingHost(m).unsupported() != null) {
            report.unsupported++;
            System.out.println("[difffuzz] LOUD NOTE: " + name + " imports " + new FuzzingHost(m).unsupported() + ", which the host does not provide; skipped");
            return;
        }
        CallPlan plan = CallPlan.of(m, seed, settings.rounds());
        V8Oracle.Answer answer = v8.run(m, plan, settings.v8Timeout());
        if (answer == null) {
            report.v8Timeouts++;
            System.out.println("[difffuzz] LOUD NOTE: V8 did not finish " + name + " in " + settings.v8Timeout() + "; skipped");
            return;
        }
        if (answer.compileError() != null) {
            report.v8Rejected++;
            System.out.println("[difffuzz] LOUD NOTE: V8 rejects " + name + ": " + answer.compileError());
            return;
        }
        report.calls += answer.steps().size() - 1;
        V8Oracle.Answer[] denanAnswer = new V8Oracle.Answer[1];
        for (EngineRun.Config config : configs) {
            long t0 = System.nanoTime();
            Verdict v = compare(m, plan, config, answer);
            report.slowest(name + " " + config.name(), (System.nanoTime() - t0) / 1_000_000, answer.millis());
            if (v.failed() && NAN_SENSITIVE.contains(v.failureClass()) && agreesDenanned(wasm, seed, config, denanAnswer)) {
                // the difference came from a NaN's bits (see docs/FUZZING.md): allowed by the spec
                report.nanNondeterminism++;
                report.excused.merge(config.name() + " | NaN bits (agrees after --denan): " + v.failureClass(), 1, Integer::sum);
                continue;
            }
            if (v.failed()) {
                fail(report, wasm, seed, name, config.name(), v.failureClass(), v.detail());
                if (v.failureClass().equals("timeout") || v.failureClass().equals("hang")) {
                    break; // the others may not end at all
                }
            } else if (v.kind() == Verdict.Kind.LIMITED) {
                report.limited++;
                report.excused.merge(config.name() + " | " + Verdict.normalise(v.detail().replaceAll(".*: V8 ", "V8 ")), 1, Integer::sum);
            } else if (v.nanBitsOnly()) {
                report.nanBitsOnly++;
            }
        }
    }

    /** Failure classes that a NaN's payload, which the spec leaves open, can cause. */
    private static final java.util.Set<String> NAN_SENSITIVE = java.util.Set.of("memory", "globals", "host calls",
            "outcome: value vs value");

    /**
     * Whether the module, with binaryen's {@code --denan} (every float value that is a NaN becomes
     * 0 where it is produced), agrees with V8 in {@code config}: then the difference was only in a
     * NaN's bits, which can escape the canonicalisation, e.g. an f64 NaN stored at one address and
     * read back partly, as a number, from another. Needs binaryen; without it nothing is excused.
     */
    private boolean agreesDenanned(byte[] wasm, long seed, EngineRun.Config config, V8Oracle.Answer[] cached)
            throws IOException, InterruptedException {
        if (ModuleSource.onPath(settings.wasmOpt()) == null) {
            return false;
        }
        Path work = settings.keepDir().resolve("work-" + ProcessHandle.current().pid());
        Files.createDirectories(work);
        Path in = work.resolve("denan-input.wasm");
        Path out = work.resolve("denan-output.wasm");
        Files.write(in, wasm);
        Files.deleteIfExists(out);
        List<String> command = new ArrayList<>(List.of(settings.wasmOpt(), in.toString(), "--denan", "-o", out.toString()));
        command.addAll(List.of(settings.features().trim().split("\\s+")));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("denan.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(out)) {
            p.destroyForcibly();
            return false;
        }
        Instrumented m = Instrumented.of(Files.readAllBytes(out));
        CallPlan plan = CallPlan.of(m, seed, settings.rounds());
        if (cached[0] == null) {
            cached[0] = v8.run(m, plan, settings.v8Timeout());
        }
        V8Oracle.Answer answer = cached[0];
        return answer != null && answer.steps() != null && !compare(m, plan, config, answer).failed();
    }

    private Verdict compare(Instrumented m, CallPlan plan, EngineRun.Config config, V8Oracle.Answer answer)
            throws InterruptedException {
        // on a thread of its own: a big stack, and a way to give up on a run that does not end
        Future<EngineRun.Result> run = worker.submit(() -> EngineRun.run(m, plan, config, settings.callTimeout()));
        long budget = Math.min(settings.callTimeout().toMillis() * 2 + answer.millis() * 20, 300_000);
        try {
            return Verdict.compare(answer.steps(), run.get(budget, TimeUnit.MILLISECONDS), plan.calls());
        } catch (TimeoutException e) {
            run.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the stuck thread is abandoned
            return Verdict.mismatch("hang", "the engine did not finish the module in " + budget + " ms; V8 took "
                    + answer.millis() + " ms");
        } catch (ExecutionException e) {
            return Verdict.mismatch("harness: " + EngineRun.describe(e.getCause()), EngineRun.describe(e.getCause()));
        }
    }

    private void fail(Report report, byte[] wasm, long seed, String name, String config, String failureClass, String detail)
            throws IOException {
        Files.createDirectories(settings.keepDir());
        Path file = settings.keepDir().resolve(name + ".wasm");
        Files.write(file, wasm);
        report.failures.add(new Failure(seed, file, config, failureClass, detail));
        report.failureClasses.merge(config + " | " + failureClass, 1, Integer::sum);
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            // about V8's depth: much deeper recursion only makes the resource-limited cases slower
            Thread t = new Thread(null, r, "difffuzz-engine", 4L << 20);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
        v8.close();
    }
}
