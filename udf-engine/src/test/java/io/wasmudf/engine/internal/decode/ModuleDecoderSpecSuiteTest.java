package io.wasmudf.engine.internal.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.UnsupportedFeatureException;
import io.wasmudf.engine.testsupport.SpecSuite;
import io.wasmudf.engine.testsupport.SpecSuite.Command;
import io.wasmudf.engine.testsupport.SpecSuite.Script;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the decoder over every binary module of the official spec suite. */
class ModuleDecoderSpecSuiteTest {
    /** Commands whose module must be well-formed (it may still be invalid or fail to link/run). */
    private static final Set<String> WELL_FORMED = Set.of(
            "module", "assert_invalid", "assert_unlinkable", "assert_uninstantiable");

    private static List<Script> scripts;

    @BeforeAll
    static void loadSuite() {
        Optional<Path> dir = SpecSuite.jsonDir();
        Assumptions.assumeTrue(dir.isPresent(),
                "SKIPPED: Wasm spec suite not found; set -Dwasm.testsuite=<dir containing json/>");
        scripts = SpecSuite.scripts(dir.get());
    }

    private static boolean isBinaryModule(Command c) {
        return c.filename() != null && c.filename().endsWith(".wasm");
    }

    @Test
    void wellFormedModulesDecode() {
        List<String> failures = new ArrayList<>();
        int decoded = 0;
        for (Script s : scripts) {
            if (s.isSimd()) {
                continue;
            }
            for (Command c : s.commands()) {
                if (!WELL_FORMED.contains(c.type()) || !isBinaryModule(c)) {
                    continue;
                }
                try {
                    ModuleDecoder.decode(s.read(c));
                    decoded++;
                } catch (RuntimeException e) {
                    failures.add(s.name() + ":" + c.line() + " " + c.filename() + ": " + e);
                }
            }
        }
        System.out.println("[decoder] well-formed suite modules decoded: " + decoded);
        assertTrue(decoded > 1000, "suspiciously few modules: " + decoded);
        assertEquals(List.of(), failures);
    }

    @Test
    void malformedBinariesAreRejectedWithTheSpecReason() {
        List<String> failures = new ArrayList<>();
        List<String> byPrefix = new ArrayList<>();
        int total = 0;
        int exact = 0;
        for (Script s : scripts) {
            for (Command c : s.commands()) {
                if (!"assert_malformed".equals(c.type()) || !"binary".equals(c.moduleType())) {
                    continue;
                }
                total++;
                String where = s.name() + ":" + c.line() + " (" + c.filename() + ") expected \"" + c.text() + "\"";
                try {
                    ModuleDecoder.decode(s.read(c));
                    failures.add(where + " but it decoded");
                } catch (UnsupportedFeatureException e) {
                    failures.add(where + " but got " + e);
                } catch (MalformedModuleException e) {
                    // The spec harness matches by prefix; we count exact matches separately.
                    if (e.reason().equals(c.text())) {
                        exact++;
                    } else if (e.reason().startsWith(c.text())) {
                        byPrefix.add(where + ", got \"" + e.reason() + "\"");
                    } else {
                        failures.add(where + " but got \"" + e.reason() + "\"");
                    }
                } catch (RuntimeException e) {
                    failures.add(where + " but crashed with " + e);
                }
            }
        }
        System.out.println("[decoder] assert_malformed (binary): " + total + " cases, "
                + exact + " with exactly the expected reason, " + byPrefix.size() + " by prefix "
                + byPrefix + ", " + failures.size() + " wrong");
        assertTrue(total > 500, "suspiciously few malformed cases: " + total);
        assertEquals(List.of(), failures);
    }

    @Test
    void simdModulesDecodeOrReportUnsupported() {
        List<String> failures = new ArrayList<>();
        int unsupported = 0;
        int decoded = 0;
        for (Script s : scripts) {
            if (!s.isSimd()) {
                continue;
            }
            for (Command c : s.commands()) {
                if (!WELL_FORMED.contains(c.type()) || !isBinaryModule(c)) {
                    continue;
                }
                try {
                    ModuleDecoder.decode(s.read(c));
                    decoded++;
                } catch (UnsupportedFeatureException e) {
                    assertEquals("SIMD not supported", e.reason());
                    unsupported++;
                } catch (RuntimeException e) {
                    failures.add(s.name() + ":" + c.line() + " " + c.filename() + ": " + e);
                }
            }
        }
        System.out.println("[decoder] simd modules: " + unsupported + " unsupported, " + decoded + " decoded");
        assertTrue(unsupported > 100, "expected most SIMD modules to be refused: " + unsupported);
        assertEquals(List.of(), failures);
    }
}
