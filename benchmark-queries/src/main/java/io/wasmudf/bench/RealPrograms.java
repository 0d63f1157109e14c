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
import java.util.function.Predicate;

/**
 * The real-program rows of {@code ./wasmudf bench}: the SQLite workload (sql.js through its C
 * API, see {@link SqliteWorkload}) against Chicory and V8 running the same bytes with the same
 * stubs (medians of three runs after {@link #WARMUP} warm-up runs each; the first runs are mostly
 * the JIT compiling the generated code), the QuickJS script against V8, and the
 * compile time of each corpus module against Chicory's parse + compile (medians of three after
 * {@link #COMPILE_WARMUP} warm-up compiles each; one and no warm-up with {@code --quick}, which
 * also leaves out modules over 2 MB); wall-clock in one JVM. {@code --filter}
 * picks rows by their labels.
 */
final class RealPrograms {
    private RealPrograms() {}

    /**
     * Warm-up runs before the three measured ones, the same for every runtime
     * ({@code -Dwasmudf.bench.realWarmup}, default 5): a big generated method reaches its final C2
     * code only after a few recompilations (each new path through an interpreter loop's switch is
     * an uncommon trap the first time), which on the shared 2-core machine took 4-8 runs; V8's
     * tiers settle after one. The first runs are slower: see the README's "Real programs".
     */
    static final int WARMUP = Integer.getInteger("wasmudf.bench.realWarmup", 5);

    /**
     * Compiles of each corpus module per runtime before the three measured ones
     * ({@code -Dwasmudf.bench.compileWarmup}, default 1; none with {@code --quick}). Without it a
     * row measured whichever compiler the JIT had warmed less: sqljs-debug, the second module
     * compiled in the JVM, came out 2.7× on a quiet machine where after three warm-up compiles
     * it measured 3.9-6.2× even under load (both runtimes' compilers still interpreted or
     * C1-compiled at first); a warm-up per module makes each row closer to a steady state of
     * both, in any order of rows. The first compile of a young JVM is the cold-start rows' business.
     */
    static final int COMPILE_WARMUP = Integer.getInteger("wasmudf.bench.compileWarmup", 1);

    static final String SQLITE_ROW = "SQLite workload (sql.js C API, 17 statements)";
    static final String QUICKJS_ROW = "QuickJS script (fib, sort, Map, classes, regex, JSON)";

    /** Adds the rows {@code accept} takes (by row label). */
    static void run(boolean quick, Predicate<String> accept, Table table, List<String> notes) throws Throwable {
        Optional<List<Corpus.Entry>> corpus = Corpus.fetch();
        if (corpus.isEmpty()) {
            notes.add("real programs: SKIPPED, the corpus cannot be fetched (npm registry unreachable)");
            return;
        }
        int runs = 3; // after WARMUP runs: the first ones are mostly JIT compilation of the generated code
        if (accept.test(SQLITE_ROW)) {
            sqlite(corpus.get(), runs, table, notes);
        }
        if (accept.test(QUICKJS_ROW)) {
            quickJs(corpus.get(), runs, table, notes);
        }
        for (Corpus.Entry e : corpus.get()) {
            byte[] bytes = e.bytes();
            String label = "compile " + e.name() + " (" + e.language() + ", " + (bytes.length >> 10) + " KB)";
            if ((quick && bytes.length > 2 << 20) || !accept.test(label)) {
                continue;
            }
            List<Double> oursCompile = new ArrayList<>();
            List<Double> chicory = new ArrayList<>();
            String chicoryNote = null;
            int warm = quick ? 0 : COMPILE_WARMUP;
            for (int i = 0; i < warm + (quick ? 1 : runs); i++) {
                long t0 = System.nanoTime();
                Engine.create().compile(bytes); // a new engine each time: no cache hit
                if (i >= warm) {
                    oursCompile.add((System.nanoTime() - t0) / 1e6);
                }
                t0 = System.nanoTime();
                try {
                    MachineFactoryCompiler.builder(Parser.parse(bytes)).withInterpreterFallback(InterpreterFallback.FAIL).compile();
                    if (i >= warm) {
                        chicory.add((System.nanoTime() - t0) / 1e6);
                    }
                } catch (RuntimeException | LinkageError x) {
                    chicoryNote = "needs its interpreter fallback (" + x.getClass().getSimpleName() + ")";
                    break;
                }
            }
            table.add(new Table.Row(label, "ms",
                    median(oursCompile), chicory.isEmpty() ? Double.NaN : median(chicory), Double.NaN, Double.NaN, Double.NaN));
            if (chicoryNote != null) {
                notes.add(String.format(Locale.ROOT, "real programs: Chicory on %s %s", e.name(), chicoryNote));
            }
        }
    }

