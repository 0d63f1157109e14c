package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecRunnerTest {

    private static String[] run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = SpecRunner.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        return new String[] {String.valueOf(code), text};
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals("2", run()[0]);
        assertEquals("2", run("a", "b")[0]);
        assertEquals("2", run("--bogus")[0]);
    }

    @Test
    void simdScriptsAreSkippedCommandByCommand(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("simd_x.json"), "{\"source_filename\": \"simd_x.wast\", \"commands\": ["
                + "{\"type\": \"module\", \"line\": 1, \"filename\": \"simd_x.0.wasm\"},"
                + "{\"type\": \"assert_return\", \"line\": 2, \"action\": {\"type\": \"invoke\", \"field\": \"f\", \"args\": []}, \"expected\": []}]}");
        String[] result = run(dir.toString());
        assertEquals("0", result[0]);
        assertTrue(result[1].contains("simd_x: 0 passed, 0 failed, 2 skipped"), result[1]);
        assertTrue(result[1].contains("SIMD not supported"), result[1]);
        assertEquals("0 passed, 0 failed, 2 skipped", lastLine(result[1]));
    }

    @Test
    void scriptsWithoutJsonAreReportedAsSkippedWithTheirCommandCount(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve("json"));
        Files.writeString(dir.resolve("nojson.wast"), "(module)\n(assert_return (invoke \"f\"))\n");
        String[] result = run(dir.toString());
        assertTrue(result[1].contains("nojson: 0 passed, 0 failed, 2 skipped"), result[1]);
        assertTrue(result[1].contains("no JSON for nojson.wast"), result[1]);
        assertEquals("0 passed, 0 failed, 2 skipped", lastLine(result[1]));
    }

    @Test
    void unreadableScriptIsAFailureNotACrash(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.json"), "{\"commands\": [");
        String[] result = run(dir.resolve("broken.json").toString());
        assertEquals("1", result[0]);
        assertEquals("0 passed, 1 failed, 0 skipped", lastLine(result[1]));
    }

    @Test
    void readsEverySuiteScriptAndFindsTheDocumentedCommandCounts() throws IOException {
        Path suite = SuiteLocation.require();
        Map<String, Integer> counts = new TreeMap<>();
        int scripts = 0;
        for (Path json : SpecRunner.jsonScripts(suite.resolve("json"))) {
            scripts++;
            for (Map<String, Object> command : SpecRunner.commands(json)) {
                counts.merge(ScriptRun.typeOf(command), 1, Integer::sum);
            }
        }
        assertEquals(141, scripts);
        // The totals stated in the suite's README.md.
        assertEquals(Map.of("assert_return", 45490, "assert_trap", 2386, "assert_invalid", 2024,
                "assert_malformed", 1786, "module", 1581, "action", 154, "assert_unlinkable", 83,
                "assert_uninstantiable", 34, "register", 20, "assert_exhaustion", 15), counts);
        assertEquals(7, SpecRunner.jsonLessScripts(suite.resolve("json")).size());
    }
}
