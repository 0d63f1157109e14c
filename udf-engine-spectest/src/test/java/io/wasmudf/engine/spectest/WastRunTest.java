package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs hand-written scripts through the real engine and checks the runner's verdict on each
 * command, including commands written to fail: the runner must notice wrong results and traps,
 * and count a 3.0 feature as a skip with its reason, never as a pass.
 */
class WastRunTest {

    private static ScriptResult run(Path dir, String name, String script) throws IOException {
        Path file = dir.resolve(name + ".wast");
        Files.writeString(file, script);
        return SpecRunner.runScript(file);
    }

    private static String verdicts(ScriptResult r) {
        StringBuilder sb = new StringBuilder();
        for (Outcome o : r.outcomes()) {
            sb.append(o.line()).append(' ').append(o.command()).append(' ').append(o.status())
                    .append(o.warning() != null ? " WARN" : "").append('\n');
        }
        return sb.toString();
    }

    @Test
    void judgesEveryCommandKind(@TempDir Path dir) throws IOException {
        String script = String.join("\n",
                "(module $m",                                                                            // 1-5
                "  (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))",
                "  (func (export \"div\") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))",
                "  (func (export \"nan\") (result f32) (f32.const nan))",
                "  (func $rec (export \"rec\") (call $rec))",
                "  (global (export \"g\") i32 (i32.const 42)))",
                "(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 3))",             // 7
                "(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 4))",             // 8 fails
                "(assert_return (invoke \"nan\") (f32.const nan:canonical))",                               // 9
                "(assert_return (invoke \"nan\") (f32.const nan:0x400001))",                                // 10 fails
                "(assert_trap (invoke \"div\" (i32.const 1) (i32.const 0)) \"integer divide by zero\")",   // 11
                "(assert_trap (invoke \"add\" (i32.const 1) (i32.const 2)) \"unreachable\")",              // 12 fails
                "(assert_exhaustion (invoke \"rec\") \"call stack exhausted\")",                          // 13
                "(assert_return (get $m \"g\") (i32.const 42))",                                           // 14
                "(register \"M\" $m)",                                                                     // 15
                "(assert_unlinkable (module (import \"M\" \"missing\" (func))) \"unknown import\")",       // 16
                "(assert_invalid (module (func (result i32) (i32.add))) \"type mismatch\")",              // 17
                "(assert_malformed (module binary \"\\00asm\\02\\00\\00\\00\") \"unknown binary version\")", // 18
                "(assert_malformed (module quote \"(func (i32.frob))\") \"unknown operator\")",             // 19
                "(assert_uninstantiable (module (func $s unreachable) (start $s)) \"unreachable\")",         // 20
                "(assert_invalid (module (func (export \"f\"))) \"type mismatch\")",                       // 21 fails
                "(module (import \"M\" \"add\" (func $a (param i32 i32) (result i32)))",                  // 22
                "  (import \"spectest\" \"global_i32\" (global $sg i32))",
                "  (export \"add2\" (func $a)) (export \"sg\" (global $sg)))",
                "(assert_return (invoke \"add2\" (i32.const 1) (i32.const 2)) (i32.const 3))",           // 25
                "(assert_return (get \"sg\") (i32.const 666))",                                          // 26
                "(module binary \"\\00asm\\01\\00\\00\\00\\01\")",                                         // 27 fails
                "(assert_return (invoke \"add2\" (i32.const 1) (i32.const 2)) (i32.const 3))",           // 28 fails
                "(invoke $m \"nosuch\")",                                                                 // 29 fails
                "(invoke $m \"add\" (i32.const 1) (i32.const 2))",                                        // 30
                "(assert_malformed (module quote \"(func)\") \"unexpected token\")",                        // 31 fails
                "");
        ScriptResult r = run(dir, "t", script);
        assertEquals(String.join("\n",
                "1 module PASSED", "7 assert_return PASSED", "8 assert_return FAILED", "9 assert_return PASSED",
                "10 assert_return FAILED", "11 assert_trap PASSED", "12 assert_trap FAILED", "13 assert_exhaustion PASSED",
                "14 assert_return PASSED", "15 register PASSED", "16 assert_unlinkable PASSED", "17 assert_invalid PASSED",
                "18 assert_malformed PASSED", "19 assert_malformed PASSED", "20 assert_uninstantiable PASSED",
                "21 assert_invalid FAILED", "22 module PASSED", "25 assert_return PASSED", "26 assert_return PASSED",
                "27 module FAILED", "28 assert_return FAILED", "29 action FAILED", "30 action PASSED",
                "31 assert_malformed FAILED", ""), verdicts(r));
        assertTrue(r.failures().get(0).reason().contains("expected i32:4(0x4) but got i32:3(0x3)"), r.failures().get(0).reason());
    }

