package io.wasmudf.engine.internal.util;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;

/**
 * Runs independent tasks on the common fork-join pool, the calling thread taking part, and
 * rethrows a task's own exception (the pool would otherwise re-create it in the caller's thread).
 */
public final class Parallel {
    private Parallel() {}

    /**
     * Items {@code 0 … n - 1} cut into consecutive runs {@code [from, to)} of at most {@code limit}
     * total {@code size} each (an item larger than that is a run of its own): the units of work
     * for {@link #map}.
     */
    public static List<int[]> runs(int n, IntToLongFunction size, long limit) {
        List<int[]> runs = new ArrayList<>();
        int from = 0;
        long total = 0;
        for (int i = 0; i < n; i++) {
            long s = size.applyAsLong(i);
            if (i > from && total + s > limit) {
                runs.add(new int[] {from, i});
                from = i;
                total = 0;
            }
            total += s;
        }
        runs.add(new int[] {from, n});
        return runs;
    }

    /**
     * Items {@code 0 … n - 1} cut into at most {@code parts} consecutive runs of about equal total
     * {@code size}: a run ends before the item whose middle lies past the next {@code total / parts}
     * boundary (an item larger than a share is a run of its own).
     */
    public static List<int[]> balanced(int n, IntToLongFunction size, int parts) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += size.applyAsLong(i);
        }
        List<int[]> runs = new ArrayList<>();
        int from = 0;
        long done = 0;
        int k = 1;
        for (int i = 0; i < n; i++) {
            long s = size.applyAsLong(i);
            // twice the sizes: the item's middle against the boundary, without rounding s / 2 down
            if (i > from && k < parts && 2 * done + s > 2 * total * k / parts) {
                runs.add(new int[] {from, i});
                from = i;
                while (k < parts && 2 * done + s > 2 * total * k / parts) {
                    k++;
                }
            }
            done += s;
        }
        runs.add(new int[] {from, n});
        return runs;
    }

    /**
     * The runs for {@link #map}: {@link #runs} of at most {@code limit}, except that work of up to a
     * few runs, enough for {@code minRun} per thread, is cut into a multiple of {@link #threads}
     * balanced runs instead. Greedy runs left every core but one idle for work under the limit
     * (a 15,000-instruction module compiled on one core of two) and unbalanced ones for two or
     * three runs (32 K + 32 K + 11 K, or 32 K + 26 K). Runs may then exceed {@code limit} by part of an item.
     */
    public static List<int[]> split(int n, IntToLongFunction size, long limit, long minRun) {
        List<int[]> greedy = runs(n, size, limit);
        int threads = threads();
        if (threads < 2 || greedy.size() > 2 * threads) {
            return greedy;
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += size.applyAsLong(i);
        }
        long byThreads = threads * ((total + threads * limit - 1) / (threads * limit));
        int parts = (int) Math.min(byThreads, total / Math.max(1, minRun));
        if (parts < 2) {
            return greedy;
        }
        if (parts <= greedy.size() && greedy.size() % threads == 0) {
            // as many runs as the greedy ones, which give every thread the same number, but
            // balanced: greedy runs fill up to the limit and leave the rest to the last (png's
            // 59,000 instructions were 32,768 + 26,258). A limit under the minimum run is a test
            // mode's (one function per class): it keeps its runs.
            return limit >= minRun ? balanced(n, size, greedy.size()) : greedy;
        }
        return balanced(n, size, parts);
    }

    /**
     * How many threads {@link #map} runs tasks on at once at most: the common pool's and the
     * caller's, but no more than there are processors (the common pool reports a parallelism of 1
     * even when it has no worker, on one processor).
     */
    public static int threads() {
        return Math.min(Runtime.getRuntime().availableProcessors(), java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1);
    }

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
        rethrowFirst(failures);
        return (List<T>) Arrays.asList(results);
    }

    /** Rethrows the first non-null failure in index order (a checked one wrapped in IllegalStateException); returns when there is none. */
    public static void rethrowFirst(Throwable[] failures) {
        for (Throwable t : failures) {
            if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
