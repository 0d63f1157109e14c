package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.internal.text.WastCommand;
import io.wasmudf.engine.internal.text.WastParser;
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
    void usageErrorsExitWithTwo(@TempDir Path empty) {
        assertEquals("2", run()[0]);
        assertEquals("2", run("a", "b")[0]);
        assertEquals("2", run("--bogus")[0]);
        assertEquals("2", run(empty.toString())[0]);
    }

    @Test
    void perFileTableSkipReasonsAndTotals(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("simd_x.wast"), "(module (func (export \"f\") (result v128) (v128.const i32x4 1 2 3 4)))\n"
                + "(assert_return (invoke \"f\") (v128.const i32x4 1 2 3 4))\n");
        Files.writeString(dir.resolve("ok.wast"), "(module (func (export \"f\") (result i32) (i32.const 1)))\n"
                + "(assert_return (invoke \"f\") (i32.const 1))\n(assert_return (invoke \"f\") (i32.const 2))\n");
        Files.createDirectory(dir.resolve("legacy"));
        Files.writeString(dir.resolve("legacy").resolve("throw.wast"), "(module (tag $e) (func (export \"t\") (throw $e)))\n"
                + "(assert_exception (invoke \"t\"))\n");
        String[] result = run(dir.toString());
        assertEquals("1", result[0], result[1]);
        String out = result[1];
        assertTrue(out.contains("script                        passed  failed skipped"), out);
        assertTrue(out.contains("legacy/throw                       2       0       0"), out); // exceptions compile
        assertTrue(out.contains("ok                                 2       1       0"), out);
        assertTrue(out.contains("simd_x                             2       0       0"), out); // SIMD scripts run
        assertEquals("6 passed, 1 failed, 0 skipped", lastLine(out));
    }

    @Test
    void unparsableScriptIsAFailureNotACrash(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.wast"), "(module)\n(assert_return (invoke \"f\"\n");
        String[] result = run(dir.resolve("broken.wast").toString());
        assertEquals("1", result[0]);
        assertEquals("0 passed, 1 failed, 0 skipped", lastLine(result[1]));
    }

    @Test
    void readsEverySuiteScriptAndFindsTheDocumentedCommandCounts() throws IOException {
        Path suite = SuiteLocation.require2();
        Map<String, Integer> counts = new TreeMap<>();
        int scripts = 0;
        for (Path wast : SpecRunner.wastScripts(suite).values()) {
            scripts++;
            for (WastCommand command : WastParser.parse(Files.readAllBytes(wast))) {
                counts.merge(WastRun.typeOf(command), 1, Integer::sum);
            }
        }
        assertEquals(148, scripts);
        // the JSON of the 141 scripts wast2json could convert had 53573 commands (the suite's
        // README); the 7 it could not convert add the rest
        assertEquals(54006, counts.values().stream().mapToInt(Integer::intValue).sum(), counts.toString());
    }
}
