package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.UnsupportedFeatureException;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.spectest.SuiteScripts.Command;
import io.wasmudf.engine.spectest.SuiteScripts.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every binary module of the official spec suite through the engine's public API
 * ({@link Engine#validate}): well-formed ones never raise {@link MalformedModuleException}, each
 * {@code assert_malformed} one raises it with the suite's reason (or a reason that starts with it,
 * as the spec harness accepts), SIMD modules included.
 */
class MalformedSuiteTest {
    /** The 2.0 suite's modules are judged by 2.0's rules (3.0 lifted some: a second memory, u64 limits). */
    private static final Engine ENGINE = Engine.builder().features(WasmFeatures.V2_0).moduleCacheBytes(0).build();
    /** Commands whose module must be well-formed (it may still be invalid or fail to link/run). */
    private static final Set<String> WELL_FORMED = Set.of(
            "module", "assert_invalid", "assert_unlinkable", "assert_uninstantiable");

    private static List<Script> scripts;

    @BeforeAll
    static void loadSuite() {
        scripts = SuiteScripts.all();
    }

    /** Decodes and validates; a module that decodes but is invalid is well-formed. */
    private static void decode(byte[] bytes) {
        try {
            ENGINE.validate(bytes);
        } catch (InvalidModuleException e) {
            // well-formed: decoding succeeded
        }
    }

    /** Decodes the binary modules that must be well-formed in the scripts {@code which} takes; adds each failure, returns how many decoded. */
    private static int decodeWellFormed(Predicate<Script> which, List<String> failures) {
        int decoded = 0;
        for (Script s : scripts) {
            if (!which.test(s)) {
                continue;
            }
            for (Command c : s.commands()) {
                if (!WELL_FORMED.contains(c.type()) || !c.isBinaryModule()) {
                    continue;
                }
                try {
                    decode(s.read(c));
                    decoded++;
                } catch (RuntimeException e) {
                    failures.add(s.name() + ":" + c.line() + " " + c.filename() + ": " + e);
                }
            }
        }
        return decoded;
    }

    @Test
    void wellFormedModulesDecode() {
        List<String> failures = new ArrayList<>();
        int decoded = decodeWellFormed(s -> true, failures);
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
                    decode(s.read(c));
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
    void simdModulesDecode() {
        List<String> failures = new ArrayList<>();
        int decoded = decodeWellFormed(Script::isSimd, failures);
        System.out.println("[decoder] simd modules decoded: " + decoded);
        assertTrue(decoded > 100, "suspiciously few SIMD modules: " + decoded);
        assertEquals(List.of(), failures);
    }
}
