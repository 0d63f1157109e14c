package io.wasmudf.engine.difffuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.ExportInfo;
import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmException;
import io.wasmudf.engine.internal.text.WastCommand;
import io.wasmudf.engine.internal.text.WastModule;
import io.wasmudf.engine.internal.text.WastParser;
import io.wasmudf.engine.testsupport.FuzzSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small differential check of exception handling against V8: node 20 implements the legacy
 * instructions ({@code try}/{@code catch}/{@code catch_all}/{@code delegate}/{@code rethrow}/
 * {@code throw}), not 3.0's {@code try_table}. The modules of the spec suite's {@code legacy/}
 * scripts without imports, and byte-flip mutants of them that both engines compile, run every
 * export with numeric parameters (all zeros, then all ones) in both; the outcomes (values as bits,
 * a trap, an uncaught exception, stack exhaustion) must agree. Calls our engine stops at its
 * deadline leave the module out (V8 has none).
 */
class LegacyExceptionV8Test {
    private static final Path SCRIPT = Path.of("src/test/node/legacy-eh-v8.js");
    private static final List<String> SCRIPTS = List.of("try_catch", "try_delegate", "rethrow", "throw");

    record Call(String name, FuncType type, Object[] args) {}

    @Test
    void legacyExceptionModulesBehaveAsInV8(@TempDir Path dir) throws Exception {
        DiffFuzzTest.requireTool("node");
        List<byte[]> seeds = seeds();
        Random random = new Random(FuzzSeed.of(0x1E_6AC7));
        Engine engine = Engine.builder().untrusted().build();
        Map<Integer, List<Call>> calls = new LinkedHashMap<>();
        Map<Integer, List<String>> ours = new LinkedHashMap<>();
        Map<Integer, byte[]> modules = new LinkedHashMap<>();
        int mutants = Integer.getInteger("wasmudf.fuzz.iterations", 3000) / 3;
        for (int id = 0; id < seeds.size() + mutants; id++) {
            byte[] wasm = seeds.get(id % seeds.size()).clone();
            if (id >= seeds.size()) {
                for (int k = 0, flips = 1 + random.nextInt(2); k < flips; k++) {
                    int pos = 8 + random.nextInt(wasm.length - 8);
                    wasm[pos] = (byte) (wasm[pos] ^ (1 << random.nextInt(8)));
                }
            }
            List<Call> plan = new ArrayList<>();
            List<String> outcomes = run(engine, wasm, plan);
            if (outcomes != null) {
                calls.put(id, plan);
                ours.put(id, outcomes);
                modules.put(id, wasm);
            }
        }
        Map<Integer, List<String>> v8 = runInV8(dir, modules, calls);
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (var e : ours.entrySet()) {
            List<String> theirs = v8.get(e.getKey());
            if (theirs == null || theirs.size() == 1 && theirs.get(0).startsWith("instantiate error")) {
                continue; // V8 refused a mutant our engine compiles: the campaign tests refusals, not this
            }
            compared += e.getValue().size();
            if (!theirs.equals(e.getValue())) {
                differences.add("module " + e.getKey() + ": engine " + e.getValue() + ", V8 " + theirs
                        + " (wasm " + Base64.getEncoder().encodeToString(modules.get(e.getKey())) + ")");
            }
        }
        System.out.println("[legacy-eh-v8] " + ours.size() + " modules (" + seeds.size() + " suite modules), " + compared
                + " calls compared");
        assertEquals(List.of(), differences);
        assertTrue(compared > 50, compared + " calls compared");
    }

