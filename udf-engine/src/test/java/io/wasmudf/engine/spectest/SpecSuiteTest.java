package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.fail;

import io.wasmudf.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** One dynamic test per official spec script; a test fails with a summary of its failed commands. */
class SpecSuiteTest {
    private static final int FAILURES_IN_MESSAGE = 25;

    @TestFactory
    List<DynamicTest> specScripts() throws IOException {
        Path suite = SuiteLocation.find();
        if (suite == null) {
            System.err.println(SuiteLocation.absentMessage());
        }
        Assumptions.assumeTrue(suite != null, SuiteLocation::absentMessage);
        Path jsonDir = suite.resolve("json");
        String engineMissing = engineMissing();
        if (engineMissing != null) {
            System.err.println("SPEC SUITE NOT RUN: " + engineMissing);
        }
        Map<String, DynamicTest> tests = new TreeMap<>();
        for (Path json : SpecRunner.jsonScripts(jsonDir)) {
            String name = SpecRunner.scriptName(json);
            tests.put(name, DynamicTest.dynamicTest(name, json.toUri(), () -> runScript(json, engineMissing)));
        }
        SpecRunner.jsonLessScripts(jsonDir).forEach((name, wast) -> tests.put(name,
                DynamicTest.dynamicTest(name, wast.toUri(), () -> {
                    ScriptResult skipped = SpecRunner.skippedWast(wast);
                    String reason = "SKIPPED " + skipped.skipped() + " commands: " + skipped.outcomes().get(0).reason();
                    System.err.println(name + ": " + reason);
                    Assumptions.abort(reason);
                })));
        return new ArrayList<>(tests.values());
    }

    /**
     * The non-SIMD scripts again on {@link SpecRunner#checkedEngine()}: interrupt, fuel and
     * call-depth checks compiled in and every block outlined into its own method.
     */
    @TestFactory
    List<DynamicTest> specScriptsOnCheckedOutlinedEngine() throws IOException {
        Path suite = SuiteLocation.find();
        Assumptions.assumeTrue(suite != null, SuiteLocation::absentMessage);
        String engineMissing = engineMissing();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path json : SpecRunner.jsonScripts(suite.resolve("json"))) {
            String name = SpecRunner.scriptName(json);
            if (!name.startsWith("simd_")) {
                tests.add(DynamicTest.dynamicTest(name, json.toUri(), () -> runScript(json, engineMissing, true)));
            }
        }
        return tests;
    }

    private static void runScript(Path json, String engineMissing) {
        runScript(json, engineMissing, false);
    }

    private static void runScript(Path json, String engineMissing, boolean checked) {
        String name = SpecRunner.scriptName(json);
        if (name.startsWith("simd_")) {
            Assumptions.abort(SpecRunner.SIMD_REASON + ": all commands of " + name + " skipped");
        }
        if (engineMissing != null) {
            Assumptions.abort("SPEC SUITE NOT RUN: " + engineMissing);
        }
        ScriptResult result = checked
                ? SpecRunner.runScript(json, TimeUnit.SECONDS.toNanos(60), true)
                : SpecRunner.runScript(json);
        if (result.failed() > 0) {
            StringBuilder message = new StringBuilder(result.summaryLine());
            List<Outcome> failures = result.failures();
            for (Outcome failure : failures.subList(0, Math.min(FAILURES_IN_MESSAGE, failures.size()))) {
                message.append("\n  ").append(failure.describe());
            }
            if (failures.size() > FAILURES_IN_MESSAGE) {
                message.append("\n  ... and ").append(failures.size() - FAILURES_IN_MESSAGE).append(" more");
            }
            fail(message.toString());
        }
    }

    /** Null when the engine can be created; else why the suite cannot run (the engine is still a stub). */
    private static String engineMissing() {
        try {
            Engine.create();
            return null;
        } catch (UnsupportedOperationException e) {
            return "Engine.create() is not implemented yet (" + e.getMessage() + ")";
        }
    }
}
