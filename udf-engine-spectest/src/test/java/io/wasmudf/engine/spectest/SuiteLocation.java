package io.wasmudf.engine.spectest;

import io.wasmudf.engine.WasmFeatures;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared spec suites ({@code .wast} scripts, never copied into the repository): the
 * 2.0 suite from system property {@code wasm.testsuite}, else {@code ../../shared/wasm-testsuite};
 * the 3.0 suite from {@code wasm.testsuite3}, else {@code ../../shared/wasm-testsuite-3}. Without
 * one the suite tests skip loudly — except in CI ({@code WASMUDF_CI=required}, set by
 * {@code .ci/run}), where a missing suite fails them.
 */
enum SuiteLocation {
    V2("wasm.testsuite", "../../shared/wasm-testsuite", "spec-expectations.txt", WasmFeatures.V2_0),
    V3("wasm.testsuite3", "../../shared/wasm-testsuite-3", "spec-expectations-3.txt", WasmFeatures.V3_0);

    /** The version whose rules the suite asserts, which its scripts run at. */
    final WasmFeatures features;
    final String property;
    final String fallback;
    /** The pinned outcomes, a resource of this module's tests. */
    final String pins;

    SuiteLocation(String property, String fallback, String pins, WasmFeatures features) {
        this.features = features;
        this.property = property;
        this.fallback = fallback;
        this.pins = pins;
    }

    /** The suite directory, or null when it is absent. */
    Path find() {
        for (String candidate : new String[] {System.getProperty(property), fallback}) {
            if (candidate != null && !candidate.isBlank() && hasScripts(Paths.get(candidate))) {
                return Paths.get(candidate).toAbsolutePath().normalize();
            }
        }
        return null;
    }

    private static boolean hasScripts(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".wast"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The suite directory; skips the calling test without it, or fails it in CI. */
    Path require() {
        Path suite = find();
        if (suite == null) {
            System.err.println(absentMessage());
            if ("required".equals(System.getenv("WASMUDF_CI"))) {
                fail(absentMessage() + " — and WASMUDF_CI=required: the suite must run in CI");
            }
            Assumptions.abort(absentMessage());
        }
        return suite;
    }

    /** The 2.0 suite (see {@link #require()}). */
    static Path require2() {
        return V2.require();
    }

    String absentMessage() {
        return "SPEC SUITE NOT FOUND: set -D" + property + "=DIR (DIR holding the .wast scripts); tried "
                + System.getProperty(property) + " and " + fallback;
    }
}
