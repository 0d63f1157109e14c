package io.wasmudf.engine.difffuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing against V8 (node): binaryen {@code wasm-opt -ttf} modules and the
 * project's own generator, every export called in V8 and in each engine configuration with the
 * same imports and arguments. The CI-sized slice always runs (skipped loudly without node or
 * wasm-opt); {@code -Dwasmudf.difffuzz.modules=N -Dwasmudf.difffuzz.seed=S} runs any size, see
 * docs/FUZZING.md. Failing modules are kept in {@code target/difffuzz/}.
 */
class DiffFuzzTest {
    static final Path SCRIPT = Path.of("src/test/node/difffuzz-v8.js");
    static final Path KEEP = Path.of("target/difffuzz");

    /** binaryen's features for the SIMD slice (issue 20): the default ones and v128. */
    static final String SIMD_FEATURES = ModuleSource.DEFAULT_TTF_FEATURES + " --enable-simd";

    @Test
    void ttfModulesBehaveAsInV8() throws Exception {
        run("ttf", 100, 0x7_7F_2026L, null);
    }

    @Test
    void ttfSimdModulesBehaveAsInV8() throws Exception {
        run("ttf", 60, 0x51_3D_2026L, SIMD_FEATURES);
    }

    @Test
    void ownGeneratorModulesBehaveAsInV8() throws Exception {
        run("own", 60, 0x0_0E_2026L, null);
    }

    /** {@code features}: binaryen's for this slice, unless {@code -Dwasmudf.difffuzz.features} says otherwise. */
    private static void run(String source, int ciModules, long ciSeed, String features) throws Exception {
        if (!System.getProperty("wasmudf.difffuzz.source", source).equals(source)) {
            Assumptions.abort("-Dwasmudf.difffuzz.source picks the other source");
        }
        requireTool("node");
        DiffFuzz.Settings settings = DiffFuzz.Settings.fromProperties(ciModules, ciSeed, KEEP);
        settings = new DiffFuzz.Settings(source, settings.seed(), settings.modules(), settings.rounds(),
                settings.methodSizeLimit(), settings.wasmOpt(),
                features == null ? settings.features() : System.getProperty("wasmudf.difffuzz.features", features), settings.keepDir(),
                settings.callTimeout(), settings.v8Timeout());
        if (source.equals("ttf")) {
            requireTool(settings.wasmOpt());
        }
        DiffFuzz.Report report;
        try (DiffFuzz fuzz = new DiffFuzz(settings, SCRIPT)) {
            report = fuzz.campaign();
        }
        System.out.println("[difffuzz] " + source + " seeds " + settings.seed() + ".." + (settings.seed() + settings.modules() - 1)
                + ": " + report);
        if (!report.failures.isEmpty()) {
            fail(report.failures.size() + " differences from V8 (" + source + ", seeds from " + settings.seed() + "): "
                    + report + "\n" + report.failures.stream().map(Object::toString).collect(Collectors.joining("\n")));
        }
        assertTrue(report.calls > 0, "no export call was compared");
    }

    static void requireTool(String tool) {
        if (ModuleSource.onPath(tool) == null) {
            System.out.println("[difffuzz] LOUD NOTE: " + tool + " is not installed: differential fuzzing against V8 SKIPPED"
                    + " (apt-get install nodejs binaryen)");
            Assumptions.abort(tool + " is not installed");
        }
    }
}
