package io.wasmudf.engine.internal.compile;

/**
 * The engine's system properties, checked when an engine is built: a misspelt value would
 * otherwise run as the default, unannounced ({@code Boolean.getBoolean} and
 * {@code Integer.getInteger} take anything they cannot parse for their default). A class of
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
        for (String[] p : WORDS) {
            checkWord(p[0], System.getProperty(p[0]), p[1]);
        }
        for (String name : COUNTS) {
            checkCount(name, System.getProperty(name));
        }
    }

    /**
     * The properties that take one of a few words, each with its words as the error names them
     * (where a class reads the property, it reads it once, when it loads; a bad value is refused
     * whenever an engine is built).
     */
    static final String[][] WORDS = {
        {"wasmudf.simd.vectorApi", "auto or off"},
        {"wasmudf.simd.laneArrays", "true or false"},
        {"wasmudf.simd.laneWindows", "true or false"},
        {"wasmudf.memory.unsafe", "true or false"},
        {"wasmudf.warmup", "true or false"},
        {"wasmudf.compile.homedLocals", "true or false"},
        {"wasmudf.compile.inFlightSpill", "true or false"},
        {"wasmudf.compile.timing", "true or false"},
        {"wasmudf.compile.debug", "true or false"},
    };

    /** The compiler's tuning properties that take a count of bytes, instructions or percent. */
    static final String[] COUNTS = {
        "wasmudf.compile.methodLimit", "wasmudf.compile.classLimit", "wasmudf.compile.memoryAccessCost",
        "wasmudf.compile.helperBudget", "wasmudf.compile.switchTargets", "wasmudf.compile.homedCallOverhead",
        "wasmudf.compile.homedLimitPercent", "wasmudf.compile.parallelPart", "wasmudf.compile.directCallBytes",
    };

    /** {@code value} unless it is set and not one of {@code allowed} ("a or b"; true/false in any case, as Java parses them). */
    static String checkWord(String property, String value, String allowed) {
        if (value == null) {
            return null;
        }
        for (String word : allowed.split(" or ")) {
            boolean bool = word.equals("true") || word.equals("false");
            if (bool ? word.equalsIgnoreCase(value) : word.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException("-D" + property + "=" + value + " is not a valid setting: expected " + allowed);
    }

    /** {@code value} unless it is set and not a whole number from 0 to 2^31 - 1. */
    static String checkCount(String property, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (Integer.parseInt(value) >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("-D" + property + "=" + value
                + " is not a valid setting: expected a whole number from 0 to " + Integer.MAX_VALUE);
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
