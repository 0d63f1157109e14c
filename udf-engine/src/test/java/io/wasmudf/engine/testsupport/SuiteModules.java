package io.wasmudf.engine.testsupport;

import io.wasmudf.engine.WasmException;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.validate.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The binary modules of the shared spec suite ({@code <suite>/json/NAME.N.wasm}), without reading
 * its scripts — command by command checks are the spec-test artifact's ({@code udf-engine-spectest}).
 * The suite comes from the {@code wasm.testsuite} system property, else {@code ../../shared/wasm-testsuite}.
 * Tests that need it skip loudly without it, or fail in CI ({@code WASMUDF_CI=required}).
 */
public final class SuiteModules {
    private SuiteModules() {}

    /** One module file of a script, e.g. {@code binary.12.wasm} of {@code binary}. */
    public record Module(String script, String file, byte[] bytes) {
        public boolean isSimd() {
            return script.startsWith("simd_");
        }

        /** Whether it decodes and validates. */
        public boolean isValid() {
            try {
                Validator.validate(ModuleDecoder.decode(bytes));
                return true;
            } catch (WasmException e) {
                return false;
            }
        }
    }

    /** The {@code json} directory of the suite, if it can be found. */
    public static Optional<Path> jsonDir() {
        String configured = System.getProperty("wasm.testsuite");
        for (String candidate : new String[] {configured, "../../shared/wasm-testsuite"}) {
            if (candidate != null && !candidate.isBlank()) {
                Path json = Paths.get(candidate).resolve("json");
                if (Files.isDirectory(json)) {
                    return Optional.of(json.toAbsolutePath().normalize());
                }
            }
        }
        return Optional.empty();
    }

    /** Every module of the suite, by file name; skips the calling test without the suite (fails it in CI). */
    public static List<Module> required() {
        Optional<Path> dir = jsonDir();
        if (dir.isEmpty()) {
            String message = "SPEC SUITE NOT FOUND: set -Dwasm.testsuite=<dir containing json/> (expected ../shared/wasm-testsuite)";
            System.err.println(message);
            if ("required".equals(System.getenv("WASMUDF_CI"))) {
                Assertions.fail(message + " — and WASMUDF_CI=required: the suite must run in CI");
            }
            Assumptions.abort(message);
        }
        return read(dir.get());
    }

    /** Every module of the suite, or none (said loudly) when it is absent: for seeding fuzzers, which also run without it. */
    public static List<Module> orNone(String who) {
        Optional<Path> dir = jsonDir();
        if (dir.isEmpty()) {
            System.out.println("[" + who + "] LOUD NOTE: spec suite not found, fuzzing built-in seeds only");
            return List.of();
        }
        return read(dir.get());
    }

    private static List<Module> read(Path json) {
        List<Module> modules = new ArrayList<>();
        try (Stream<Path> files = Files.list(json)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".wasm")).sorted().toList()) {
                String file = f.getFileName().toString();
                modules.add(new Module(file.substring(0, file.indexOf('.')), file, Files.readAllBytes(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return modules;
    }
}
