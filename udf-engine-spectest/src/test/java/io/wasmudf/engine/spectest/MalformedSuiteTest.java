package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.UnsupportedFeatureException;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.spectest.SuiteScripts.Command;
import io.wasmudf.engine.spectest.SuiteScripts.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every binary module of the official spec suite through the engine's public API
 * ({@link Engine#validate}): well-formed ones never raise {@link MalformedModuleException}, each
 * {@code assert_malformed} one raises it with the suite's reason (or a reason that starts with it,
 * as the spec harness accepts), SIMD modules included.
 */
class MalformedSuiteTest {
    private static final Engine ENGINE = Engine.builder().moduleCacheBytes(0).build();
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

    @Test
    void wellFormedModulesDecode() {
        List<String> failures = new ArrayList<>();
        int decoded = 0;
        for (Script s : scripts) {
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
        int superseded = 0;
        for (Script s : scripts) {
            for (Command c : s.commands()) {
                if (!"assert_malformed".equals(c.type()) || !"binary".equals(c.moduleType())) {
                    continue;
                }
                total++;
                String where = s.name() + ":" + c.line() + " (" + c.filename() + ") expected \"" + c.text() + "\"";
                try {
                    decode(s.read(c));
                    if (Wasm3Features.superseded(c.text(), Wasm3Features.ACCEPTED)) {
                        superseded++; // a 2.0 rule 3.0 dropped (multi-memory, memory64): the 3.0 suite checks the new one
                    } else {
                        failures.add(where + " but it decoded");
                    }
                } catch (UnsupportedFeatureException e) {
                    failures.add(where + " but got " + e);
                } catch (MalformedModuleException e) {
                    // The spec harness matches by prefix; we count exact matches separately.
                    if (e.reason().equals(c.text())) {
                        exact++;
                    } else if (e.reason().startsWith(c.text())) {
                        byPrefix.add(where + ", got \"" + e.reason() + "\"");
                    } else if (Wasm3Features.superseded(c.text(), e.reason())) {
                        superseded++;
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
                + byPrefix + ", " + superseded + " 2.0 rules superseded by 3.0, " + failures.size() + " wrong");
        assertTrue(total > 500, "suspiciously few malformed cases: " + total);
        assertEquals(List.of(), failures);
    }

    @Test
    void simdModulesDecode() {
        List<String> failures = new ArrayList<>();
        int decoded = 0;
        for (Script s : scripts) {
            if (!s.isSimd()) {
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
        System.out.println("[decoder] simd modules decoded: " + decoded);
        assertTrue(decoded > 100, "suspiciously few SIMD modules: " + decoded);
        assertEquals(List.of(), failures);
    }
}
