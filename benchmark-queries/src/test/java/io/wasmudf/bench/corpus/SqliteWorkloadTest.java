package io.wasmudf.bench.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SQLite from the corpus (sql.js's sql-wasm.wasm) runs the workload through its C API in the
 * engine and in V8 with the same stub imports, with identical output. Skips loudly without the
 * npm registry or node.
 */
class SqliteWorkloadTest {
    @Test
    void sqliteWorkloadMatchesV8() throws Throwable {
        Optional<List<Corpus.Entry>> corpus = Corpus.fetch();
        assumeTrue(corpus.isPresent(), "CORPUS NOT AVAILABLE (npm registry unreachable): SQLite workload test SKIPPED");
        Corpus.Entry sqljs = corpus.get().stream().filter(e -> e.name().equals("sqljs")).findFirst().orElseThrow();
        Optional<NodeWorkload.Result> v8 = NodeWorkload.run("sqlite-workload.mjs", sqljs.path(), "sqlite-workload.sql", 1);
        assumeTrue(v8.isPresent(), "NODE NOT FOUND: SQLite workload test SKIPPED");
        byte[] wasm = sqljs.bytes();
        for (Engine engine : new Engine[] {Engine.create(), Engine.builder().untrusted().build()}) {
            CompiledModule m = engine.compile(wasm);
            String ours = SqliteWorkload.run(m, wasm);
            assertEquals(v8.get().output(), ours);
        }
        assertTrue(v8.get().output().contains("error 1: no such table: missing_table"), v8.get().output());
        assertTrue(v8.get().output().contains("5000|249750.0|49.95|name1|name999"), v8.get().output());
    }
}
