package io.wasmudf.engine.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The text parser over every script of the 2.0 and 3.0 spec suites in {@code ../shared}: every
 * text module parses, every {@code assert_malformed} text module is rejected (with the suite's
 * wording for 3.0), and for 2.0 the binaries equal wast2json's. Skips loudly without the suites.
 */
class WatSuiteTest {
    /** Where our encoding differs from wabt's on purpose (see docs/ENGINE.md, "Text format"). */
    private static final Set<String> KNOWN_DIFFERENCES = Set.of(
            // (select (result) ...): the spec's encoding 0x1C 0x00; wabt writes a plain select
            "select.wast line 323");

    private static Path suiteOrSkip(String name) {
        Optional<Path> dir = WatSuiteCheck.suite(name);
        if (dir.isEmpty()) {
            System.err.println("SKIPPED: ../shared/" + name + " not found; the text-format suite checks did not run");
        }
        Assumptions.assumeTrue(dir.isPresent(), "../shared/" + name + " not found");
        return dir.get();
    }

    @Test
    void wasm2SuiteParsesAndMatchesWast2json() {
        Path dir = suiteOrSkip("wasm-testsuite");
        List<String> problems = new ArrayList<>();
        int modules = 0;
        int equal = 0;
        int malformed = 0;
        for (Path f : WatSuiteCheck.wastFiles(dir)) {
            // the 2.0 suite's text is read by 2.0's rules (u32 limits and offsets)
            WatSuiteCheck.Report r = WatSuiteCheck.check(f, dir.resolve("json"), io.wasmudf.engine.WasmFeatures.V2_0);
            modules += r.parsed;
            equal += r.equal;
            malformed += r.rejected + r.decoderRejected;
            r.failures.forEach(x -> problems.add(r.file + " " + x));
            for (String d : r.differences) {
                String key = r.file + " " + d.substring(0, d.indexOf(' ', 5));
                if (!KNOWN_DIFFERENCES.contains(key)) {
                    problems.add(r.file + " " + d);
                }
            }
        }
        assertEquals(List.of(), problems);
        // Floors, so that a suite silently losing its modules fails the test.
        assertTrue(modules >= 3793 && equal >= 3652 && malformed >= 1091,
                modules + " modules, " + equal + " equal, " + malformed + " malformed");
    }

    @Test
    void wasm3SuiteParsesWithTheSuitesWording() {
        Path dir = suiteOrSkip("wasm-testsuite-3");
        List<String> problems = new ArrayList<>();
        int modules = 0;
        int malformed = 0;
        for (Path d : List.of(dir, dir.resolve("legacy"))) {
            for (Path f : WatSuiteCheck.wastFiles(d)) {
                WatSuiteCheck.Report r = WatSuiteCheck.check(f, null);
                modules += r.parsed;
                malformed += r.worded;
                r.failures.forEach(x -> problems.add(r.file + " " + x));
                r.wording.forEach(x -> problems.add(r.file + " " + x));
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(modules >= 5133 && malformed >= 1236, modules + " modules, " + malformed + " malformed");
    }

    @Test
    void proposalsParse() {
        Path dir = suiteOrSkip("wasm-testsuite-3").resolve("proposals");
        Assumptions.assumeTrue(Files.isDirectory(dir));
        int modules = 0;
        int parsed = 0;
        List<String> problems = new ArrayList<>();
        try (var sub = Files.list(dir)) {
            for (Path p : sub.filter(Files::isDirectory).sorted().toList()) {
                for (Path f : WatSuiteCheck.wastFiles(p)) {
                    WatSuiteCheck.Report r = WatSuiteCheck.check(f, null);
                    modules += r.modules;
                    parsed += r.parsed;
                    r.failures.forEach(x -> problems.add(p.getFileName() + "/" + r.file + " " + x));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.println("proposals: " + parsed + "/" + modules + " modules parsed; " + problems.size() + " problems");
        problems.stream().filter(x -> !x.startsWith("custom-descriptors")).limit(30).forEach(System.out::println);
        assertTrue(parsed > 0);
    }
}
