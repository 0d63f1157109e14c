package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The iteration counts a dot-product loop's header takes ({@link SimdDotLoop#nonZero},
 * {@link SimdDotLoop#atMost}, {@link SimdDotLoop#inBounds}) against stepping the 32-bit values one
 * iteration at a time: never more than the iterations that hold (that would skip a failing one),
 * and exact where no value wraps — from random values and from values next to 0 and 2^32.
 */
class SimdDotLoopTest {
    private static final long U32 = 0xFFFF_FFFFL;

    @Test
    void countsNeverPassTheFirstFailingIteration() {
        SplittableRandom r = new SplittableRandom(42);
        int[] edges = {0, 1, 2, 15, 16, 17, -1, -2, -16, -17, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int t = 0; t < 50_000; t++) {
            int x = t % 3 == 0 ? edges[r.nextInt(edges.length)] + r.nextInt(-3, 4) : r.nextInt();
            int y = t % 5 == 0 ? edges[r.nextInt(edges.length)] + r.nextInt(-3, 4) : x + r.nextInt(-500, 500);
            int dx = r.nextInt(4) == 0 ? 0 : r.nextInt(-64, 65);
            int dy = r.nextInt(3) == 0 ? 0 : r.nextInt(-64, 65);
            boolean strict = r.nextBoolean();
            // nonZero is exact when a decreasing value reaches 0 exactly (a loop counter), else may stop short
            boolean exact = dx < 0 && u(x) % -dx == 0 || dx == 0;
            check("nonZero " + x + " " + dx, SimdDotLoop.nonZero(x, dx), j -> x + j * dx != 0, x, dx, 0, 0, exact);
            check("atMost " + x + " " + dx + " " + y + " " + dy + " " + strict, SimdDotLoop.atMost(x, dx, y, dy, strict),
                    j -> strict ? u(x + j * dx) < u(y + j * dy) : u(x + j * dx) <= u(y + j * dy), x, dx, y, dy, true);
        }
    }

    @Test
    void loadsCountedInBoundsOnly() {
        SplittableRandom r = new SplittableRandom(7);
        byte[] m = new byte[4096];
        for (int t = 0; t < 100_000; t++) {
            int bound = r.nextInt(3) == 0 ? m.length + r.nextInt(100) : r.nextInt(m.length + 1);
            int address = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(-64, 4200);
            int offset = r.nextInt(3) == 0 ? 0 : r.nextInt(0, 64);
            int stride = 16 * (1 + r.nextInt(4));
            int k = SimdDotLoop.inBounds(address, offset, stride, m, bound);
            long limit = Math.min(bound, m.length);
            int want = 0;
            while (u(address) + (long) want * stride + offset + 16 <= limit) {
                want++;
            }
            assertEquals(want, k, "address " + address + " offset " + offset + " stride " + stride + " bound " + bound);
        }
    }

    private interface Holds {
        boolean at(int j);
    }

    /** k iterations all hold; and if exact, where nothing wraps within them, the next one fails (or the count is capped). */
    private static void check(String what, int k, Holds holds, int x, int dx, int y, int dy, boolean exact) {
        int steps = Math.min(k, 300);
        for (int j = 0; j < steps; j++) {
            assertTrue(holds.at(j), what + ": iteration " + j + " of " + k);
        }
        if (exact && k < 300) {
            boolean wraps = wraps(x, dx, k) || wraps(y, dy, k);
            assertTrue(wraps || !holds.at(k), what + ": iteration " + k + " holds too");
        }
    }

    /** Whether x + j dx leaves [0, 2^32) for some j <= k. */
    private static boolean wraps(int x, int dx, int k) {
        long end = u(x) + (long) k * dx;
        return end < 0 || end > U32;
    }

    private static long u(int v) {
        return v & U32;
    }
}
