package io.wasmudf.engine.testsupport;

/**
 * Fuzz tests' random seeds: each test's fixed seed, so failures reproduce, changed by
 * {@code -Dwasmudf.fuzz.seed=N} (XORed in) to explore other inputs in long runs.
 */
public final class FuzzSeed {
    private FuzzSeed() {}

    /** {@code fixed}, or {@code fixed ^ N} under {@code -Dwasmudf.fuzz.seed=N}. */
    public static long of(long fixed) {
        return fixed ^ Long.getLong("wasmudf.fuzz.seed", 0L);
    }
}
