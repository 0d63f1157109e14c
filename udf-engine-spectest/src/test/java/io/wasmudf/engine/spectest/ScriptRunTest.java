package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a hand-written script through the real engine and checks the runner's verdict on each
 * command, including commands written to fail: the runner must notice wrong results and traps.
 */
class ScriptRunTest {

    /** add(i32,i32), div(i32,i32) = div_s, nan() = f32 0x7fc00000, rec() recurses forever, global g = 42. */
    private static byte[] mainModule() {
        return WasmBytes.module()
                .section(1, new WasmBytes().u32(3).b(0x60, 2, 0x7f, 0x7f, 1, 0x7f).b(0x60, 0, 1, 0x7d).b(0x60, 0, 0))
                .section(3, new WasmBytes().u32(4).b(0, 0, 1, 2))
                .section(6, new WasmBytes().u32(1).b(0x7f, 0, 0x41, 42, 0x0b))
                .section(7, new WasmBytes().u32(5).name("add").b(0, 0).name("div").b(0, 1).name("nan").b(0, 2)
                        .name("rec").b(0, 3).name("g").b(3, 0))
                .section(10, new WasmBytes().u32(4)
                        .func(0x20, 0, 0x20, 1, 0x6a, 0x0b)
                        .func(0x20, 0, 0x20, 1, 0x6d, 0x0b)
                        .func(0x43, 0x00, 0x00, 0xc0, 0x7f, 0x0b)
                        .func(0x10, 3, 0x0b))
                .bytes();
    }

    private static byte[] importsMissing() {
        return WasmBytes.module()
                .section(1, new WasmBytes().u32(1).b(0x60, 0, 0))
                .section(2, new WasmBytes().u32(1).name("M").name("missing").b(0, 0))
                .bytes();
    }

    private static byte[] invalidAdd() {
        return WasmBytes.module()
                .section(1, new WasmBytes().u32(1).b(0x60, 0, 1, 0x7f))
                .section(3, new WasmBytes().u32(1).b(0))
                .section(10, new WasmBytes().u32(1).func(0x6a, 0x0b))
                .bytes();
    }

    private static byte[] startTraps() {
        return WasmBytes.module()
                .section(1, new WasmBytes().u32(1).b(0x60, 0, 0))
                .section(3, new WasmBytes().u32(1).b(0))
                .section(8, new WasmBytes().u32(0))
                .section(10, new WasmBytes().u32(1).func(0x00, 0x0b))
                .bytes();
    }

    /** Re-exports the registered M.add as add2 and spectest.global_i32 as sg. */
    private static byte[] reexports() {
        return WasmBytes.module()
                .section(1, new WasmBytes().u32(1).b(0x60, 2, 0x7f, 0x7f, 1, 0x7f))
                .section(2, new WasmBytes().u32(2).name("M").name("add").b(0, 0)
                        .name("spectest").name("global_i32").b(3, 0x7f, 0))
                .section(7, new WasmBytes().u32(2).name("add2").b(0, 0).name("sg").b(3, 0))
                .bytes();
    }

    private static String invoke(String field, String args) {
        return "\"action\": {\"type\": \"invoke\", \"field\": \"" + field + "\", \"args\": [" + args + "]}";
    }

    private static final String I32_1_2 = "{\"type\": \"i32\", \"value\": \"1\"}, {\"type\": \"i32\", \"value\": \"2\"}";