    @Test
    void threeZeroFeaturesAreSkipsWithTheirReasonAndSimdRuns(@TempDir Path dir) throws IOException {
        String script = String.join("\n",
                "(module (type $t (func (result i32))) (func $f (export \"f\") (result i32) (return_call_ref $t (ref.func $g)))"
                        + " (func $g (type $t) (i32.const 1)) (elem declare func $g))",                                // 1
                "(assert_return (invoke \"f\") (i32.const 1))",                                                       // 6
                "(module (memory 1) (memory 1))",                                                                     // 3: 3.0 (a file runs at 3.0)
                "(module (func (export \"v\") (result v128) (v128.const i64x2 0 0)))",                                // 4
                "(assert_return (invoke \"v\") (v128.const i64x2 0 0))",                                             // 5
                "(module (global (export \"g\") i32 (i32.add (i32.const 1) (i32.const 2))))",                        // 6: compiled
                "(module (tag $e (param i32)) (func (export \"x\") (throw $e (i32.const 1))))",                       // 7: compiled
                "(module (func (export \"h\") (result i32) (i32.const 7)))",                                          // 8
                "(assert_return (invoke \"h\") (i32.const 8))",                                                      // 9: a real failure stays one
                "");
        ScriptResult r = run(dir, "features", script);
        List<Outcome> o = r.outcomes();
        assertEquals(9, o.size(), verdicts(r));
        assertEquals(Outcome.Status.PASSED, o.get(0).status(), verdicts(r)); // return_call_ref compiles
        assertEquals(Outcome.Status.PASSED, o.get(1).status(), verdicts(r));
        assertEquals(Outcome.Status.PASSED, o.get(2).status(), verdicts(r));
        assertEquals(Outcome.Status.PASSED, o.get(3).status(), verdicts(r));
        assertEquals(Outcome.Status.PASSED, o.get(4).status(), verdicts(r));
        assertEquals(Outcome.Status.PASSED, o.get(5).status(), verdicts(r));
        assertEquals(Outcome.Status.PASSED, o.get(6).status(), verdicts(r));
        assertEquals(Outcome.Status.PASSED, o.get(7).status());
        assertEquals(Outcome.Status.FAILED, o.get(8).status(), verdicts(r));
    }

    /** assert_exception holds for an uncaught Wasm exception only; an uncaught exception is no trap. */
    @Test
    void assertExceptionNeedsAnUncaughtException(@TempDir Path dir) throws IOException {
        String script = String.join("\n",
                "(module (tag $e (export \"e\") (param i32))",
                "  (func (export \"throw\") (throw $e (i32.const 7)))",
                "  (func (export \"trap\") (unreachable))",
                "  (func (export \"caught\") (result i32)",
                "    (block $h (result i32) (try_table (catch $e $h) (call 0)) (i32.const 0))))",  // 1
                "(assert_exception (invoke \"throw\"))",                                          // 2
                "(assert_exception (invoke \"trap\"))",                                           // 7: a trap is no exception
                "(assert_exception (invoke \"caught\"))",                                         // 8: returns 7
                "(assert_trap (invoke \"throw\") \"unreachable\")",                               // 9: an exception is no trap
                "(assert_return (invoke \"caught\") (i32.const 7))",                              // 10
                "");
        ScriptResult r = run(dir, "exn", script);
        assertEquals("1 module PASSED\n6 assert_exception PASSED\n7 assert_exception FAILED\n8 assert_exception FAILED\n"
                + "9 assert_trap FAILED\n10 assert_return PASSED\n", verdicts(r));
    }

    /**
     * Imports from a registered module that uses the last 3.0 features to be compiled
     * (return_call_ref, exceptions): everything runs and links. (While a feature was not compiled,
     * its module was skipped and so were the commands importing from it; no 3.0 feature is left
     * whose modules the runner skips.)
     */
    @Test
    void importsFromARegistrationUsingReturnCallRefAndTags(@TempDir Path dir) throws IOException {
        String script = String.join("\n",
                "(module (type $t (func)) (tag (export \"e\")) (func (export \"f\") (return_call_ref $t (ref.null $t)))"
                        + " (global (export \"g\") i32 (i32.const 1)))",                                        // 1
                "(assert_trap (invoke \"f\") \"null function reference\")",                            // 2
                "(register \"test\")",                                                              // 3
                "(assert_unlinkable (module (import \"test\" \"g\" (global i64))) \"incompatible import type\")", // 4
                "(module (import \"test\" \"g\" (global i32)) (import \"test\" \"e\" (tag)))",  // 5
                "");
        ScriptResult r = run(dir, "reg", script);
        assertEquals("1 module PASSED\n2 assert_trap PASSED\n3 register PASSED\n4 assert_unlinkable PASSED\n5 module PASSED\n",
                verdicts(r));
    }

