package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorScan#skip} on its own, from its first (interpreted) call on: it may skip only
 * 16-byte blocks with no byte equal to its lane's needle byte, and it stops at the first block
 * with one unless less than a vector is left; random needles (different halves, splats, zero),
 * every start alignment, matches in every lane of every block.
 */
class VectorScanTest {
    @Test
    void skipsExactlyTheBlocksWithoutAMatch() {
        assumeTrue(VectorWarmup.USABLE, "run with --add-modules jdk.incubator.vector");
        SplittableRandom random = new SplittableRandom(256);
        byte[] m = new byte[1024];
        int runs = 0;
        for (int round = 0; round < 30; round++) {
            long lo = round % 3 == 0 ? random.nextLong() : round % 3 == 1 ? (random.nextInt(256) * 0x0101_0101_0101_0101L) : 0;
            long hi = round % 3 == 0 ? random.nextLong() : lo;
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) random.nextInt(256);
            }
            for (int s = 0; s < 40; s++) {
                for (int blocks : new int[] {0, 1, 2, 3, 8, 17, (m.length - s) / 16}) {
                    int e = s + 16 * blocks;
                    check(m, s, e, lo, hi);
                    // one planted match in each lane of a random block: the others unchanged
                    if (blocks > 0) {
                        int at = s + 16 * random.nextInt(blocks) + random.nextInt(16);
                        byte was = m[at];
                        m[at] = needleByte(lo, hi, (at - s) & 15);
                        check(m, s, e, lo, hi);
                        m[at] = was;
                    }
                    runs++;
                }
            }
        }
        assertTrue(runs > 5000, "runs " + runs);
    }

    private static void check(byte[] m, int s, int e, long lo, long hi) {
        int i = VectorScan.skip(m, s, e, lo, hi);
        String where = "s=" + s + " e=" + e + " needle=" + Long.toHexString(lo) + ":" + Long.toHexString(hi) + " got " + i;
        assertTrue(i >= s && i <= e && (i - s) % 16 == 0, where);
        for (int b = s; b < i; b += 16) {
            assertTrue(!hasMatch(m, b, lo, hi), where + ": skipped a match at block " + b);
        }
        // stopped at a match, or with less than the widest vector (32 bytes) left
        assertTrue(e - i < 32 || hasMatch(m, i, lo, hi), where + ": stopped early");
    }

    private static boolean hasMatch(byte[] m, int b, long lo, long hi) {
        for (int lane = 0; lane < 16; lane++) {
            if (m[b + lane] == needleByte(lo, hi, lane)) {
                return true;
            }
        }
        return false;
    }

    private static byte needleByte(long lo, long hi, int lane) {
        return (byte) ((lane < 8 ? lo : hi) >>> (8 * (lane & 7)));
    }
}
