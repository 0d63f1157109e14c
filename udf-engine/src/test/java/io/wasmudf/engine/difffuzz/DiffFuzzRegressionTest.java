package io.wasmudf.engine.difffuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every module the differential fuzzer found and reduced ({@code src/test/resources/difffuzz/*.wasm},
 * listed in its README.md) goes through the same check again: V8 against every engine
 * configuration, arguments from the seed in the file name.
 */
class DiffFuzzRegressionTest {
    static final Path DIR = Path.of("src/test/resources/difffuzz");

    @TestFactory
    Stream<DynamicTest> reducedModulesBehaveAsInV8() throws IOException {
        DiffFuzzTest.requireTool("node");
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".wasm")).sorted().collect(Collectors.toList());
        }
        DiffFuzz.Settings settings = DiffFuzz.Settings.fromProperties(1, 0, DiffFuzzTest.KEEP.resolve("regressions"));
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            DiffFuzz.Report report = new DiffFuzz.Report();
            try (DiffFuzz fuzz = new DiffFuzz(settings, DiffFuzzTest.SCRIPT)) {
                fuzz.check(Files.readAllBytes(file), DiffCheck.seedOf(file), file.getFileName().toString().replace(".wasm", ""), report);
            }
            assertEquals("", report.failures.stream().map(Object::toString).collect(Collectors.joining("\n")),
                    file + " differs from V8");
            assertEquals(1, report.modules);
        }));
    }
}