    /** Our outcomes for {@code wasm}'s numeric exports, or null when it does not compile, needs imports or hits the deadline. */
    private static List<String> run(Engine engine, byte[] wasm, List<Call> plan) {
        CompiledModule module;
        try {
            module = engine.compile(wasm);
        } catch (WasmException e) {
            return null;
        }
        if (!module.imports().isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        Instance instance;
        try {
            instance = module.instantiate(Imports.empty());
        } catch (Trap t) {
            return List.of("instantiate " + outcome(t));
        } catch (WasmException e) {
            return null;
        }
        for (ExportInfo e : module.exports()) {
            if (e.kind() != ExternKind.FUNC || !numeric(e.funcType())) {
                continue;
            }
            for (int v = 0; v <= 1; v++) {
                Object[] args = new Object[e.funcType().params().size()];
                for (int i = 0; i < args.length; i++) {
                    ValType t = e.funcType().params().get(i);
                    args[i] = t == ValType.I32 ? (Object) v : t == ValType.I64 ? (Object) (long) v
                            : t == ValType.F32 ? (Object) (float) v : (Object) (double) v;
                }
                plan.add(new Call(e.name(), e.funcType(), args));
                instance.setTimeout(Duration.ofSeconds(2));
                try {
                    Object[] r = instance.function(e.name()).call(args);
                    StringBuilder s = new StringBuilder("ok ");
                    for (int i = 0; i < r.length; i++) {
                        s.append(i > 0 ? "," : "").append(bits(e.funcType().results().get(i), r[i]));
                    }
                    out.add(s.toString());
                } catch (Trap t) {
                    if (t.kind() == TrapKind.TIMEOUT || t.kind() == TrapKind.OUT_OF_FUEL) {
                        return null;
                    }
                    out.add(outcome(t));
                }
            }
        }
        return out;
    }

    private static String outcome(Trap t) {
        return t.kind() == TrapKind.UNCAUGHT_EXCEPTION ? "exception" : t.kind() == TrapKind.CALL_STACK_EXHAUSTED ? "stack" : "trap";
    }

    private static boolean numeric(FuncType t) {
        for (ValType v : t.params()) {
            if (!v.isNumeric()) {
                return false;
            }
        }
        for (ValType v : t.results()) {
            if (!v.isNumeric()) {
                return false;
            }
        }
        return true;
    }

    private static String bits(ValType t, Object v) {
        switch (t) {
            case I32: return String.valueOf(v);
            case I64: return String.valueOf(v);
            case F32: return Float.isNaN((Float) v) ? "nan" : "f32:" + Integer.toHexString(Float.floatToRawIntBits((Float) v));
            default: return Double.isNaN((Double) v) ? "nan" : "f64:" + Long.toHexString(Double.doubleToRawLongBits((Double) v));
        }
    }

    private static Map<Integer, List<String>> runInV8(Path dir, Map<Integer, byte[]> modules, Map<Integer, List<Call>> calls)
            throws Exception {
        StringBuilder in = new StringBuilder();
        for (var e : modules.entrySet()) {
            in.append("{\"id\":").append(e.getKey()).append(",\"wasm\":\"").append(Base64.getEncoder().encodeToString(e.getValue()))
                    .append("\",\"calls\":[");
            List<Call> plan = calls.get(e.getKey());
            for (int i = 0; i < plan.size(); i++) {
                Call c = plan.get(i);
                in.append(i > 0 ? "," : "").append("{\"name\":").append(quote(c.name())).append(",\"params\":")
                        .append(types(c.type().params())).append(",\"results\":").append(types(c.type().results()))
                        .append(",\"args\":[");
                for (int k = 0; k < c.args().length; k++) {
                    in.append(k > 0 ? "," : "").append(((Number) c.args()[k]).longValue());
                }
                in.append("]}");
            }
            in.append("]}\n");
        }
        Path input = dir.resolve("legacy-eh.jsonl");
        Path output = dir.resolve("legacy-eh.out");
        Files.writeString(input, in);
        Process p = new ProcessBuilder("node", SCRIPT.toString(), input.toString()).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("V8 did not finish the modules in 120 s (one our engine ran loops forever there?)");
        }
        Map<Integer, List<String>> result = new LinkedHashMap<>();
        for (String line : Files.readAllLines(output)) {
            String[] parts = line.split("\t", -1);
            result.put(Integer.parseInt(parts[0]), List.of(parts).subList(1, parts.length));
        }
        return result;
    }

    private static String types(List<ValType> types) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < types.size(); i++) {
            b.append(i > 0 ? "," : "").append('"').append(types.get(i).name().toLowerCase()).append('"');
        }
        return b.append(']').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The binaries of the legacy scripts' modules that our engine compiles. */
    private static List<byte[]> seeds() throws Exception {
        Path suite = null;
        for (String base : new String[] {"../shared/", "../../shared/", "/work/shared/"}) {
            if (Files.isDirectory(Paths.get(base + "wasm-testsuite-3/legacy"))) {
                suite = Paths.get(base + "wasm-testsuite-3/legacy");
                break;
            }
        }
        Assumptions.assumeTrue(suite != null, "SPEC SUITE 3.0 NOT FOUND (../shared/wasm-testsuite-3): the legacy V8 check did not run");
        List<byte[]> seeds = new ArrayList<>();
        Engine engine = Engine.create();
        for (String script : SCRIPTS) {
            for (WastCommand c : WastParser.parse(Files.readAllBytes(suite.resolve(script + ".wast")))) {
                if (c instanceof WastCommand.Module m && m.module().kind() != WastModule.Kind.QUOTE) {
                    byte[] bytes = m.module().binary();
                    try {
                        if (engine.compile(bytes).imports().isEmpty()) {
                            seeds.add(bytes);
                        }
                    } catch (WasmException e) {
                        // the scripts' invalid modules
                    }
                }
            }
        }
        assertTrue(seeds.size() >= 4, seeds.size() + " seeds");
        return seeds;
    }
}