    @Test
    void moduleDefinitionsAndInstances(@TempDir Path dir) throws IOException {
        String script = String.join("\n",
                "(module definition $D (global (export \"g\") (mut i32) (i32.const 5)) (func (export \"inc\") (global.set 0 (i32.add (global.get 0) (i32.const 1)))))",
                "(module instance $a $D)",
                "(module instance $b $D)",
                "(invoke $a \"inc\")",
                "(assert_return (get $a \"g\") (i32.const 6))",
                "(assert_return (get $b \"g\") (i32.const 5))",
                "");
        ScriptResult r = run(dir, "defs", script);
        assertEquals(6, r.passed(), verdicts(r) + r.failures());
    }

    @Test
    void runawayCommandIsStoppedOnTheCheckedEngine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("loop.wast");
        Files.writeString(file, "(module (func (export \"spin\") (loop (br 0))))\n(invoke \"spin\")\n(module)\n");
        ScriptResult r = SpecRunner.runScript(file, TimeUnit.SECONDS.toNanos(3), true);
        assertEquals(2, r.passed(), verdicts(r));
        assertEquals(1, r.failed());
        assertTrue(r.failures().get(0).reason().contains("interrupted by the spec runner"), r.failures().get(0).reason());
    }
    /**
     * The same assertions judged at each version: 2.0's rules (one memory, u32 limits and
     * offsets in text, zero bytes for memory indexes) pass at 2.0 with 2.0's wording, and at 3.0
     * the modules are accepted, so the 2.0 assertions fail there — nothing is skipped either way.
     */
    @Test
    void theSuiteVersionDecidesWhichRulesApply(@TempDir Path dir) throws IOException {
        String script = String.join("\n",
                "(assert_invalid (module (memory 1) (memory 1)) \"multiple memories\")",
                "(assert_malformed (module quote \"(memory 0x1_0000_0000)\") \"i32 constant out of range\")",
                "(assert_malformed (module quote \"(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))\") \"i32 constant\")",
                // memory.size with memory index 1, where 2.0 reserves a zero byte
                "(assert_malformed (module binary \"\\00asm\" \"\\01\\00\\00\\00\" \"\\01\\05\\01\\60\\00\\01\\7f\" \"\\03\\02\\01\\00\""
                        + " \"\\05\\03\\01\\00\\00\" \"\\0a\\06\\01\\04\\00\\3f\\01\\0b\") \"zero byte expected\")",
                "");
        Path file = dir.resolve("rules.wast");
        Files.writeString(file, script);
        ScriptResult v2 = SpecRunner.runScript(file, io.wasmudf.engine.WasmFeatures.V2_0);
        assertEquals(4, v2.passed(), verdicts(v2));
        assertEquals(List.of(), v2.warnings(), verdicts(v2));
        ScriptResult v3 = SpecRunner.runScript(file, io.wasmudf.engine.WasmFeatures.V3_0);
        assertEquals(4, v3.failed(), verdicts(v3));
        assertEquals(0, v3.skipped(), verdicts(v3));
    }

    /** A suite directory is 2.0 unless it holds a 3.0-only script; a single file is 3.0. */
    @Test
    void theDefaultVersionFollowsTheSuite(@TempDir Path dir) throws IOException {
        Path v2 = Files.createDirectories(dir.resolve("v2"));
        Files.writeString(v2.resolve("i32.wast"), "(module)");
        assertEquals(io.wasmudf.engine.WasmFeatures.V2_0, SpecRunner.defaultFeatures(v2, SpecRunner.wastScripts(v2)));
        Path v3 = Files.createDirectories(dir.resolve("v3"));
        Files.writeString(v3.resolve("i32.wast"), "(module)");
        Files.writeString(v3.resolve("return_call.wast"), "(module)");
        assertEquals(io.wasmudf.engine.WasmFeatures.V3_0, SpecRunner.defaultFeatures(v3, SpecRunner.wastScripts(v3)));
        Path file = v2.resolve("i32.wast");
        assertEquals(io.wasmudf.engine.WasmFeatures.V3_0, SpecRunner.defaultFeatures(file, java.util.Map.of("i32", file)));
    }
}
