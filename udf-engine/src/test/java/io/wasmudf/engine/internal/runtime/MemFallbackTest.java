package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The array-access path of {@link Mem} (other architectures, or {@code
 * -Dwasmudf.memory.unsafe=false}): the same checks as {@link MemTest}, in a child JVM, since the
 * choice is a constant fixed when {@code Mem} is loaded.
 */
class MemFallbackTest {

    @Test
    void theArrayPathBehavesTheSame() throws IOException, InterruptedException {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire may run the tests on the module path: the child takes everything as a class path
        String classpath = String.join(File.pathSeparator, List.of(System.getProperty("jdk.module.path", ""),
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        Process p = new ProcessBuilder(List.of(launcher, "-Dwasmudf.memory.unsafe=false", "-cp", classpath, Child.class.getName()))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("raw=false checks passed"), out);
    }

    /** Runs MemTest's checks on the array path and says which path it was. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            Field raw = Mem.class.getDeclaredField("RAW");
            raw.setAccessible(true);
            MemTest t = new MemTest();
            t.valuesAreLittleEndian();
            t.theBoundIsTheSizeForEveryWidth();
            t.aSizeBeyondTheArrayNeverReachesPastIt();
            System.out.println("raw=" + raw.getBoolean(null) + " checks passed");
        }
    }
}
