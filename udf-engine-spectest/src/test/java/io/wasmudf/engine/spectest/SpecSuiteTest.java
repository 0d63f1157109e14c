package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One dynamic test per official spec script, against pinned outcomes
 * ({@code spec-expectations.txt}): a script fails on a failed command, on a number of passed or
 * skipped commands other than pinned, and on any pass with a different error message ("with a
 * warning") that is not listed there with the reason it is right. Scripts that skip entirely
 * (SIMD, no JSON) are reported as skipped after their counts are checked.
 */
class SpecSuiteTest {
    private static final int FAILURES_IN_MESSAGE = 25;
    private static final Pinned PINNED = Pinned.load();

    /** The pinned counts per script and the listed warnings ({@code script:line}). */
    private record Pinned(Map<String, int[]> counts, Map<String, String> warnings) {
        static Pinned load() {
            Map<String, int[]> counts = new HashMap<>();
            Map<String, String> warnings = new HashMap<>();
            try (InputStream in = SpecSuiteTest.class.getResourceAsStream("/spec-expectations.txt")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String l = line.strip();
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
            return new Pinned(counts, warnings);
        }
    }

    @TestFactory
    List<DynamicTest> specScripts() throws IOException {
        Path jsonDir = SuiteLocation.require().resolve("json");
        Map<String, DynamicTest> tests = new TreeMap<>();
        for (Path json : SpecRunner.jsonScripts(jsonDir)) {
            String name = SpecRunner.scriptName(json);
            tests.put(name, DynamicTest.dynamicTest(name, json.toUri(), () -> check(SpecRunner.runScript(json))));
        }
        SpecRunner.jsonLessScripts(jsonDir).forEach((name, wast) -> tests.put(name,
                DynamicTest.dynamicTest(name, wast.toUri(), () -> check(SpecRunner.skippedWast(wast)))));
        return new ArrayList<>(tests.values());
    }

    /**
     * The non-SIMD scripts again on {@link SpecRunner#checkedEngine()}: interrupt, fuel and
     * call-depth checks compiled in and every block outlined into its own method; same pins.
     */
    @TestFactory
    List<DynamicTest> specScriptsOnCheckedOutlinedEngine() throws IOException {
        Path jsonDir = SuiteLocation.require().resolve("json");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path json : SpecRunner.jsonScripts(jsonDir)) {
            String name = SpecRunner.scriptName(json);
            if (!name.startsWith("simd_")) {
                tests.add(DynamicTest.dynamicTest(name, json.toUri(),
                        () -> check(SpecRunner.runScript(json, TimeUnit.SECONDS.toNanos(60), true))));
            }
        }
        return tests;
    }

    /** Every script of the suite is pinned, and nothing else is. */
    @Test
    void everyScriptIsPinnedOnce() throws IOException {
        Path jsonDir = SuiteLocation.require().resolve("json");
        TreeSet<String> scripts = new TreeSet<>();
        SpecRunner.jsonScripts(jsonDir).forEach(p -> scripts.add(SpecRunner.scriptName(p)));
        scripts.addAll(SpecRunner.jsonLessScripts(jsonDir).keySet());
        assertEquals(scripts, new TreeSet<>(PINNED.counts().keySet()));
    }

    private static void check(ScriptResult result) {
        StringBuilder problems = new StringBuilder();
        List<Outcome> failures = result.failures();
        for (Outcome failure : failures.subList(0, Math.min(FAILURES_IN_MESSAGE, failures.size()))) {
            problems.append("\n  ").append(failure.describe());
        }
        if (failures.size() > FAILURES_IN_MESSAGE) {
            problems.append("\n  ... and ").append(failures.size() - FAILURES_IN_MESSAGE).append(" more");
        }
        for (Outcome w : result.warnings()) {
            String key = result.name() + ":" + w.line();
            if (!PINNED.warnings().containsKey(key)) {
                problems.append("\n  unlisted pass with a different message (a wrong reason; list it in spec-expectations.txt"
                        + " only with why it is right): ").append(w.describe());
            }
        }
        int[] pinned = PINNED.counts().get(result.name());
        if (pinned == null) {
            problems.append("\n  not pinned: add \"").append(result.name()).append(' ').append(result.passed()).append(' ')
                    .append(result.skipped()).append("\" to spec-expectations.txt");
        } else if (pinned[0] != result.passed() || pinned[1] != result.skipped()) {
            problems.append("\n  pinned ").append(pinned[0]).append(" passed, ").append(pinned[1]).append(" skipped");
        }
        if (problems.length() > 0) {
            fail(result.summaryLine() + problems);
        }
        if (!result.outcomes().isEmpty() && result.allSkipped()) {
            Assumptions.abort("SKIPPED " + result.skipped() + " commands (as pinned): " + result.outcomes().get(0).reason());
        }
    }
}
