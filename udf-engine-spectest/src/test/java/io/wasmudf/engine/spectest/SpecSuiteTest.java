package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One dynamic test per official spec script ({@code .wast}, run as {@code wasmudf spec} runs it),
 * against pinned outcomes: {@code spec-expectations.txt} for the 2.0 suite,
 * {@code spec-expectations-3.txt} for the 3.0 suite (top level and {@code legacy/}). A script
 * fails on a failed command, on a number of passed or skipped commands other than pinned, and (2.0)
 * on any pass with a different error message ("with a warning") not listed there with the reason
 * it is right. Scripts that skip entirely (SIMD) are reported as skipped after their counts are
 * checked.
 *
 * <p>Repin mode: {@code -Dspec.repin=true} writes the counts of this run into the pin files
 * under {@code src/test/resources} instead of checking them (warnings are kept); review the diff
 * and say why in the commit.
 */
class SpecSuiteTest {
    private static final int FAILURES_IN_MESSAGE = 25;
    private static final boolean REPIN = Boolean.getBoolean("spec.repin");
    /** Counts observed in repin mode, per pin file. */
    private static final Map<SuiteLocation, Map<String, long[]>> OBSERVED = new ConcurrentHashMap<>();

    /** The pinned counts per script and the listed warnings ({@code script:line}), with the file's comment lines. */
    private record Pinned(Map<String, int[]> counts, Map<String, String> warnings, List<String> header) {
        static Pinned load(String resource) {
            Map<String, int[]> counts = new HashMap<>();
            Map<String, String> warnings = new TreeMap<>();
            List<String> header = new ArrayList<>();
            try (InputStream in = SpecSuiteTest.class.getResourceAsStream("/" + resource)) {
                if (in == null) {
                    return new Pinned(counts, warnings, header);
                }
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String l = line.strip();
                    if (l.startsWith("#")) {
                        header.add(l);
                    }
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    String[] f = l.split("\\s+", 3);
                    if (f[0].equals("warn")) {
                        warnings.put(f[1], f[2]);
                    } else {
                        counts.put(f[0], new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])});
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Pinned(counts, warnings, header);
        }
    }

    private static final Map<SuiteLocation, Pinned> PINNED = Map.of(
            SuiteLocation.V2, Pinned.load(SuiteLocation.V2.pins), SuiteLocation.V3, Pinned.load(SuiteLocation.V3.pins));

    @TestFactory
    List<DynamicTest> specScripts() throws IOException {
        return tests(SuiteLocation.V2, false);
    }

    @TestFactory
    List<DynamicTest> specScripts30() throws IOException {
        return tests(SuiteLocation.V3, false);
    }

    /**
     * The 2.0 scripts (SIMD included) again on {@link SpecRunner#checkedEngine()}: interrupt, fuel and
     * call-depth checks compiled in and every block outlined into its own method; same pins.
     */
    @TestFactory
    List<DynamicTest> specScriptsOnCheckedOutlinedEngine() throws IOException {
        return tests(SuiteLocation.V2, true);
    }

    private static List<DynamicTest> tests(SuiteLocation suite, boolean checked) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Path> script : SpecRunner.wastScripts(suite.require()).entrySet()) {
            String name = script.getKey();
            tests.add(DynamicTest.dynamicTest(name, script.getValue().toUri(), () -> check(suite,
                    SpecRunner.runScript(name, script.getValue(), TimeUnit.SECONDS.toNanos(60), checked), !checked)));
        }
        return tests;
    }

    /** Every script of each suite is pinned, and nothing else is. */
    @Test
    void everyScriptIsPinnedOnce() throws IOException {
        Assumptions.assumeFalse(REPIN, "repin mode");
        for (SuiteLocation suite : SuiteLocation.values()) {
            assertEquals(SpecRunner.wastScripts(suite.require()).keySet(), new java.util.TreeSet<>(PINNED.get(suite).counts().keySet()),
                    suite.pins);
        }
    }

    private static void check(SuiteLocation suite, ScriptResult result, boolean record) {
        if (REPIN) {
            if (record) {
                OBSERVED.computeIfAbsent(suite, s -> new ConcurrentHashMap<>()).put(result.name(), new long[] {result.passed(), result.skipped()});
            }
            return;
        }
        Pinned pinned = PINNED.get(suite);
        StringBuilder problems = new StringBuilder();
        List<Outcome> failures = result.failures();
        for (Outcome failure : failures.subList(0, Math.min(FAILURES_IN_MESSAGE, failures.size()))) {
            problems.append("\n  ").append(failure.describe());
        }
        if (failures.size() > FAILURES_IN_MESSAGE) {
            problems.append("\n  ... and ").append(failures.size() - FAILURES_IN_MESSAGE).append(" more");
        }
        // the 3.0 run's different messages are mostly 3.0 rules reported by a 2.0 decoder; only 2.0 lists them
        for (Outcome w : suite == SuiteLocation.V2 ? result.warnings() : List.<Outcome>of()) {
            String key = result.name() + ":" + w.line();
            if (!pinned.warnings().containsKey(key)) {
                problems.append("\n  unlisted pass with a different message (a wrong reason; list it in ").append(suite.pins)
                        .append(" only with why it is right): ").append(w.describe());
            }
        }
        int[] counts = pinned.counts().get(result.name());
        if (counts == null) {
            problems.append("\n  not pinned: add \"").append(result.name()).append(' ').append(result.passed()).append(' ')
                    .append(result.skipped()).append("\" to ").append(suite.pins).append(" (or run with -Dspec.repin=true)");
        } else if (counts[0] != result.passed() || counts[1] != result.skipped()) {
            problems.append("\n  pinned ").append(counts[0]).append(" passed, ").append(counts[1])
                    .append(" skipped (if the change is right: -Dspec.repin=true, and say why in the commit)");
        }
        if (problems.length() > 0) {
            fail(result.summaryLine() + problems);
        }
        if (!result.outcomes().isEmpty() && result.allSkipped()) {
            Assumptions.abort("SKIPPED " + result.skipped() + " commands (as pinned): "
                    + SpecRunner.reasonHead(result.outcomes().get(0).reason()));
        }
    }

    /** Repin mode: rewrites each pin file with this run's counts, keeping its comments and warnings. */
    @AfterAll
    static void writePins() throws IOException {
        if (!REPIN) {
            return;
        }
        for (Map.Entry<SuiteLocation, Map<String, long[]>> e : OBSERVED.entrySet()) {
            Pinned old = PINNED.get(e.getKey());
            StringBuilder sb = new StringBuilder();
            old.header().forEach(h -> sb.append(h).append('\n'));
            new TreeMap<>(e.getValue()).forEach((name, c) -> sb.append(name).append(' ').append(c[0]).append(' ').append(c[1]).append('\n'));
            old.warnings().forEach((key, why) -> sb.append("warn ").append(key).append(' ').append(why).append('\n'));
            Path file = Paths.get("src", "test", "resources", e.getKey().pins);
            Files.writeString(file, sb.toString());
            System.out.println("[spec] repinned " + file.toAbsolutePath() + " (" + e.getValue().size() + " scripts)");
        }
    }
}