    @Test
    void judgesEveryCommandKind(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("t.0.wasm"), mainModule());
        Files.write(dir.resolve("t.1.wasm"), importsMissing());
        Files.write(dir.resolve("t.2.wasm"), invalidAdd());
        Files.write(dir.resolve("t.3.wasm"), new byte[] {0, 0x61, 0x73, 0x6d, 2, 0, 0, 0});
        Files.write(dir.resolve("t.5.wasm"), startTraps());
        Files.write(dir.resolve("t.6.wasm"), reexports());
        Files.write(dir.resolve("t.7.wasm"), new byte[] {0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01});
        List<String> commands = new ArrayList<>();
        commands.add("{\"type\": \"module\", \"line\": 1, \"name\": \"$m\", \"filename\": \"t.0.wasm\"}");
        commands.add("{\"type\": \"assert_return\", \"line\": 2, " + invoke("add", I32_1_2) + ", \"expected\": [{\"type\": \"i32\", \"value\": \"3\"}]}");
        commands.add("{\"type\": \"assert_return\", \"line\": 3, " + invoke("add", I32_1_2) + ", \"expected\": [{\"type\": \"i32\", \"value\": \"4\"}]}");
        commands.add("{\"type\": \"assert_return\", \"line\": 4, " + invoke("nan", "") + ", \"expected\": [{\"type\": \"f32\", \"value\": \"nan:canonical\"}]}");
        commands.add("{\"type\": \"assert_return\", \"line\": 5, " + invoke("nan", "") + ", \"expected\": [{\"type\": \"f32\", \"value\": \"2143289345\"}]}");
        commands.add("{\"type\": \"assert_trap\", \"line\": 6, " + invoke("div", "{\"type\": \"i32\", \"value\": \"1\"}, {\"type\": \"i32\", \"value\": \"0\"}")
                + ", \"text\": \"integer divide by zero\", \"expected\": [{\"type\": \"i32\"}]}");
        commands.add("{\"type\": \"assert_trap\", \"line\": 7, " + invoke("add", I32_1_2) + ", \"text\": \"unreachable\", \"expected\": [{\"type\": \"i32\"}]}");
        commands.add("{\"type\": \"assert_exhaustion\", \"line\": 8, " + invoke("rec", "") + ", \"text\": \"call stack exhausted\", \"expected\": []}");
        commands.add("{\"type\": \"assert_return\", \"line\": 9, \"action\": {\"type\": \"get\", \"module\": \"$m\", \"field\": \"g\"}, \"expected\": [{\"type\": \"i32\", \"value\": \"42\"}]}");
        commands.add("{\"type\": \"register\", \"line\": 10, \"name\": \"$m\", \"as\": \"M\"}");
        commands.add("{\"type\": \"assert_unlinkable\", \"line\": 11, \"filename\": \"t.1.wasm\", \"text\": \"unknown import\", \"module_type\": \"binary\"}");
        commands.add("{\"type\": \"assert_invalid\", \"line\": 12, \"filename\": \"t.2.wasm\", \"text\": \"type mismatch\", \"module_type\": \"binary\"}");
        commands.add("{\"type\": \"assert_malformed\", \"line\": 13, \"filename\": \"t.3.wasm\", \"text\": \"unknown binary version\", \"module_type\": \"binary\"}");
        commands.add("{\"type\": \"assert_malformed\", \"line\": 14, \"filename\": \"t.4.wat\", \"text\": \"unexpected token\", \"module_type\": \"text\"}");
        commands.add("{\"type\": \"assert_uninstantiable\", \"line\": 15, \"filename\": \"t.5.wasm\", \"text\": \"unreachable\", \"module_type\": \"binary\"}");
        commands.add("{\"type\": \"assert_invalid\", \"line\": 16, \"filename\": \"t.0.wasm\", \"text\": \"type mismatch\", \"module_type\": \"binary\"}");
        commands.add("{\"type\": \"module\", \"line\": 17, \"filename\": \"t.6.wasm\"}");
        commands.add("{\"type\": \"assert_return\", \"line\": 18, " + invoke("add2", I32_1_2) + ", \"expected\": [{\"type\": \"i32\", \"value\": \"3\"}]}");
        commands.add("{\"type\": \"assert_return\", \"line\": 19, \"action\": {\"type\": \"get\", \"field\": \"sg\"}, \"expected\": [{\"type\": \"i32\", \"value\": \"666\"}]}");
        commands.add("{\"type\": \"module\", \"line\": 20, \"filename\": \"t.7.wasm\"}");
        commands.add("{\"type\": \"assert_return\", \"line\": 21, " + invoke("add2", I32_1_2) + ", \"expected\": [{\"type\": \"i32\", \"value\": \"3\"}]}");
        commands.add("{\"type\": \"action\", \"line\": 22, \"action\": {\"type\": \"invoke\", \"module\": \"$m\", \"field\": \"nosuch\", \"args\": []}, \"expected\": []}");
        commands.add("{\"type\": \"action\", \"line\": 23, \"action\": {\"type\": \"invoke\", \"module\": \"$m\", \"field\": \"add\", \"args\": [" + I32_1_2 + "]}, \"expected\": []}");
        Files.writeString(dir.resolve("t.json"), "{\"source_filename\": \"t.wast\", \"commands\": [" + String.join(",\n", commands) + "]}");

