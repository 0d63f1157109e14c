package io.wasmudf.engine.internal.compile;

/**
 * The compiler's system properties that take a word rather than a number, checked when an engine
 * is built: a misspelt value would otherwise compile as the default, unannounced. A class of
 * its own, with nothing else in it, because {@code Engine.Builder.build} loads it on every path,
 * including a code-cache hit that never loads the compiler itself (loading and initialising
 * ModuleCompiler took 5–8 ms of main-thread CPU in a fresh JDK 17 JVM, loaded machine, five runs).
 */
public final class CompileProperties {
    private CompileProperties() {}

    static final String HELPER_FREE_FORMS_PROPERTY = "wasmudf.compile.helperFreeForms";
    /**
     * {@code -Dwasmudf.compile.helperFreeForms} as this JVM's compiler uses it (see
     * {@link HelperFreeForms#FORMS}): read once, when this class loads.
     */
    static final String HELPER_FREE_FORMS = System.getProperty(HELPER_FREE_FORMS_PROPERTY, "small");

    /**
     * Throws IllegalArgumentException, naming the property, the value and the allowed ones, unless
     * {@code -Dwasmudf.compile.helperFreeForms} is {@code all}, {@code small}, {@code none} or
     * unset — both as it was when this class loaded (what the compiler uses for the JVM's life,
     * and the code-cache key with it) and as it is now (a bad value set later is as much a
     * mistake, though the compiler would not see it).
     */
    public static void check() {
        checkHelperFreeForms(System.getProperty(HELPER_FREE_FORMS_PROPERTY));
        checkHelperFreeForms(HELPER_FREE_FORMS);
    }

    /** The helper-free forms this JVM's compiler emits ({@code all}, {@code small} or {@code none} once {@link #check} passed), for the code-cache key. */
    public static String helperFreeForms() {
        return HELPER_FREE_FORMS;
    }

    /** {@code value} (null when unset: {@code small}) if it is {@code all}, {@code small} or {@code none}, else IllegalArgumentException. */
    static String checkHelperFreeForms(String value) {
        if (value == null) {
            return "small";
        }
        if (value.equals("all") || value.equals("small") || value.equals("none")) {
            return value;
        }
        throw new IllegalArgumentException("-D" + HELPER_FREE_FORMS_PROPERTY + "=" + value
                + " is not a valid setting: expected all, small or none (default small; lower case)");
    }
}
