package io.wasmudf.engine.spectest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the shared spec suite: system property {@code wasm.testsuite}, else {@code ../../shared/wasm-testsuite}. */
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

    static String absentMessage() {
        return "SPEC SUITE NOT FOUND: set -Dwasm.testsuite=DIR (with DIR/json from wast2json); tried "
                + System.getProperty("wasm.testsuite") + " and ../../shared/wasm-testsuite";
    }
}
