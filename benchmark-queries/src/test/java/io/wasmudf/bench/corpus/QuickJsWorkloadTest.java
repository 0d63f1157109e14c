package io.wasmudf.bench.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.Engine;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * QuickJS from the corpus evaluates the workload script in the engine and in V8 with the same
 * stub imports, with identical results. Skips loudly without the npm registry or node.
 */
class QuickJsWorkloadTest {
    @Test
    void quickJsWorkloadMatchesV8() throws Throwable {
        Optional<List<Corpus.Entry>> corpus = Corpus.fetch();
        assumeTrue(corpus.isPresent(), "CORPUS NOT AVAILABLE (npm registry unreachable): QuickJS workload test SKIPPED");
        Corpus.Entry quickjs = corpus.get().stream().filter(e -> e.name().equals("quickjs")).findFirst().orElseThrow();
        Optional<NodeWorkload.Result> v8 = NodeWorkload.run("quickjs-workload.mjs", quickjs.path(), "quickjs-workload.js", 1);
        assumeTrue(v8.isPresent(), "NODE NOT FOUND: QuickJS workload test SKIPPED");
        byte[] wasm = quickjs.bytes();
        for (Engine engine : new Engine[] {Engine.create(), Engine.builder().untrusted().build()}) {
            assertEquals(v8.get().output().strip(), QuickJsWorkload.run(engine.compile(wasm), wasm));
        }
        assertTrue(v8.get().output().startsWith("\"6765|0|5003|10006|"), v8.get().output());
    }
}
