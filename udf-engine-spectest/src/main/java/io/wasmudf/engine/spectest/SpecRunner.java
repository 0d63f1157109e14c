package io.wasmudf.engine.spectest;

import java.io.IOException;
import java.io.PrintStream;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.WatSyntaxException;
import io.wasmudf.engine.internal.text.WastCommand;
import io.wasmudf.engine.internal.text.WastParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs official WebAssembly spec-suite scripts ({@code .wast}, read by the engine's own text
 * parser: no converter) against the engine and reports each command: one line per script, then
 * {@code N passed, N failed, N skipped}. SIMD scripts run like any other (issue 20); a command
 * that fails on a WebAssembly 3.0 feature the engine does not compile yet is skipped with its reason.
 * Each suite runs at its own WebAssembly version ({@link WasmFeatures}), since 3.0 contradicts some
 * of 2.0's assertions (a second memory is valid, limits are u64, …): {@code --wasm 2.0|3.0}, else
 * {@link #defaultFeatures}.
 */
public final class SpecRunner {
    /** The skip reason for a module refused with UnsupportedFeatureException (no longer thrown for SIMD). */
    static final String SIMD_REASON = "SIMD not supported";
    /** Failures printed per script unless --verbose. */
    static final int DEFAULT_FAILURES_SHOWN = 5;

    // Explicit so that the CLI and the tests exhaust the stack at the same depth.
    private static final long SCRIPT_THREAD_STACK_BYTES = 8L << 20;
    private static final long COMMAND_TIMEOUT_NANOS =
            Long.getLong("wasmudf.spec.timeoutSeconds", 60L) * 1_000_000_000L;
    private static final long MAX_INTERRUPT_GRACE_NANOS = 5_000_000_000L;

    /**
     * Scripts only a 3.0 suite has: a directory holding none of them is a 2.0 suite (see
     * {@link #defaultFeatures}).
     */
    static final Set<String> WASM3_ONLY_SCRIPTS = Set.of("return_call", "return_call_indirect", "return_call_ref",
            "memory64", "table64", "try_table", "throw", "throw_ref", "tag", "call_ref", "struct", "array", "i31",
            "ref_cast", "br_on_cast", "br_on_null", "type-subtyping");
    private static final String USAGE = "usage: spec DIR|FILE.wast [--wasm 2.0|3.0] [--verbose] [--checked]";

    private SpecRunner() {}

    /**
     * The version a suite runs at unless {@code --wasm} says: a directory without any of
     * {@link #WASM3_ONLY_SCRIPTS} and without {@code legacy/} scripts is a 2.0 suite (run by 2.0's rules), any other directory and a
     * single file are 3.0.
     */
    static WasmFeatures defaultFeatures(Path target, Map<String, Path> scripts) {
        if (Files.isRegularFile(target)) {
            return WasmFeatures.V3_0;
        }
        for (String name : scripts.keySet()) {
            if (WASM3_ONLY_SCRIPTS.contains(name) || name.startsWith("legacy/")) { // legacy exception handling is 3.0's
                return WasmFeatures.V3_0;
            }
        }
        return WasmFeatures.V2_0;
    }

    /** Command line: {@code SpecRunner DIR|FILE.wast [--wasm 2.0|3.0] [--verbose] [--checked]}; exits with 1 if any command failed. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the scripts named by {@code args} ({@code DIR|FILE.wast [--wasm 2.0|3.0] [--verbose] [--checked]}; a
     * DIR's {@code *.wast} and those of its {@code legacy/} subdirectory),
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
        WasmFeatures features = null;
        for (int a = 0; a < args.length; a++) {
            String arg = args[a];
            if (arg.equals("--wasm") || arg.startsWith("--wasm=")) {
                String version = arg.startsWith("--wasm=") ? arg.substring(7) : a + 1 < args.length ? args[++a] : "";
                try {
                    features = WasmFeatures.of(version);
                } catch (IllegalArgumentException e) {
                    out.println(USAGE + "   (" + e.getMessage() + ")");
                    return 2;
                }
            } else if (arg.equals("--verbose") || arg.equals("-v")) {
                verbose = true;
            } else if (arg.equals("--checked")) {
                interruptible = true;
            } else if (arg.startsWith("-") || target != null) {
                out.println(USAGE + "   (unexpected argument: " + arg + ")");
                return 2;
            } else {
                target = Paths.get(arg);
            }
        }
        if (target == null) {
            out.println(USAGE + "   (DIR holds the suite's .wast scripts; --wasm defaults to 2.0 for a directory without 3.0-only"
                    + " scripts such as return_call.wast or memory64.wast, else 3.0)");
            return 2;
        }
        Map<String, Path> byName;
        try {
            byName = Files.isRegularFile(target) ? Map.of(scriptName(target), target) : wastScripts(target);
        } catch (IOException e) {
            out.println("cannot read " + target + ": " + e.getMessage());
            return 2;
        }
        if (byName.isEmpty()) {
            out.println("no .wast spec scripts found in " + target);
            return 2;
        }
        boolean explicit = features != null;
        if (!explicit) {
            features = defaultFeatures(target, byName);
        }
        out.println("WebAssembly " + features.version() + " rules" + (explicit ? "" : " (the default for "
                + (Files.isRegularFile(target) ? "a single script" : features == WasmFeatures.V3_0
                        ? "a suite with 3.0-only scripts" : "a suite without 3.0-only scripts") + "; --wasm 2.0|3.0 overrides)"));

        long passed = 0;
        long failed = 0;
        long skipped = 0;
        long warnings = 0;
        Map<String, Long> skipReasons = new TreeMap<>();
        out.println(String.format("%-28s %7s %7s %7s", "script", "passed", "failed", "skipped"));
        for (Map.Entry<String, Path> script : byName.entrySet()) {
            ScriptResult result = runScript(script.getKey(), script.getValue(), COMMAND_TIMEOUT_NANOS, interruptible, features);
            passed += result.passed();
            failed += result.failed();
            skipped += result.skipped();
            warnings += result.warnings().size();
            result.outcomes().stream().filter(o -> o.status() == Outcome.Status.SKIPPED)
                    .forEach(o -> skipReasons.merge(reasonHead(o.reason()), 1L, Long::sum));
            out.println(result.tableLine());
            report(result, verbose, out);
            out.flush();
        }
        if (warnings > 0 && !verbose) {
            out.println(warnings + " passing command(s) had a different error message than the script (warnings); --verbose lists them");
        }
        skipReasons.forEach((reason, count) -> out.println("skipped " + count + ": " + reason));
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed > 0 ? 1 : 0;
    }

    private static void report(ScriptResult result, boolean verbose, PrintStream out) {
        if (!result.outcomes().isEmpty() && result.allSkipped()) {
            out.println("  SKIPPED: " + reasonHead(result.outcomes().get(0).reason()));
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
                    .collect(Collectors.groupingBy(o -> reasonHead(o.reason()), TreeMap::new, Collectors.counting()));
            skipReasons.forEach((reason, count) -> out.println("  SKIP " + count + " command(s): " + reason));
        }
    }

    /** A skip reason without its details in parentheses, e.g. {@code 3.0 feature GC not compiled yet}. */
    static String reasonHead(String reason) {
        int paren = reason.indexOf(" (");
        return paren < 0 ? reason : reason.substring(0, paren);
    }

    /** Runs one script with a default engine; never throws. */
    static ScriptResult runScript(Path wast) {
        return runScript(wast, COMMAND_TIMEOUT_NANOS, false);
    }

    /** Runs one script with a default engine at {@code features}' version; never throws. */
    static ScriptResult runScript(Path wast, WasmFeatures features) {
        return runScript(scriptName(wast), wast, COMMAND_TIMEOUT_NANOS, false, features);
    }

    /**
     * The engine of {@code --checked} runs: every check compiled in (interrupt, fuel, call-depth
     * budget), every block outlined into its own method and every function in its own class, so the
     * suite also covers the code shapes that large functions, large modules and untrusted
     * configurations produce.
     */
    static Engine checkedEngine() {
        return checkedEngine(WasmFeatures.V3_0);
    }

    /** {@link #checkedEngine()} at {@code features}' version. */
    static Engine checkedEngine(WasmFeatures features) {
        return Engine.builder().features(features).interruptible(true).fuel(true).maxCallDepth(Engine.UNTRUSTED_MAX_CALL_DEPTH)
                .methodSizeLimit(0).classSizeLimit(1).build();
    }

    /** Whether a script is one of the SIMD or relaxed-SIMD scripts (tests pick them out by this). */
    static boolean isSimd(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return base.startsWith("simd_") || base.contains("relaxed");
    }

    /**
     * Runs one script, interrupting any command that runs longer than {@code timeoutNanos}. Only an
     * interruptible ({@code checked}) engine can stop guest loops; otherwise a runaway command
     * makes the runner abandon the rest of the script.
     */
    static ScriptResult runScript(Path wast, long timeoutNanos, boolean checked) {
        return runScript(scriptName(wast), wast, timeoutNanos, checked);
    }

    static ScriptResult runScript(String name, Path wast, long timeoutNanos, boolean checked) {
        return runScript(name, wast, timeoutNanos, checked, WasmFeatures.V3_0);
    }

    /** Runs one script at {@code features}' version: its text read and its modules compiled by that version's rules. */
    static ScriptResult runScript(String name, Path wast, long timeoutNanos, boolean checked, WasmFeatures features) {
        List<WastCommand> commands;
        try {
            commands = WastParser.parse(Files.readAllBytes(wast), features);
        } catch (IOException | RuntimeException e) {
            return new ScriptResult(name, List.of(Outcome.failed(e instanceof WatSyntaxException w ? w.line() : 0, "script",
                    "cannot read " + wast + ": " + e.getMessage())));
        }
        Supplier<Engine> engines = checked ? () -> checkedEngine(features) : () -> Engine.builder().features(features).build();
        WastRun run = new WastRun(commands, engines);
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
    private static void watch(Thread thread, WastRun run, long timeoutNanos) {
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

    /**
     * The {@code .wast} scripts of a suite directory by name: its own, then those of its
     * {@code legacy/} subdirectory (3.0's legacy exception handling) as {@code legacy/NAME}.
     * Other subdirectories ({@code proposals/}, {@code custom/}) are run by naming them.
     */
    static Map<String, Path> wastScripts(Path dir) throws IOException {
        Map<String, Path> result = new TreeMap<>();
        addScripts(dir, "", result);
        Path legacy = dir.resolve("legacy");
        if (Files.isDirectory(legacy)) {
            addScripts(legacy, "legacy/", result);
        }
        return result;
    }

    private static void addScripts(Path dir, String prefix, Map<String, Path> into) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".wast") && Files.isRegularFile(p))
                    .forEach(p -> into.put(prefix + scriptName(p), p));
        }
    }

    static String scriptName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
