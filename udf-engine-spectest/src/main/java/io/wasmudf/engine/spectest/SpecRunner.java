package io.wasmudf.engine.spectest;

import java.io.IOException;
import java.io.PrintStream;
import io.wasmudf.engine.Engine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Runs official WebAssembly spec-suite scripts (wast2json output) against the engine and reports each command. */
public final class SpecRunner {
    static final String SIMD_REASON = "SIMD not supported";
    /** Failures printed per script unless --verbose. */
    static final int DEFAULT_FAILURES_SHOWN = 5;

    // Explicit so that the CLI and the tests exhaust the stack at the same depth.
    private static final long SCRIPT_THREAD_STACK_BYTES = 8L << 20;
    private static final long COMMAND_TIMEOUT_NANOS =
            Long.getLong("wasmudf.spec.timeoutSeconds", 60L) * 1_000_000_000L;
    private static final long MAX_INTERRUPT_GRACE_NANOS = 5_000_000_000L;

    private SpecRunner() {}

    /** Command line: {@code SpecRunner DIR|FILE.json [--verbose] [--checked]}; exits with 1 if any command failed. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the scripts named by {@code args} ({@code DIR|FILE.json [--verbose] [--checked]}),
     * printing one line per script, failure details and, as the last line,
     * {@code N passed, N failed, N skipped}. {@code --checked} runs on {@link #checkedEngine()}, whose
     * interrupt checks also let a runaway command be stopped instead of abandoning its script.
     *
     * @return 0 when nothing failed, 1 when a command failed, 2 for a usage error
     */
    public static int run(String[] args, PrintStream out) {
        boolean verbose = false;
        boolean interruptible = false;
        Path target = null;
        for (String arg : args) {
            if (arg.equals("--verbose") || arg.equals("-v")) {
                verbose = true;
            } else if (arg.equals("--checked")) {
                interruptible = true;
            } else if (arg.startsWith("-") || target != null) {
                out.println("usage: spec DIR|FILE.json [--verbose] [--checked]   (unexpected argument: " + arg + ")");
                return 2;
            } else {
                target = Paths.get(arg);
            }
        }
        if (target == null) {
            out.println("usage: spec DIR|FILE.json [--verbose] [--checked]   (DIR holds wast2json output, or has a json/ subdirectory)");
            return 2;
        }
        List<Path> scripts;
        Map<String, Path> jsonLess;
        try {
            if (Files.isRegularFile(target)) {
                scripts = List.of(target);
                jsonLess = Map.of();
            } else {
                Path jsonDir = jsonDirectory(target);
                scripts = jsonScripts(jsonDir);
                jsonLess = jsonLessScripts(jsonDir);
            }
        } catch (IOException e) {
            out.println("cannot read " + target + ": " + e.getMessage());
            return 2;
        }
        if (scripts.isEmpty() && jsonLess.isEmpty()) {
            out.println("no .json spec scripts found in " + target);
            return 2;
        }
        Map<String, Path> byName = new TreeMap<>();
        scripts.forEach(p -> byName.put(scriptName(p), p));
        jsonLess.forEach(byName::putIfAbsent);

        long passed = 0;
        long failed = 0;
        long skipped = 0;
        long warnings = 0;
        for (Path script : byName.values()) {
            ScriptResult result = script.toString().endsWith(".json")
                    ? runScript(script, COMMAND_TIMEOUT_NANOS, interruptible) : skippedWast(script);
            passed += result.passed();
            failed += result.failed();
            skipped += result.skipped();
            warnings += result.warnings().size();
            out.println(result.summaryLine());
            report(result, verbose, out);
            out.flush();
        }
        if (warnings > 0 && !verbose) {
            out.println(warnings + " passing command(s) had a different error message than the script (warnings); --verbose lists them");
        }
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed > 0 ? 1 : 0;
    }

    private static void report(ScriptResult result, boolean verbose, PrintStream out) {
        if (!result.outcomes().isEmpty() && result.allSkipped()) {
            out.println("  SKIPPED: " + result.outcomes().get(0).reason());
            return;
        }
        List<Outcome> failures = result.failures();
        int shown = verbose ? failures.size() : Math.min(failures.size(), DEFAULT_FAILURES_SHOWN);
        for (int i = 0; i < shown; i++) {
            out.println("  FAIL " + failures.get(i).describe());
        }
        if (shown < failures.size()) {
            out.println("  ... and " + (failures.size() - shown) + " more failure(s) (--verbose shows all)");
        }
        if (verbose) {
            for (Outcome o : result.warnings()) {
                out.println("  WARN " + o.describe());
            }
            Map<String, Long> skipReasons = result.outcomes().stream()
                    .filter(o -> o.status() == Outcome.Status.SKIPPED)
                    .collect(Collectors.groupingBy(Outcome::reason, TreeMap::new, Collectors.counting()));
            skipReasons.forEach((reason, count) -> out.println("  SKIP " + count + " command(s): " + reason));
        }
    }

    /** Runs one wast2json script file with a default engine; never throws. */
    static ScriptResult runScript(Path jsonFile) {
        return runScript(jsonFile, COMMAND_TIMEOUT_NANOS, false);
    }

