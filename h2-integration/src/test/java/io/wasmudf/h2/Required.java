package io.wasmudf.h2;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * An outside resource a test needs (the real PostgreSQL, psql): without it the test skips loudly
 * on a developer's machine, and fails in CI, where {@code .ci/run} sets {@code WASMUDF_CI=required}
 * so that a missing resource can never turn the build green by skipping.
 */
public final class Required {
    private Required() {}

    /** Whether this run is the CI's, where every resource is required. */
    public static boolean inCi() {
        return "required".equals(System.getenv("WASMUDF_CI"));
    }

    /** Skips the calling test (fails it in CI) unless {@code present}; {@code what} says what is missing. */
    public static void resource(boolean present, String what) {
        if (present) {
            return;
        }
        System.err.println("SKIPPED: " + what);
        if (inCi()) {
            Assertions.fail(what + " — and WASMUDF_CI=required: it must be there in CI");
        }
        Assumptions.abort(what);
    }
}
