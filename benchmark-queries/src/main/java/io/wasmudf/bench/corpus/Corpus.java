package io.wasmudf.bench.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real-program corpus ({@code benchmark-queries/corpus/modules.txt}): WebAssembly modules from
 * npm, fetched by {@code corpus/fetch.sh} into a cache outside the repository.
 */
public final class Corpus {
    private Corpus() {}

    /** One pinned module: its short name, npm package, file in the package and source language. */
    public record Entry(String name, String pkg, String file, String language, Path path) {
        public byte[] bytes() {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Module {@code name}'s file in the cache {@code fetch.sh} fills, when it is there (without
     * running {@code fetch.sh}: for benchmark forks, which must not download).
     */
    public static Optional<Path> cached(String name) {
        String dir = System.getenv("WASMUDF_CORPUS_DIR");
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg == null || xdg.isBlank() ? Paths.get(System.getProperty("user.home"), ".cache") : Paths.get(xdg);
            dir = base.resolve("wasmudf-corpus").toString();
        }
        Path p = Paths.get(dir, "modules", name + ".wasm");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** The {@code corpus} directory of the checkout: {@code -Dwasmudf.corpus.home}, else found from the working directory. */
    static Path home() {
        String configured = System.getProperty("wasmudf.corpus.home");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Paths.get(configured));
        }
        candidates.add(Paths.get("corpus"));
        candidates.add(Paths.get("benchmark-queries/corpus"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve("fetch.sh"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("benchmark-queries/corpus not found from " + Paths.get("").toAbsolutePath());
    }

    /**
     * Runs {@code fetch.sh} (a no-op once the cache is complete) and returns the modules; empty with
     * the reason printed when the npm registry cannot be reached.
     */
    public static Optional<List<Entry>> fetch() {
        Path home = home();
        Path dir;
        try {
            Process p = new ProcessBuilder("bash", home.resolve("fetch.sh").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("corpus/fetch.sh did not finish in 30 minutes");
            }
            if (p.exitValue() == 3) {
                System.err.println("CORPUS NOT AVAILABLE: the npm registry cannot be reached (corpus/fetch.sh exit 3)");
                return Optional.empty();
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("corpus/fetch.sh failed with exit status " + p.exitValue());
            }
            dir = Paths.get(out.substring(out.lastIndexOf('\n') + 1));
        } catch (IOException e) {
            System.err.println("CORPUS NOT AVAILABLE: cannot run corpus/fetch.sh: " + e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<Entry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(home.resolve("modules.txt"))) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                entries.add(new Entry(f[0], f[1], f[2], f[3], dir.resolve(f[0] + ".wasm")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(entries);
    }
}
