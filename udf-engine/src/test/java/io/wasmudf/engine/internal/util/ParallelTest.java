package io.wasmudf.engine.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** How work is cut into runs for {@link Parallel#map}. */
class ParallelTest {

    private static String show(List<int[]> runs) {
        return String.join(" ", runs.stream().map(r -> r[0] + "-" + r[1]).toList());
    }

    @Test
    void balancedRunsHaveAboutEqualShares() {
        long[] even = {5, 5, 5, 5, 5, 5};
        assertEquals("0-3 3-6", show(Parallel.balanced(even.length, i -> even[i], 2)));
        assertEquals("0-2 2-4 4-6", show(Parallel.balanced(even.length, i -> even[i], 3)));
        // 10 + 10: greedy runs of at most 10 would be 0-2 2-12 too, but of at most 12 0-4 4-12
        long[] uneven = {9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertEquals("0-2 2-12", show(Parallel.balanced(uneven.length, i -> uneven[i], 2)));
    }

    @Test
    void anItemLargerThanAShareIsARunOfItsOwn() {
        long[] sizes = {1, 1, 1, 1, 20, 1};
        assertEquals("0-4 4-6", show(Parallel.balanced(sizes.length, i -> sizes[i], 2)));
        long[] huge = {1, 100, 1, 1};
        // the huge item covers several boundaries: no empty runs, at most `parts` runs
        assertEquals("0-1 1-2 2-4", show(Parallel.balanced(huge.length, i -> huge[i], 4)));
        assertEquals("0-1", show(Parallel.balanced(1, i -> 7, 4)));
    }

    @Test
    void splitCoversTheWorkInConsecutiveRuns() {
        int threads = Parallel.threads();
        assertTrue(threads >= 1 && threads <= Runtime.getRuntime().availableProcessors());
        long[] sizes = new long[200];
        java.util.Arrays.fill(sizes, 100); // 20,000 in all
        IntToLongFunction size = i -> sizes[i];
        for (long limit : new long[] {1_000, 8_000, 32_768}) {
            List<int[]> runs = Parallel.split(sizes.length, size, limit, 2_000);
            int next = 0;
            for (int[] r : runs) {
                assertEquals(next, r[0]);
                assertTrue(r[1] > r[0]);
                next = r[1];
            }
            assertEquals(sizes.length, next);
        }
        if (20 > 2 * threads) {
            // more than two greedy runs per thread: the greedy runs, as before
            assertEquals(show(Parallel.runs(sizes.length, size, 1_000)), show(Parallel.split(sizes.length, size, 1_000, 2_000)));
        }
        // work under the limit: one run per thread when there is enough of it (10 runs of 2,000 at most), else one run
        List<int[]> small = Parallel.split(sizes.length, size, 32_768, 2_000);
        assertEquals(Math.min(threads, 10), small.size());
        assertEquals(1, Parallel.split(sizes.length, size, 32_768, 20_000).size());
        if (threads == 2) {
            assertEquals("0-100 100-200", show(small));
            // three greedy runs (8,000 + 8,000 + 4,000) become four balanced ones on two threads
            assertEquals("0-50 50-100 100-150 150-200", show(Parallel.split(sizes.length, size, 8_000, 2_000)));
            // two greedy runs, one per thread but uneven (8,000 + 4,000): the same two, balanced
            assertEquals("0-80 80-120", show(Parallel.runs(120, size, 8_000)));
            assertEquals("0-60 60-120", show(Parallel.split(120, size, 8_000, 2_000)));
            // a limit under the minimum run (a test mode's one item per run) keeps the greedy runs
            assertEquals("0-1 1-2 2-3 3-4", show(Parallel.split(4, i -> 1_500, 1_000, 2_000)));
        }
    }
}
