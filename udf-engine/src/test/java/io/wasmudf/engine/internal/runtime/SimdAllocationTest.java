package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Wat;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: once C2 has compiled it, a SIMD kernel allocates no vector per iteration on the array
 * path of memory access ({@code -Dwasmudf.memory.unsafe=false}, the default on JDK 24+). There the
 * f32x4 dot product of the benchmark kernels allocated 63 MB a call: its loads, four float view
 * VarHandle reads a vector, made C2 reach its parse-time node budget, so the rest of the loop's
 * helpers were left as calls and every vector they returned escaped (see docs/ENGINE.md "SIMD").
 * Run in a child JVM since the path is a constant fixed when {@code Mem} is loaded.
 */
class SimdAllocationTest {

    @Test
    void theDotProductKernelAllocatesNoVectorsOnTheArrayPath() throws IOException, InterruptedException {
        String out = child("-Dwasmudf.memory.unsafe=false");
        assertTrue(out.contains("raw=false"), out);
    }

    @Test
    void theDotProductKernelAllocatesNoVectorsOnTheUnsafePath() throws IOException, InterruptedException {
        // where Unsafe is not used anyway (JDK 24+ default, other architectures) this runs the array path again
        assertTrue(child("-Dwasmudf.memory.unsafe=true").contains("allocated"));
    }

    private static String child(String setting) throws IOException, InterruptedException {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = String.join(File.pathSeparator, List.of(System.getProperty("jdk.module.path", ""),
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        Process p = new ProcessBuilder(List.of(launcher, setting, "-cp", classpath, Child.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /**
     * Calls clang's build of the dot product on 16384 floats (4096 vector iterations) until C2 has
     * compiled it, then fails when the calls allocate 1 KB or more each on average (the escaping
     * vectors came to over 1 MB a call here). Also checks the sum against the same float sum in Java.
     */
    static final class Child {
        static final int N = 16384;
        static final int CALLS = 50;
        static final long WARM_UP_NANOS = 60_000_000_000L;

        public static void main(String[] args) throws Throwable {
            Field raw = Mem.class.getDeclaredField("RAW");
            raw.setAccessible(true);
            String wat;
            try (InputStream in = Child.class.getResourceAsStream("/simd/dot_f32.wat")) {
                wat = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Instance instance = Engine.create().compile(Wat.toBinary(wat)).instantiate();
            MethodHandle dot = instance.function("dot_f32").handle();
            ByteBuffer b = ByteBuffer.wrap(instance.memory("memory").buffer()).order(ByteOrder.LITTLE_ENDIAN);
            float[] lanes = new float[4];
            for (int i = 0; i < N; i++) {
                float x = (i % 7) * 0.25f;
                float y = 1.0f - (i % 5) * 0.125f;
                b.putFloat(4 * i, x);
                b.putFloat(4 * N + 4 * i, y);
                lanes[i % 4] += x * y;
            }
            float expected = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            // com.sun.management by reflection: this test module does not read jdk.management
            Object mx = ManagementFactory.getThreadMXBean();
            Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            long perCall = Long.MAX_VALUE;
            long start = System.nanoTime();
            // rounds until the compiled loop is in place: tiered compilation on a loaded machine takes a while
            for (int round = 0; perCall >= 1024 && System.nanoTime() - start < WARM_UP_NANOS; round++) {
                long before = (long) allocated.invoke(mx);
                for (int c = 0; c < CALLS; c++) {
                    float sum = (float) dot.invokeExact(0, 4 * N, N);
                    if (Float.floatToRawIntBits(sum) != Float.floatToRawIntBits(expected)) {
                        throw new AssertionError("dot " + sum + " != " + expected);
                    }
                }
                perCall = ((long) allocated.invoke(mx) - before) / CALLS;
                System.out.println("round " + round + ": " + perCall + " bytes a call");
            }
            System.out.println("raw=" + raw.getBoolean(null) + " allocated " + perCall + " bytes a call");
            if (perCall >= 1024) {
                throw new AssertionError("the dot product kernel allocates " + perCall + " bytes a call (vectors escape)");
            }
        }
    }
}