    /**
     * Runs one script, interrupting any command that runs longer than {@code timeoutNanos}. Only an
     * {@code interruptible} engine can stop guest loops; otherwise a runaway command makes the
     * runner abandon the rest of the script.
     */
    /**
     * The engine of {@code --checked} runs: every check compiled in (interrupt, fuel, call-depth
     * budget), every block outlined into its own method and every function in its own class, so the
     * suite also covers the code shapes that large functions, large modules and untrusted
     * configurations produce.
     */
    static Engine checkedEngine() {
        return Engine.builder().interruptible(true).fuel(true).maxCallDepth(Engine.UNTRUSTED_MAX_CALL_DEPTH)
                .methodSizeLimit(0).classSizeLimit(1).build();
    }

    static ScriptResult runScript(Path jsonFile, long timeoutNanos, boolean checked) {
        String name = scriptName(jsonFile);
        List<Map<String, Object>> commands;
        try {
            commands = commands(jsonFile);
        } catch (IOException | RuntimeException e) {
            return new ScriptResult(name, List.of(Outcome.failed(0, "script", "cannot read " + jsonFile + ": " + e.getMessage())));
        }
        if (name.startsWith("simd_")) {
            return new ScriptResult(name, commands.stream()
                    .map(c -> Outcome.skipped(ScriptRun.lineOf(c), ScriptRun.typeOf(c), SIMD_REASON))
                    .collect(Collectors.toList()));
        }
        Supplier<Engine> engines = checked ? SpecRunner::checkedEngine : Engine::create;
        ScriptRun run = new ScriptRun(jsonFile.toAbsolutePath().getParent(), commands, engines);
        Thread thread = new Thread(null, run::runAll, "spec-" + name, SCRIPT_THREAD_STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        watch(thread, run, timeoutNanos);
        return new ScriptResult(name, run.outcomes());
    }

    /**
     * Waits for the script thread; a command running longer than the timeout is interrupted, and if
     * it still does not stop, the script is abandoned (the daemon thread is left behind).
     */
    private static void watch(Thread thread, ScriptRun run, long timeoutNanos) {
        long watchedStart = -1;
        boolean interrupted = false;
        try {
            while (true) {
                thread.join(200);
                if (!thread.isAlive()) {
                    return;
                }
                long started = run.commandStartNanos();
                if (started != watchedStart) {
                    watchedStart = started;
                    interrupted = false;
                }
                long elapsed = System.nanoTime() - started;
                String limit = timeoutNanos / 1_000_000 + " ms";
                if (!interrupted && elapsed > timeoutNanos) {
                    run.interruptAll("interrupted by the spec runner after " + limit);
                    interrupted = true;
                } else if (interrupted && elapsed > timeoutNanos + Math.min(timeoutNanos, MAX_INTERRUPT_GRACE_NANOS)) {
                    run.abandon("timed out after " + limit + " and did not stop when interrupted");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.abandon("the spec runner was interrupted");
        }
    }

    /** A script without JSON: each of its top-level commands is reported as skipped, loudly. */
    static ScriptResult skippedWast(Path wast) {
        String name = scriptName(wast);
        String reason = "no JSON for " + name + ".wast (wast2json 1.0.32 cannot parse its text syntax); none of its commands were run";
        List<WastOutline.Form> forms;
        try {
            forms = WastOutline.topLevelForms(Files.readString(wast, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            forms = List.of();
        }
        if (forms.isEmpty()) {
            forms = List.of(new WastOutline.Form(0, "script"));
        }
        return new ScriptResult(name, forms.stream()
                .map(f -> Outcome.skipped(f.line(), f.head(), reason))
                .collect(Collectors.toList()));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> commands(Path jsonFile) throws IOException {
        Object root = Json.parse(Files.readString(jsonFile, StandardCharsets.UTF_8));
        if (!(root instanceof Map) || !(((Map<String, Object>) root).get("commands") instanceof List)) {
            throw new IllegalArgumentException("not a wast2json script: no \"commands\" array");
        }
        List<Map<String, Object>> commands = new ArrayList<>();
        for (Object command : (List<Object>) ((Map<String, Object>) root).get("commands")) {
            if (!(command instanceof Map)) {
                throw new IllegalArgumentException("a command is not a JSON object: " + command);
            }
            commands.add((Map<String, Object>) command);
        }
        return commands;
    }

    /** {@code dir} itself when it holds .json files, else its {@code json/} subdirectory if any. */
    static Path jsonDirectory(Path dir) throws IOException {
        Path sub = dir.resolve("json");
        if (jsonScripts(dir).isEmpty() && Files.isDirectory(sub)) {
            return sub;
        }
        return dir;
    }

    static List<Path> jsonScripts(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** The .wast scripts next to (or one level above) {@code jsonDir} that have no JSON, by name. */
    static Map<String, Path> jsonLessScripts(Path jsonDir) throws IOException {
        Map<String, Path> result = new TreeMap<>();
        List<Path> places = new ArrayList<>();
        places.add(jsonDir);
        Path parent = jsonDir.toAbsolutePath().getParent();
        if (parent != null) {
            places.add(parent);
        }
        for (Path place : places) {
            try (Stream<Path> files = Files.list(place)) {
                for (Path wast : files.filter(p -> p.getFileName().toString().endsWith(".wast")).collect(Collectors.toList())) {
                    String name = scriptName(wast);
                    if (!Files.exists(jsonDir.resolve(name + ".json"))) {
                        result.putIfAbsent(name, wast);
                    }
                }
            }
        }
        return result;
    }

    static String scriptName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
