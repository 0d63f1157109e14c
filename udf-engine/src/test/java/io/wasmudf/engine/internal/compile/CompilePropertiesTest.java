package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import java.io.IOException;
import java.util.List;
import io.wasmudf.engine.testsupport.ChildJvm;
import io.wasmudf.engine.testsupport.SystemProperties;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dwasmudf.compile.helperFreeForms} accepts exactly {@code all}, {@code small} and
 * {@code none}: anything else makes building an engine throw IllegalArgumentException naming the
 * property, the value and the allowed ones, instead of compiling as {@code small} unannounced.
 * The engine's other properties likewise: each word-valued one its words, each count a whole
 * number.
 */
class CompilePropertiesTest {
    private static final List<String> BAD = List.of("Small", "ful", "", " small", "ALL");

    @Test
    void onlyTheThreeValuesPass() {
        assertEquals("small", CompileProperties.checkHelperFreeForms(null));
        for (String v : List.of("all", "small", "none")) {
            assertEquals(v, CompileProperties.checkHelperFreeForms(v));
        }
        for (String v : BAD) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompileProperties.checkHelperFreeForms(v));
            assertTrue(e.getMessage().startsWith("-Dwasmudf.compile.helperFreeForms=" + v + " is not a valid setting"), e.getMessage());
            assertTrue(e.getMessage().contains("expected all, small or none"), e.getMessage());
        }
    }

    @Test
    void wordsAndCountsAreChecked() {
        assertEquals("off", CompileProperties.checkWord("wasmudf.simd.vectorApi", "off", "auto or off"));
        assertEquals("auto", CompileProperties.checkWord("wasmudf.simd.vectorApi", "auto", "auto or off"));
        assertEquals("TRUE", CompileProperties.checkWord("wasmudf.warmup", "TRUE", "true or false"));
        assertEquals(null, CompileProperties.checkWord("wasmudf.warmup", null, "true or false"));
        for (String v : List.of("of", "Off", "", "yes")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CompileProperties.checkWord("wasmudf.simd.vectorApi", v, "auto or off"));
            assertEquals("-Dwasmudf.simd.vectorApi=" + v + " is not a valid setting: expected auto or off", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CompileProperties.checkWord("wasmudf.memory.unsafe", "1", "true or false"));
        assertEquals("6000", CompileProperties.checkCount("wasmudf.compile.methodLimit", "6000"));
        assertEquals("0", CompileProperties.checkCount("wasmudf.compile.helperBudget", "0"));
        for (String v : List.of("6k", "-1", "", "1e5", "99999999999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CompileProperties.checkCount("wasmudf.compile.methodLimit", v));
            assertTrue(e.getMessage().startsWith("-Dwasmudf.compile.methodLimit=" + v + " is not a valid setting: expected a whole number"),
                    e.getMessage());
        }
    }

    @Test
    void theBuilderRefusesEveryMisspeltProperty() {
        Engine.create();
        for (String[] p : CompileProperties.WORDS) {
            refusedWhileSet(p[0], "maybe");
        }
        for (String name : CompileProperties.COUNTS) {
            refusedWhileSet(name, "lots");
        }
        Engine.create();
    }

    private static void refusedWhileSet(String property, String value) {
        String before = SystemProperties.set(property, value);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Engine::create, property);
            assertTrue(e.getMessage().startsWith("-D" + property + "=" + value + " is not a valid setting"), e.getMessage());
        } finally {
            SystemProperties.restore(property, before);
        }
    }

    @Test
    void theBuilderRefusesAPropertySetLater() {
        // first an engine under this JVM's own setting, so that CompileProperties is loaded with it
        // and not with a bad value set below (the compiler's value is fixed when that class loads)
        Engine.create();
        String before = System.getProperty(CompileProperties.HELPER_FREE_FORMS_PROPERTY);
        try {
            for (String v : BAD) {
                System.setProperty(CompileProperties.HELPER_FREE_FORMS_PROPERTY, v);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.builder().untrusted().build());
                assertTrue(e.getMessage().contains("helperFreeForms=" + v + " "), e.getMessage());
                assertThrows(IllegalArgumentException.class, Engine::create);
            }
        } finally {
            SystemProperties.restore(CompileProperties.HELPER_FREE_FORMS_PROPERTY, before);
        }
        Engine.create();
    }

    /** The operator's case: the value on the command line, seen when the compiler's class loads. */
    @Test
    void aMisspeltCommandLineValueStopsTheFirstEngine() throws IOException, InterruptedException {
        String out = ChildJvm.run(List.of("-Dwasmudf.compile.helperFreeForms=Small"), Child.class);
        assertTrue(out.contains("refused: -Dwasmudf.compile.helperFreeForms=Small is not a valid setting: expected all, small or none"), out);
        // the compiler took the value when its class loaded: correcting the property later does not undo that
        assertTrue(out.contains("refused after the fix: -Dwasmudf.compile.helperFreeForms=Small "), out);
    }

    /** Builds an engine, then sets the property right and builds another, printing what each did. */
    static final class Child {
        public static void main(String[] args) {
            build("refused: ");
            System.setProperty(CompileProperties.HELPER_FREE_FORMS_PROPERTY, "small");
            build("refused after the fix: ");
        }

        private static void build(String refused) {
            try {
                Engine.create();
                System.out.println("built");
            } catch (IllegalArgumentException e) {
                System.out.println(refused + e.getMessage());
            }
        }
    }
}
