package io.wasmudf.bench;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import io.wasmudf.bench.corpus.ChicoryGuest;
import io.wasmudf.bench.corpus.Corpus;
import io.wasmudf.bench.corpus.NodeWorkload;
import io.wasmudf.bench.corpus.QuickJsWorkload;
import io.wasmudf.bench.corpus.SqliteWorkload;
import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The real-program rows of {@code ./wasmudf bench}: the SQLite workload (sql.js through its C
 * API, see {@link SqliteWorkload}) against Chicory and V8 running the same bytes with the same
 * stubs (medians of three runs after one warm-up run each; the first run is mostly the JIT
 * compiling the generated code), and the
 * compile time of each corpus module against Chicory's parse + compile (medians of three; one
 * with {@code --quick}, which also leaves out modules over 2 MB); wall-clock in one JVM.
 */
final class RealPrograms {
    private RealPrograms() {}

    static void run(boolean quick, java.util.function.Predicate<String> accept, Table table, List<String> notes) throws Throwable {
        Optional<List<Corpus.Entry>> corpus = Corpus.fetch();
        if (corpus.isEmpty()) {
            notes.add("real programs: SKIPPED, the corpus cannot be fetched (npm registry unreachable)");
            return;
        }
        int runs = 3; // after one warm-up run: the first is mostly JIT compilation of the generated code
        if (accept.test(SQLITE_ROW)) {
            sqlite(corpus.get(), runs, table, notes);
        }
        if (accept.test(QUICKJS_ROW)) {
            quickJs(corpus.get(), runs, table, notes);
        }
        compileRows(corpus.get(), quick, runs, accept, table, notes);
    }

    private static final String SQLITE_ROW = "SQLite workload (sql.js C API, 17 statements)";
    private static final String QUICKJS_ROW = "QuickJS script (fib, sort, Map, classes, regex, JSON)";

    /** The SQLite row: ours, Chicory and V8 running the same workload on the same bytes. */
    private static void sqlite(List<Corpus.Entry> corpus, int runs, Table table, List<String> notes) throws Throwable {
        Corpus.Entry sqljs = corpus.stream().filter(e -> e.name().equals("sqljs")).findFirst().orElseThrow();
        byte[] wasm = sqljs.bytes();
        CompiledModule m = Engine.create().compile(wasm);
        List<Double> ours = new ArrayList<>();
        String output = null;
        for (int i = 0; i < runs + 1; i++) { // the first run warms up the JIT, as V8's first run does
            long t0 = System.nanoTime();
            output = SqliteWorkload.run(m, wasm);
            if (i > 0) {
                ours.add((System.nanoTime() - t0) / 1e6);
            }
        }
        Optional<NodeWorkload.Result> v8 = NodeWorkload.run("sqlite-workload.mjs", sqljs.path(), "sqlite-workload.sql", runs + 1);
        double v8Median = Double.NaN;
        if (v8.isPresent()) {
            List<Double> t = new ArrayList<>(v8.get().millis());
            if (t.size() > 1) {
                t.remove(0);
            }
            v8Median = median(t);
            if (!v8.get().output().equals(output)) {
                notes.add("real programs: SQLite output DIFFERS from V8's");
            }
        } else {
            notes.add("real programs: V8 skipped, node not on the PATH");
        }
        List<Double> chicoryRuns = new ArrayList<>();
        try {
            ChicoryGuest.Compiled cc = ChicoryGuest.compile(wasm, InterpreterFallback.FAIL);
            for (int i = 0; i < runs + 1; i++) {
                long t0 = System.nanoTime();
                String c = SqliteWorkload.run(new ChicoryGuest(wasm, cc, SqliteWorkload.stubs(), SqliteWorkload::fallback));
                if (i > 0) {
                    chicoryRuns.add((System.nanoTime() - t0) / 1e6);
                }
                if (!c.equals(output)) {
                    notes.add("real programs: SQLite output on Chicory DIFFERS from ours");
                }
            }
        } catch (RuntimeException | LinkageError x) {
            notes.add("real programs: Chicory failed on the SQLite workload: " + x);
        }
        table.add(new Table.Row(SQLITE_ROW, "ms", median(ours), median(chicoryRuns), Double.NaN, v8Median, Double.NaN));
    }

    /** One row per corpus module: our compile (decode, validate, compile, define and link) against Chicory's parse + compile. */
    private static void compileRows(List<Corpus.Entry> corpus, boolean quick, int runs, java.util.function.Predicate<String> accept,
                                    Table table, List<String> notes) throws Exception {
        for (Corpus.Entry e : corpus) {
            byte[] bytes = e.bytes();
            String label = "compile " + e.name() + " (" + e.language() + ", " + (bytes.length >> 10) + " KB)";
            if (quick && bytes.length > 2 << 20 || !accept.test(label)) {
                continue;
            }
            List<Double> oursCompile = new ArrayList<>();
            List<Double> chicory = new ArrayList<>();
            String chicoryNote = null;
            for (int i = 0; i < (quick ? 1 : runs); i++) {
                long t0 = System.nanoTime();
                Engine.create().compile(bytes); // a new engine each time: no cache hit
                oursCompile.add((System.nanoTime() - t0) / 1e6);
                t0 = System.nanoTime();
                try {
                    MachineFactoryCompiler.builder(Parser.parse(bytes)).withInterpreterFallback(InterpreterFallback.FAIL).compile();
                    chicory.add((System.nanoTime() - t0) / 1e6);
                } catch (RuntimeException | LinkageError x) {
                    chicoryNote = "needs its interpreter fallback (" + x.getClass().getSimpleName() + ")";
                    break;
                }
            }
            table.add(new Table.Row(label, "ms", median(oursCompile), chicory.isEmpty() ? Double.NaN : median(chicory), Double.NaN, Double.NaN, Double.NaN));
            if (chicoryNote != null) {
                notes.add(String.format(Locale.ROOT, "real programs: Chicory on %s %s", e.name(), chicoryNote));
            }
        }
    }

    /** The QuickJS row: ours against V8 (Chicory would need the imported memory wired through its API: not yet). */
    private static void quickJs(List<Corpus.Entry> corpus, int runs, Table table, List<String> notes) throws Exception {
        Corpus.Entry quickjs = corpus.stream().filter(e -> e.name().equals("quickjs")).findFirst().orElseThrow();
        byte[] wasm = quickjs.bytes();
        CompiledModule m = Engine.create().compile(wasm);
        List<Double> ours = new ArrayList<>();
        String output = null;
        for (int i = 0; i < runs + 1; i++) {
            long t0 = System.nanoTime();
            output = QuickJsWorkload.run(m, wasm);
            if (i > 0) {
                ours.add((System.nanoTime() - t0) / 1e6);
            }
        }
        Optional<NodeWorkload.Result> v8 = NodeWorkload.run("quickjs-workload.mjs", quickjs.path(), "quickjs-workload.js", runs + 1);
        double v8Median = Double.NaN;
        if (v8.isPresent()) {
            List<Double> t = new ArrayList<>(v8.get().millis());
            if (t.size() > 1) {
                t.remove(0);
            }
            v8Median = median(t);
            if (!v8.get().output().strip().equals(output)) {
                notes.add("real programs: QuickJS output DIFFERS from V8's");
            }
        }
        table.add(new Table.Row(QUICKJS_ROW, "ms", median(ours), Double.NaN,
                Double.NaN, v8Median, Double.NaN));
        notes.add("real programs: Chicory not run on QuickJS (the module imports its memory; not wired for Chicory yet)");
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.isEmpty() ? Double.NaN : v.get(v.size() / 2);
    }
}