    /** The V8 runs after the warm-up ones (wall-clock, or CPU time with {@code cpu}), or none when node is missing. */
    private static double v8Median(Optional<NodeWorkload.Result> v8, boolean cpu) {
        if (v8.isEmpty()) {
            return Double.NaN;
        }
        List<Double> t = cpu ? v8.get().cpuMillis() : v8.get().millis();
        return t.isEmpty() ? Double.NaN : median(t.subList(Math.min(WARMUP, Math.max(0, t.size() - 1)), t.size()));
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /**
     * This process's CPU time in ms, all threads (the JIT's and the GC's too), as node's
     * {@code process.cpuUsage()} counts V8's: on the shared machine the wall-clock of a run
     * mostly measures how much of the 2 cores the scheduler gave it.
     */
    private static double processCpuMillis() {
        return OS.getProcessCpuTime() / 1e6;
    }

    private static String cpuLabel(String row) {
        return row.replace(" (", " [process CPU time] (");
    }

    /** The SQLite row: ours, Chicory and V8 on the same bytes with the same stubs. */
    private static void sqlite(List<Corpus.Entry> corpus, int runs, Table table, List<String> notes) throws Exception {
        Corpus.Entry sqljs = corpus.stream().filter(e -> e.name().equals("sqljs")).findFirst().orElseThrow();
        byte[] wasm = sqljs.bytes();
        CompiledModule m = Engine.create().compile(wasm);
        List<Double> ours = new ArrayList<>();
        String output = null;
        List<Double> oursCpu = new ArrayList<>();
        for (int i = 0; i < WARMUP + runs; i++) { // the first runs warm up the JIT, as V8's first ones do
            long t0 = System.nanoTime();
            double c0 = processCpuMillis();
            output = SqliteWorkload.run(m, wasm);
            if (i >= WARMUP) {
                ours.add((System.nanoTime() - t0) / 1e6);
                oursCpu.add(processCpuMillis() - c0);
            }
        }
        Optional<NodeWorkload.Result> v8 = NodeWorkload.run("sqlite-workload.mjs", sqljs.path(), "sqlite-workload.sql", WARMUP + runs);
        if (v8.isPresent() && !v8.get().output().equals(output)) {
            notes.add("real programs: SQLite output DIFFERS from V8's");
        } else if (v8.isEmpty()) {
            notes.add("real programs: V8 skipped, node not on the PATH");
        }
        List<Double> chicoryRuns = new ArrayList<>();
        List<Double> chicoryCpu = new ArrayList<>();
        try {
            ChicoryGuest.Compiled cc = ChicoryGuest.compile(wasm, InterpreterFallback.FAIL);
            for (int i = 0; i < WARMUP + runs; i++) {
                long t0 = System.nanoTime();
                double c0 = processCpuMillis();
                String c = SqliteWorkload.run(new ChicoryGuest(wasm, cc, SqliteWorkload.stubs(), SqliteWorkload::fallback));
                if (i >= WARMUP) {
                    chicoryRuns.add((System.nanoTime() - t0) / 1e6);
                    chicoryCpu.add(processCpuMillis() - c0);
                }
                if (!c.equals(output)) {
                    notes.add("real programs: SQLite output on Chicory DIFFERS from ours");
                }
            }
        } catch (RuntimeException | LinkageError x) {
            notes.add("real programs: Chicory failed on the SQLite workload: " + x);
        }
        table.add(new Table.Row(SQLITE_ROW, "ms", median(ours), median(chicoryRuns), Double.NaN, v8Median(v8, false), Double.NaN));
        table.add(new Table.Row(cpuLabel(SQLITE_ROW), "ms", median(oursCpu), median(chicoryCpu), Double.NaN, v8Median(v8, true),
                Double.NaN));
    }

    /** The QuickJS row: ours against V8 (Chicory would need the imported memory wired through its API: not yet). */
    private static void quickJs(List<Corpus.Entry> corpus, int runs, Table table, List<String> notes) throws Exception {
        Corpus.Entry quickjs = corpus.stream().filter(e -> e.name().equals("quickjs")).findFirst().orElseThrow();
        byte[] wasm = quickjs.bytes();
        CompiledModule m = Engine.create().compile(wasm);
        List<Double> ours = new ArrayList<>();
        String output = null;
        List<Double> oursCpu = new ArrayList<>();
        for (int i = 0; i < WARMUP + runs; i++) {
            long t0 = System.nanoTime();
            double c0 = processCpuMillis();
            output = QuickJsWorkload.run(m, wasm);
            if (i >= WARMUP) {
                ours.add((System.nanoTime() - t0) / 1e6);
                oursCpu.add(processCpuMillis() - c0);
            }
        }
        Optional<NodeWorkload.Result> v8 = NodeWorkload.run("quickjs-workload.mjs", quickjs.path(), "quickjs-workload.js", WARMUP + runs);
        if (v8.isPresent() && !v8.get().output().strip().equals(output)) {
            notes.add("real programs: QuickJS output DIFFERS from V8's");
        }
        table.add(new Table.Row(QUICKJS_ROW, "ms", median(ours), Double.NaN, Double.NaN, v8Median(v8, false), Double.NaN));
        table.add(new Table.Row(cpuLabel(QUICKJS_ROW), "ms", median(oursCpu), Double.NaN, Double.NaN, v8Median(v8, true), Double.NaN));
        notes.add("real programs: Chicory not run on QuickJS (the module imports its memory; not wired for Chicory yet)");
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.isEmpty() ? Double.NaN : v.get(v.size() / 2);
    }
}
