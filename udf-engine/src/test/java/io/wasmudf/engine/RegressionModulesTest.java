package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Modules that once broke the compiler (from differential fuzzing and real programs): each must
 * compile, link (so the JVM verifies every generated class) and instantiate with the method size
 * limit at its default, at 0 (every block outlined), at 300 and with outlining off, plain and with
 * every check compiled in; and every export must give the same results in all those modes. The
 * checked-in copies live in {@code resources/regressions}; the team's current reproducers in
 * {@code ../shared/repro} are run too when that directory is there.
 */
class RegressionModulesTest {
    private static final String[] CHECKED_IN = {
        "bug1-verifyerror-stackmap-default.wasm",
        "bug1-verifyerror-stackmap-methodLimit300.wasm",
        "bug1-outline-all.wasm",
    };

    private static final int[] METHOD_LIMITS = {Engine.DEFAULT_METHOD_SIZE_LIMIT, 0, 300, Integer.MAX_VALUE};

    @Test
    void checkedInRegressionsCompileAndAgreeInEveryMode() {
        for (String name : CHECKED_IN) {
            checkEveryMode(name, resource(name));
        }
    }

    @Test
    void outlinedBranchToAnEnclosingEndComputesTheSameResult() throws Throwable {
        // bug1-outline-all.wat: every path ends at (i32.const 42)
        for (int limit : METHOD_LIMITS) {
            MethodHandle f = Engine.builder().methodSizeLimit(limit).build()
                    .compile(resource("bug1-outline-all.wasm")).instantiate().function("f").handle();
            for (int arg : new int[] {0, 1, 7, 8, -1}) {
                assertEquals(42, (int) f.invokeExact(arg), "limit " + limit + ", f(" + arg + ")");
            }
        }
    }

    @Test
    void sharedReproducersCompileAndAgreeInEveryMode() throws IOException {
        Path dir = sharedRepro();
        if (dir == null) {
            System.err.println("SHARED REPRO DIRECTORY NOT FOUND (../shared/repro): only the checked-in copies were run");
            return;
        }
        int checked = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".wasm")).sorted().toList()) {
                checkEveryMode(p.getFileName().toString(), Files.readAllBytes(p));
                checked++;
            }
        }
        assertTrue(checked > 0, "no .wasm reproducers in " + dir);
    }

    /**
     * Compiles {@code wasm} in every mode, instantiates it, and compares its exports' results
     * across the method limits (plain modes among themselves, checked ones among themselves: fuel
     * may run out where plain code returns).
     */
    static void checkEveryMode(String name, byte[] wasm) {
        for (boolean checked : new boolean[] {false, true}) {
            Map<String, List<String>> results = new LinkedHashMap<>();
            for (int limit : METHOD_LIMITS) {
                // interruptible even when "plain", so a guest that loops forever fails the test rather than hanging it
                Engine.Builder b = Engine.builder().methodSizeLimit(limit).interruptible(true);
                if (checked) {
                    b.untrusted().fuel(true);
                }
                String mode = name + (checked ? " (untrusted, fuel" : " (plain") + ", methodLimit " + limit + ")";
                CompiledModule m;
                try {
                    m = b.build().compile(wasm);
                } catch (WasmException e) {
                    throw new AssertionError(mode + ": " + e, e);
                }
                InstanceLimits limits = new InstanceLimits(Engine.UNTRUSTED_MAX_MEMORY_PAGES, null,
                        checked ? 10_000_000L : Long.MAX_VALUE, java.time.Duration.ofSeconds(10));
                Instance instance = m.instantiate(Imports.empty(), limits);
                results.put(mode, callExports(instance, checked));
            }
            List<String> first = results.values().iterator().next();
            results.forEach((mode, r) -> assertEquals(first, r, mode + " differs from the default limit's results"));
        }
    }

    /** Calls every export that takes only numbers, with a few argument values; results or trap kinds. */
    private static List<String> callExports(Instance instance, boolean fuel) {
        List<String> out = new ArrayList<>();
        for (ExportInfo e : instance.module().exports()) {
            if (e.kind() != ExternKind.FUNC || e.funcType().params().stream().anyMatch(ValType::isReference)) {
                continue;
            }
            for (int v : new int[] {0, 1, 7, -1}) {
                Object[] args = e.funcType().params().stream().map(t -> arg(t, v)).toArray();
                if (fuel) {
                    instance.setFuel(10_000_000L);
                }
                instance.setTimeout(java.time.Duration.ofSeconds(10));
                try {
                    out.add(e.name() + "(" + v + ") = " + List.of(instance.function(e.name()).call(args)));
                } catch (Trap t) {
                    out.add(e.name() + "(" + v + ") traps: " + t.kind());
                }
            }
        }
        return out;
    }

    private static Object arg(ValType t, int v) {
        switch (t) {
            case I32: return v;
            case I64: return (long) v;
            case F32: return (float) v;
            default: return (double) v;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = RegressionModulesTest.class.getResourceAsStream("/regressions/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ../shared/repro}, found beside the spec suite's directory or relative to the module. */
    private static Path sharedRepro() {
        List<Path> candidates = new ArrayList<>();
        String suite = System.getProperty("wasm.testsuite");
        if (suite != null && !suite.isBlank()) {
            candidates.add(Paths.get(suite).resolveSibling("repro"));
        }
        candidates.add(Paths.get("../../shared/repro"));
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }
}
