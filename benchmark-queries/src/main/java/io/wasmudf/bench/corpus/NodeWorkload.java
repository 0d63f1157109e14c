package io.wasmudf.bench.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a workload's V8 side ({@code corpus/*.mjs}) with {@code node} on the same module bytes. */
public final class NodeWorkload {
    private NodeWorkload() {}

    /** V8's output and its per-run times in ms (stderr lines "v8 run N: T ms"); empty without node. */
    /** The output, and per run the wall-clock and the process's CPU time (all threads) in ms. */
    public record Result(String output, List<Double> millis, List<Double> cpuMillis) {}

    /**
     * Runs {@code script} (a file in {@code benchmark-queries/corpus}) on {@code wasm} with the
     * workload resource {@code input}, {@code runs} times in one process; empty when node is missing.
     */
    public static Optional<Result> run(String script, Path wasm, String input, int runs) throws IOException, InterruptedException {
        Path inputFile = Files.createTempFile("wasmudf-workload", ".txt");
        try (InputStream in = NodeWorkload.class.getResourceAsStream(input)) {
            Files.write(inputFile, in.readAllBytes());
            List<String> cmd = new ArrayList<>(List.of("node", Corpus.home().resolve(script).toString(),
                    wasm.toString(), inputFile.toString(), Integer.toString(runs)));
            Process p;
            try {
                p = new ProcessBuilder(cmd).start();
            } catch (IOException e) {
                System.err.println("NODE NOT FOUND: the V8 side of " + script + " is skipped (" + e.getMessage() + ")");
                return Optional.empty();
            }
            byte[] err = new byte[0];
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("node " + script + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
            List<Double> millis = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (String line : new String(err, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("v8 run ")) {
                    String t = line.substring(line.indexOf(':') + 1).trim();
                    millis.add(Double.parseDouble(t.substring(0, t.indexOf(' '))));
                    int c = t.indexOf("(cpu ");
                    if (c >= 0) {
                        cpu.add(Double.parseDouble(t.substring(c + 5, t.indexOf(' ', c + 5))));
                    }
                }
            }
            return Optional.of(new Result(out, millis, cpu));
        } finally {
            Files.deleteIfExists(inputFile);
        }
    }
}
