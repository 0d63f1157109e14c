package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared spec suite: system property {@code wasm.testsuite}, else
 * {@code ../../shared/wasm-testsuite}. Without it the suite tests skip loudly — except in CI
 * ({@code WASMUDF_CI=required}, set by {@code .ci/run}), where a missing suite fails them.
 */
final class SuiteLocation {
    private SuiteLocation() {}

    /** The suite directory, or null when it is absent. */
    static Path find() {
        String configured = System.getProperty("wasm.testsuite");
        for (String candidate : new String[] {configured, "../../shared/wasm-testsuite"}) {
            if (candidate != null && !candidate.isBlank()) {
                Path dir = Paths.get(candidate);
                if (Files.isDirectory(dir.resolve("json"))) {
                    return dir.toAbsolutePath().normalize();
                }
            }
        }
        return null;
    }

    /** The suite directory; skips the calling test without it, or fails it in CI. */
    static Path require() {
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

    static String absentMessage() {
        return "SPEC SUITE NOT FOUND: set -Dwasm.testsuite=DIR (with DIR/json from wast2json); tried "
                + System.getProperty("wasm.testsuite") + " and ../../shared/wasm-testsuite";
    }
}
