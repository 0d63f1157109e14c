package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * V8 (node, {@code src/test/node/loops-v8.js}) as the oracle of the recognised-loop tests
 * ({@link DotLoopsV8Test}, {@link ScanLoopsV8Test}): one batch of calls "name arg..." (i32
 * arguments) on one module, each answered "= v1 v2 ..." (i32 results) or "trap", and our answer in
 * the same form. (difffuzz's V8Oracle speaks JSON about instrumented modules: too much for this.)
 */
final class LoopsV8 {
    private LoopsV8() {}

    static boolean nodeOnPath() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "node"))) {
                return true;
            }
        }
        return false;
    }

    /** V8's answer to each of {@code calls} on a fresh instance of {@code wasm}, in order. */
    static String[] run(byte[] wasm, List<String> calls) throws Exception {
        Path dir = Files.createTempDirectory("loops-v8");
        try {
            Path module = dir.resolve("m.wasm");
            Path list = dir.resolve("calls.txt");
            Files.write(module, wasm);
            Files.writeString(list, String.join("\n", calls) + "\n");
            Process node = new ProcessBuilder("node", "src/test/node/loops-v8.js", module.toString(), list.toString())
                    .redirectErrorStream(true).start();
            String v8 = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, node.waitFor(), v8);
            String[] answers = v8.split("\n");
            assertEquals(calls.size(), answers.length, v8);
            return answers;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** Our answer to {@code call} ("name arg...") on {@code inst}, in V8's form. */
    static String ours(Instance inst, String call) {
        String[] parts = call.split(" ");
        Object[] args = new Object[parts.length - 1];
        for (int a = 1; a < parts.length; a++) {
            args[a - 1] = Integer.parseInt(parts[a]);
        }
        try {
            StringBuilder s = new StringBuilder("=");
            for (Object r : inst.function(parts[0]).call(args)) {
                s.append(' ').append(r);
            }
            return s.toString();
        } catch (Trap t) {
            return "trap";
        }
    }
}
