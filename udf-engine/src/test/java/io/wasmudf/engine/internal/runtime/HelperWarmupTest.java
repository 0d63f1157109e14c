package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Wat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link HelperWarmup}: the engine starts it with its first module (where it is on), one daemon
 * thread per JVM that ends on its own, and its calls compute what the helpers compute.
 */
class HelperWarmupTest {
    private static long warmers() {
        Set<Thread> all = Thread.getAllStackTraces().keySet();
        return all.stream().filter(t -> t.getName().equals("wasmudf-warmup")).count();
    }

    @Test
    void oneDaemonThreadPerJvmThatFinishes() throws Exception {
        Engine.create().compile(Wat.toBinary("(module (memory 1) (func (export \"f\") (result i32) i32.const 0 i32.load))"));
        HelperWarmup.start();
        HelperWarmup.start();
        assertTrue(warmers() <= 1, "at most one warm-up thread");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("wasmudf-warmup")) {
                assertTrue(t.isDaemon());
                t.join(60_000);
            }
        }
        assertEquals(0, warmers());
        if (HelperWarmup.ENABLED) {
            // the JVM's one warm-up has run to its end: its sum is there
            assertEquals(expectedSum(), HelperWarmup.sink);
        }
    }

    @Test
    void onByDefaultExactlyWhereMemUsesTheVarHandles() {
        if (System.getProperty("wasmudf.warmup") == null) {
            assertEquals(!Mem.raw(), HelperWarmup.ENABLED);
        }
    }

    /** What {@link HelperWarmup#run} sums, with a little-endian buffer instead of the helpers. */
    private static long expectedSum() {
        byte[] m = new byte[256];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(m).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long acc = 0;
        for (int i = 0; i < HelperWarmup.CALLS; i++) {
            int a = i & 127;
            b.putInt(a + 8, i);
            acc += b.getInt(a + 8);
            b.putInt(a + 4, i);
            acc += b.getInt(a + 4);
        }
        for (int i = 0; i < HelperWarmup.CALLS; i++) {
            int a = i & 127;
            b.putDouble(a, i);
            acc += (long) b.getDouble(a);
            b.putDouble(a + 8, i);
            acc += (long) b.getDouble(a + 8);
        }
        for (int i = 0; i < HelperWarmup.CALLS; i++) {
            int a = i & 127;
            m[a] = (byte) i;
            acc += m[a] & 0xFF;
            m[a + 1] = (byte) i;
            acc += m[a + 1] & 0xFF;
        }
        for (int i = 0; i < HelperWarmup.CALLS; i++) {
            int a = i & 127;
            b.putLong(a + 16, i);
            acc += b.getLong(a + 16);
            b.putLong(a + 24, i);
            acc += b.getLong(a + 24);
        }
        return acc;
    }

    @Test
    void warmupRunAgainGivesTheSameSum() {
        HelperWarmup.run();
        assertEquals(expectedSum(), HelperWarmup.sink);
    }
}
