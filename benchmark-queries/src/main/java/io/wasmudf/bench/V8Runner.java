package io.wasmudf.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs v8/bench.mjs with {@code node} on the same .wasm files; skipped with a note without node. */
final class V8Runner {
    private V8Runner() {}

    static Map<String, Double> run(boolean quick, List<String> kernels, List<String> notes) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("wasmudf-bench-v8");
            BenchMain.extract("/io/wasmudf/bench/v8/bench.mjs", dir);
            for (String k : kernels) {
                if (k.startsWith("simd")) {
                    // the SIMD kernels share one module and its scalar build (issue 20), extracted once
                    if (!Files.exists(dir.resolve("simd.wasm"))) {
                        BenchMain.extract("/io/wasmudf/bench/simd.wasm", dir);
                        BenchMain.extract("/io/wasmudf/bench/simd_scalar.wasm", dir);
                    }
                } else {
                    BenchMain.extract("/io/wasmudf/bench/" + k + ".wasm", dir);
                }
            }
            List<String> cmd = new ArrayList<>(List.of("node", dir.resolve("bench.mjs").toString(), dir.toString()));
            if (quick) {
                cmd.add("--quick");
            }
            cmd.addAll(kernels);
            System.err.println("[bench] V8: " + String.join(" ", kernels) + "...");
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                notes.add("v8: skipped, `node` is not on the PATH");
                return Map.of();
            }
            String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                notes.add("v8: node failed (exit " + p.exitValue() + ")");
                return Map.of();
            }
            int v = json.indexOf("\"_node\":\"");
            if (v >= 0) {
                notes.add("v8: node " + json.substring(v + 9, json.indexOf('"', v + 9)));
            }
            int results = json.indexOf("\"_results\"");
            return BenchMain.numbers(results < 0 ? json : json.substring(0, results) + "}");
        } catch (IOException e) {
            notes.add("v8: skipped (" + e.getMessage() + ")");
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    // a temp directory left behind is harmless
                }
            }
        }
    }
}
