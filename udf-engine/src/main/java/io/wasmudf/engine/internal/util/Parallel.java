package io.wasmudf.engine.internal.util;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Runs independent tasks on the common fork-join pool, the calling thread taking part, and
 * rethrows a task's own exception (the pool would otherwise re-create it in the caller's thread).
 */
public final class Parallel {
    private Parallel() {}

    /** {@code task(0) … task(n - 1)}, in that order; the first failure by index is rethrown. */
    @SuppressWarnings("unchecked")
    public static <T> List<T> map(int n, IntFunction<T> task) {
        Object[] results = new Object[n];
        if (n == 1) {
            results[0] = task.apply(0);
            return (List<T>) Arrays.asList(results);
        }
        Throwable[] failures = new Throwable[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                results[i] = task.apply(i);
            } catch (Throwable t) {
                failures[i] = t;
            }
        });
        for (Throwable t : failures) {
            if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException(t);
            }
        }
        return (List<T>) Arrays.asList(results);
    }
}
