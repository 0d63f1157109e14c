package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import io.wasmudf.engine.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * The array-access path of {@link Mem} (other architectures, or {@code
 * -Dwasmudf.memory.unsafe=false}): the same checks as {@link MemTest}, in a child JVM, since the
 * choice is a constant fixed when {@code Mem} is loaded.
 */
class MemFallbackTest {

    @Test
    void theArrayPathBehavesTheSame() throws IOException, InterruptedException {
        String out = ChildJvm.run(List.of("-Dwasmudf.memory.unsafe=false"), Child.class);
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
