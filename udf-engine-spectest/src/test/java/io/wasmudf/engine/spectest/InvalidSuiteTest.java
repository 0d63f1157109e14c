package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The validator over the scripts of the official spec suite (SIMD included), through the engine's public
 * API ({@link Engine#validate}): valid modules must pass, and every {@code assert_invalid} module
 * must fail with the expected reason. Like the spec
 * harness, a reason that starts with the expected text counts (the suite itself expects both
 * {@code unknown memory} and {@code unknown memory 0} for the same situation; we always name the
 * index, as the reference interpreter does); exact matches are counted separately.
 */
class InvalidSuiteTest {
    private static final Engine ENGINE = Engine.builder().moduleCacheBytes(0).build();
    /** Commands whose module must decode and validate (linking or running it may still fail). */
    private static final Set<String> VALID = Set.of("module", "assert_unlinkable", "assert_uninstantiable");

    private static List<Script> scripts;

    @BeforeAll
    static void loadSuite() {
        scripts = SuiteScripts.all();
        assertEquals(148, scripts.size(), "scripts (90, and 58 SIMD ones)");
    }


    @Test
    void validModulesValidate() {
        List<String> failures = new ArrayList<>();
        int validated = 0;
        for (Script s : scripts) {
            for (Command c : s.commands()) {
                if (!VALID.contains(c.type()) || !c.isBinaryModule()) {
                    continue;
                }
                try {
                    ENGINE.validate(s.read(c));
                    validated++;
                } catch (RuntimeException e) {
                    failures.add(s.name() + ":" + c.line() + " " + c.filename() + ": " + e);
                }
            }
        }
        System.out.println("[validator] valid suite modules validated: " + validated);
        assertTrue(validated > 1000, "suspiciously few modules: " + validated);
        assertEquals(List.of(), failures);
    }

    @Test
    void invalidModulesFailWithTheSpecReason() {
        List<String> failures = new ArrayList<>();
        int total = 0;
        int exact = 0;
        int prefix = 0;
        int superseded = 0;
        for (Script s : scripts) {
            for (Command c : s.commands()) {
                if (!"assert_invalid".equals(c.type()) || !c.isBinaryModule()) {
                    continue;
                }
                total++;
                String where = s.name() + ":" + c.line() + " (" + c.filename() + ") expected \"" + c.text() + "\"";
                try {
                    ENGINE.validate(s.read(c));
                    if (Wasm3Features.superseded(c.text(), Wasm3Features.ACCEPTED)) {
                        superseded++; // a 2.0 rule 3.0 dropped (multi-memory, memory64): the 3.0 suite checks the new one
                    } else {
                        failures.add(where + " but it validated");
                    }
                } catch (InvalidModuleException e) {
                    if (e.reason().equals(c.text())) {
                        exact++;
                    } else if (e.reason().startsWith(c.text())) {
                        prefix++;
                    } else {
                        failures.add(where + " but got: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    failures.add(where + " but got " + e);
                }
            }
        }
        System.out.println("[validator] assert_invalid: " + total + " total, " + exact + " exact, "
                + prefix + " prefix matches (index appended), " + superseded + " 2.0 rules superseded by 3.0, "
                + failures.size() + " failures");
        assertTrue(total > 1000, "suspiciously few assert_invalid commands: " + total);
        assertEquals(List.of(), failures);
    }
}
