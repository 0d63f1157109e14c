package io.wasmudf.bench.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.InstanceLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every module of the real-program corpus decodes, validates, compiles (the engine has no
 * interpreter to fall back on: every function becomes bytecode) and instantiates with stub
 * imports, which links every generated class so the JVM verifies it. Skips loudly when the npm
 * registry cannot be reached. {@code -Dwasmudf.corpus.only=a,b} restricts it to some modules.
 */
class CorpusCompileTest {

    @Test
    void everyCorpusModuleCompilesAndInstantiates() {
        Optional<List<Corpus.Entry>> corpus = Corpus.fetch();
        assumeTrue(corpus.isPresent(), "CORPUS NOT AVAILABLE (npm registry unreachable): corpus compile test SKIPPED");
        String only = System.getProperty("wasmudf.corpus.only", "");
        List<String> failures = new ArrayList<>();
        int compiled = 0;
        for (Corpus.Entry e : corpus.get()) {
            if (!only.isBlank() && !List.of(only.split(",")).contains(e.name())) {
                continue;
            }
            byte[] wasm = e.bytes();
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long t0 = System.nanoTime();
            try {
                // untrusted: the settings SQL functions compile with (every check compiled in)
                Engine engine = Engine.builder().untrusted().build();
                CompiledModule m = engine.compile(wasm);
                long t1 = System.nanoTime();
                InstanceLimits limits = engine.defaultLimits().withMaxMemoryPages(32767);
                m.instantiate(StubImports.forModule(wasm, Map.of()), limits).close();
                long peak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        peak += pool.getPeakUsage().getUsed();
                    }
                }
                System.out.printf("[corpus] %-20s %-15s %9d bytes  compile %6d ms  instantiated  peak heap %5d MB%n",
                        e.name(), e.language(), wasm.length, (t1 - t0) / 1_000_000, peak >> 20);
                compiled++;
            } catch (RuntimeException | Error x) {
                failures.add(e.name() + " (" + e.pkg() + " " + e.file() + "): " + x);
                System.out.printf("[corpus] %-20s FAILED: %s%n", e.name(), x);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " corpus modules fail:\n" + String.join("\n", failures));
        assertTrue(compiled > 0 || !only.isBlank(), "no corpus module was checked");
    }
}
