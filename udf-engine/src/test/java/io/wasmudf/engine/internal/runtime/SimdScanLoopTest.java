package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.SplittableRandom;
import io.wasmudf.engine.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * {@link SimdScanLoop#scan} against a byte-by-byte count, for each loop it picks (a needle with
 * different halves, equal halves, zero): matches planted in every lane of the first, second, third
 * and a later 16-byte block (so in either half of a 32-byte test, and in the 16-byte tail), from
 * every alignment, with even and odd counts, caps, a bound below the array's end and addresses
 * that wrap; on the Unsafe path here, with the vector loop ({@link VectorScan}) once it is ready
 * and in a child JVM from its first call, and on the array path in a child JVM without it.
 */
class SimdScanLoopTest {
    private static final int SIZE = 4096;

    @Test
    void countsTheIterationsBeforeTheFirstMatch() {
        check();
    }

    @Test
    void theVectorLoopCountsTheSame() throws InterruptedException {
        // surefire runs this module's tests with --add-modules jdk.incubator.vector (and once without, plain-scans)
        assumeTrue(VectorWarmup.USABLE, "run with --add-modules jdk.incubator.vector");
        assertTrue(SimdScanLoop.awaitVector(60_000), "the vector loop is compiled");
        check();
    }

    @Test
    void theArrayPathCountsTheSame() throws IOException, InterruptedException {
        // no --add-modules: the SWAR loops whatever order the tests of this JVM run in
        assertTrue(child("-Dwasmudf.memory.unsafe=false").contains("raw=false vector=false checks passed"));
    }

    @Test
    void theVectorLoopCountsTheSameFromItsFirstCall() throws IOException, InterruptedException {
        // the vector loop from its first, interpreted, call on (the Java fallback of the API)
        assertTrue(child("--add-modules=jdk.incubator.vector", "-Dscanvec.early=true").contains("raw=true vector=true checks passed"));
    }

    /** The output of {@link Child} in a JVM with {@code options}, which it ran to the end. */
    private static String child(String... options) throws IOException, InterruptedException {
        return ChildJvm.run(List.of(options), Child.class);
    }

    /**
     * Runs {@link #check} and says which path it took; with {@code -Dscanvec.early=true}, declares the
     * vector loop ready before C2 compiled it, so its fallback code counts too.
     */
    static final class Child {
        public static void main(String[] args) throws Exception {
            Field raw = SimdScanLoop.class.getDeclaredField("RAW");
            raw.setAccessible(true);
            boolean vector;
            if (Boolean.getBoolean("scanvec.early")) {
                Field instance = Class.forName(SimdScanLoop.class.getName() + "$Warmup").getDeclaredField("INSTANCE");
                instance.setAccessible(true);
                Field ready = VectorWarmup.class.getDeclaredField("ready");
                ready.setAccessible(true);
                ready.setBoolean(instance.get(null), true);
                vector = true;
            } else {
                vector = SimdScanLoop.awaitVector(60_000);
            }
            check();
            System.out.println("raw=" + raw.getBoolean(null) + " vector=" + vector + " checks passed");
        }
    }

    static void check() {
        SplittableRandom random = new SplittableRandom(32);
        byte[] m = new byte[SIZE];
        int runs = 0;
        for (int round = 0; round < 6; round++) {
            long lo;
            long hi;
            switch (round % 3) {
                case 0: lo = random.nextLong(); hi = random.nextLong(); break; // different halves
                case 1: lo = hi = (1 + random.nextInt(255)) * 0x0101_0101_0101_0101L; break; // a splat
                default: lo = hi = 0; break; // strlen's
            }
            for (int i = 0; i < SIZE; i++) { // no byte equals its lane's needle byte, wherever the scan starts
                m[i] = (byte) random.nextInt(256);
            }
            for (int start = 0; start < 64; start++) {
                clear(m, start, lo, hi);
                for (int block : new int[] {0, 1, 2, 3, 7, 100 + random.nextInt(100)}) {
                    for (int lane = 0; lane < 16; lane++) {
                        int at = start + 16 * block + lane;
                        byte was = m[at];
                        m[at] = needleByte(lo, hi, lane);
                        for (int max : new int[] {Integer.MAX_VALUE, block, block + 1, 2 * block + 3, 250}) {
                            // offsets move the start past the address: the same bytes, other address arithmetic
                            int offset = start % 3 == 0 ? start : 0;
                            int address = start - offset;
                            for (int bound : new int[] {SIZE, start + 16 * block + 16, start + 16 * block + 15, SIZE - 5}) {
                                assertEquals(expected(m, start, bound, lo, hi, max), SimdScanLoop.scan(address, m, bound, offset, lo, hi, max),
                                        "start=" + start + " block=" + block + " lane=" + lane + " max=" + max + " bound=" + bound
                                                + " needle=" + Long.toHexString(lo) + ":" + Long.toHexString(hi));
                                runs++;
                            }
                        }
                        m[at] = was;
                    }
                }
            }
        }
        assertTrue(runs > 50_000, "runs " + runs);
        // no match at all: every in-bounds iteration, even and odd counts, up to the array's end
        byte[] x = new byte[1000];
        java.util.Arrays.fill(x, (byte) 'x');
        for (int start = 0; start < 40; start++) {
            assertEquals((1000 - start) / 16, SimdScanLoop.scan(start, x, 1000, 0, 0, 0, Integer.MAX_VALUE));
            assertEquals((990 - start) / 16, SimdScanLoop.scan(start, x, 990, 0, 0, 0, Integer.MAX_VALUE));
        }
        // addresses the memory cannot hold, and the unsigned address + offset
        assertEquals(0, SimdScanLoop.scan(-16, x, 1000, 0, 0, 0, Integer.MAX_VALUE));
        assertEquals(0, SimdScanLoop.scan(Integer.MIN_VALUE, x, 1000, 0, 0, 0, Integer.MAX_VALUE));
        assertEquals(0, SimdScanLoop.scan(0, x, 1000, Integer.MAX_VALUE, 0, 0, Integer.MAX_VALUE));
        assertEquals(0, SimdScanLoop.scan(985, x, 1000, 0, 0, 0, Integer.MAX_VALUE));
        assertEquals(0, SimdScanLoop.scan(0, x, 1000, 0, 0, 0, 0));
    }

    /** Changes every byte from {@code start} on that equals its lane's needle byte. */
    private static void clear(byte[] m, int start, long lo, long hi) {
        for (int i = start; i < m.length; i++) {
            if (m[i] == needleByte(lo, hi, (i - start) & 15)) {
                m[i] ^= 0x55;
            }
        }
    }

    private static byte needleByte(long lo, long hi, int lane) {
        return (byte) ((lane < 8 ? lo : hi) >>> (8 * (lane & 7)));
    }

    /** The scan counted byte by byte: iterations j < max whose 16 bytes end by the bound and hold no match in their lane. */
    private static int expected(byte[] m, int start, int bound, long lo, long hi, int max) {
        int limit = Math.min(bound, m.length);
        int j = 0;
        while (j < max && start + 16 * j + 16 <= limit) {
            for (int lane = 0; lane < 16; lane++) {
                if (m[start + 16 * j + lane] == needleByte(lo, hi, lane)) {
                    return j;
                }
            }
            j++;
        }
        return j;
    }
}
