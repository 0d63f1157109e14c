package io.wasmudf.bench;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.wasmudf.bench.corpus.ChicoryGuest;
import io.wasmudf.bench.corpus.Corpus;
import io.wasmudf.bench.corpus.StubImports;
import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Instantiate + first call of a real program already compiled (issue 21: "instantiation that does
 * not grow with module size"), ours against Chicory's instantiate of the same bytes in the same
 * run. sql.js 1.13.0 (660 KB, 1883 functions, a 488-element table, 354 data segments, its own
 * memory of 338 pages) and QuickJS (@jitl 0.32.0, 1321 functions, 93 data segments, a start
 * function; it imports its memory of 256 pages, which each operation creates afresh for both
 * runtimes, as a new instance needs). Imports are zero-returning stubs, built once. The first call
 * is the module's {@code malloc(16)} (sql.js export {@code Da}, QuickJS {@code v}) through the
 * instance's exported function. The modules come from {@code corpus/fetch.sh}'s cache; BenchMain
 * skips these cases when they are not there.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InstantiateBenchmarks {
    /** The corpus module, the export {@code malloc} has in it, and whether it imports memory "a"."a" of this many pages. */
    private record Program(String name, String malloc) {}

    private static final Map<String, Program> PROGRAMS = Map.of(
            "sqljs", new Program("sqljs", "Da"),
            "quickjs", new Program("quickjs", "v"));

    /** One program compiled by each runtime, with stub imports for each. */
    public abstract static class Compiled {
        CompiledModule ours;
        Imports oursImports;
        ChicoryGuest.Compiled chicory;
        ImportValues chicoryImports;
        String malloc;
        /** Pages of the imported memory, -1 when the module has its own. */
        int importedPages = -1;
        long importedMax;
        String memoryModule;
        String memoryName;

        void setup(String name) {
            Program p = PROGRAMS.get(name);
            byte[] wasm;
            try {
                wasm = Files.readAllBytes(Corpus.cached(name).orElseThrow(
                        () -> new IllegalStateException(name + " is not in the corpus cache: run benchmark-queries/corpus/fetch.sh")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            malloc = p.malloc();
            ours = Engine.create().compile(wasm);
            var model = ModuleDecoder.decode(wasm);
            List<ImportFunction> functions = new ArrayList<>();
            for (Import imp : model.imports()) {
                if (imp.desc() instanceof ImportDesc.Func f) {
                    var t = model.types().get(f.typeIndex());
                    boolean none = t.results().isEmpty();
                    FunctionType ct = FunctionType.of(t.params().stream().map(InstantiateBenchmarks::chicoryType).toList(),
                            t.results().stream().map(InstantiateBenchmarks::chicoryType).toList());
                    functions.add(new HostFunction(imp.module(), imp.name(), ct, (inst, args) -> none ? null : new long[] {0}));
                } else if (imp.desc() instanceof ImportDesc.Memory m) {
                    importedPages = (int) m.type().limits().min();
                    importedMax = m.type().limits().max();
                    memoryModule = imp.module();
                    memoryName = imp.name();
                }
            }
            oursImports = StubImports.forModule(wasm, Map.of());
            chicoryImports = ImportValues.builder().withFunctions(functions).build();
            chicory = ChicoryGuest.compile(wasm, InterpreterFallback.SILENT);
        }

        int oursOnce() throws Throwable {
            Imports imports = oursImports;
            if (importedPages >= 0) {
                imports = Imports.builder().addAll(oursImports)
                        .add(memoryModule, memoryName, Memory.create(importedPages, importedMax)).build();
            }
            try (io.wasmudf.engine.Instance i = ours.instantiate(imports)) {
                MethodHandle h = i.function(malloc).handle();
                return (int) h.invokeExact(16);
            }
        }

        long chicoryOnce() {
            ImportValues imports = chicoryImports;
            if (importedPages >= 0) {
                imports = ImportValues.builder().withFunctions(List.of(chicoryImports.functions()))
                        .addMemory(new ImportMemory(memoryModule, memoryName,
                                new ByteArrayMemory(new MemoryLimits(importedPages, (int) importedMax)))).build();
            }
            Instance i = Instance.builder(chicory.module()).withImportValues(imports).withMachineFactory(chicory.machines()).build();
            return i.export(malloc).apply(16)[0];
        }
    }

    private static com.dylibso.chicory.wasm.types.ValType chicoryType(io.wasmudf.engine.ValType t) {
        switch (t) {
            case I32: return com.dylibso.chicory.wasm.types.ValType.I32;
            case I64: return com.dylibso.chicory.wasm.types.ValType.I64;
            case F32: return com.dylibso.chicory.wasm.types.ValType.F32;
            case F64: return com.dylibso.chicory.wasm.types.ValType.F64;
            default: return com.dylibso.chicory.wasm.types.ValType.FuncRef;
        }
    }

    /** sql.js. */
    @State(Scope.Benchmark)
    public static class SqlJs extends Compiled {
        @Setup
        public void setup() {
            setup("sqljs");
        }
    }

    /** QuickJS. */
    @State(Scope.Benchmark)
    public static class QuickJs extends Compiled {
        @Setup
        public void setup() {
            setup("quickjs");
        }
    }

    @Benchmark public int sqljs_ours(SqlJs s) throws Throwable { return s.oursOnce(); }
    @Benchmark public long sqljs_chicory(SqlJs s) { return s.chicoryOnce(); }
    @Benchmark public int quickjs_ours(QuickJs s) throws Throwable { return s.oursOnce(); }
    @Benchmark public long quickjs_chicory(QuickJs s) { return s.chicoryOnce(); }
}