        ScriptResult result = SpecRunner.runScript(dir.resolve("t.json"));

        StringBuilder verdicts = new StringBuilder();
        for (Outcome o : result.outcomes()) {
            verdicts.append(o.line()).append(':').append(o.status().name().charAt(0)).append(' ');
        }
        assertEquals("1:P 2:P 3:F 4:P 5:F 6:P 7:F 8:P 9:P 10:P 11:P 12:P 13:P 14:S 15:P 16:F 17:P 18:P 19:P 20:F 21:F 22:F 23:P ",
                verdicts.toString(), () -> String.join("\n", result.outcomes().stream().map(Outcome::describe).toList()));
        String wrongValue = result.outcomes().get(2).reason();
        assertTrue(wrongValue.contains("i32:4") && wrongValue.contains("i32:3"), wrongValue);
        assertTrue(result.outcomes().get(20).reason().contains("line 20"), result.outcomes().get(20).reason());
        assertTrue(result.outcomes().get(21).reason().contains("nosuch"), result.outcomes().get(21).reason());
    }

    /** spin() loops forever; add(i32,i32). */
    private static byte[] spinModule() {
        return WasmBytes.module()
                .section(1, new WasmBytes().u32(2).b(0x60, 0, 0).b(0x60, 2, 0x7f, 0x7f, 1, 0x7f))
                .section(3, new WasmBytes().u32(2).b(0, 1))
                .section(7, new WasmBytes().u32(2).name("spin").b(0, 0).name("add").b(0, 1))
                .section(10, new WasmBytes().u32(2)
                        .func(0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b)
                        .func(0x20, 0, 0x20, 1, 0x6a, 0x0b))
                .bytes();
    }

    @Test
    void runawayCommandIsInterruptedAndTheScriptGoesOn(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("s.0.wasm"), spinModule());
        String script = "{\"commands\": ["
                + "{\"type\": \"module\", \"line\": 1, \"filename\": \"s.0.wasm\"},"
                + "{\"type\": \"assert_return\", \"line\": 2, " + invoke("spin", "") + ", \"expected\": []},"
                + "{\"type\": \"assert_return\", \"line\": 3, " + invoke("add", I32_1_2) + ", \"expected\": [{\"type\": \"i32\", \"value\": \"3\"}]}]}";
        Files.writeString(dir.resolve("s.json"), script);

        ScriptResult result = SpecRunner.runScript(dir.resolve("s.json"), TimeUnit.MILLISECONDS.toNanos(300), true);

        assertEquals(3, result.outcomes().size());
        assertEquals(Outcome.Status.PASSED, result.outcomes().get(0).status());
        Outcome spin = result.outcomes().get(1);
        assertEquals(Outcome.Status.FAILED, spin.status());
        assertTrue(spin.reason().contains("interrupted by the spec runner"), spin.reason());
        assertEquals(Outcome.Status.PASSED, result.outcomes().get(2).status(), () -> result.outcomes().get(2).describe());
    }

    @Test
    void abandoningFailsTheRunningAndAllLaterCommands() {
        List<java.util.Map<String, Object>> commands = List.of(
                java.util.Map.of("type", "module", "line", 1L, "filename", "x.wasm"),
                java.util.Map.of("type", "assert_return", "line", 5L),
                java.util.Map.of("type", "action", "line", 9L));
        ScriptRun run = new ScriptRun(Path.of("."), commands, Engine::create);
        run.abandon("timed out");
        List<Outcome> outcomes = run.outcomes();
        assertEquals(3, outcomes.size());
        assertTrue(outcomes.stream().allMatch(o -> o.status() == Outcome.Status.FAILED));
        assertEquals("line 1 module: timed out", outcomes.get(0).describe());
        assertEquals("line 9 action: not run: the script was abandoned after a timeout at line 1", outcomes.get(2).describe());
    }
}
