package io.wasmudf.engine;

import static io.wasmudf.engine.testsupport.ModuleBytes.splice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.testsupport.FuzzSeed;
import io.wasmudf.engine.testsupport.SuiteModules;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline under hostile input: mutated real modules go through compile, instantiate
 * and calls of every export, under fuel and a deadline so nothing can hang. Acceptable outcomes are the
 * engine's own exceptions (malformed, invalid, unsupported, resource limit, link error, trap);
 * anything else (a JVM error, VerifyError, NullPointerException...) is a failure.
 *
 * <p>The decoder alone is fuzzed in {@code internal.decode.ModuleDecoderFuzzTest}; valid random
 * modules ({@link RandomModules}, binaryen's {@code -ttf}) are compared with V8 in every engine
 * configuration by {@code difffuzz.DiffFuzzTest}. Iterations
 * scale with {@code -Dwasmudf.fuzz.iterations=N} (an eighth of it here, since each iteration
 * compiles and runs); {@code -Dwasmudf.fuzz.long=true} multiplies them by 20. Seeds are fixed, so
 * failures reproduce ({@code -Dwasmudf.fuzz.seed=N} picks others, see {@link FuzzSeed}); each one found must become a regression test named after what it found.
 */
class FuzzCampaignTest {
    private static final long FUEL_PER_CALL = 2_000_000;
    private static final int HOSTILE_MAX_PAGES = 64;

    private static int iterations(int divisor) {
        int base = Integer.getInteger("wasmudf.fuzz.iterations", 3000) / divisor;
        return Math.max(1, Boolean.getBoolean("wasmudf.fuzz.long") ? base * 20 : base);
    }

    /** The engine hostile modules get: every check on, small memory. */
    static Engine hostileEngine() {
        return Engine.builder().untrusted().fuel(true).maxMemoryPages(HOSTILE_MAX_PAGES).build();
    }

    @Test
    void mutatedModulesCompileInstantiateAndRunSafely() {
        List<byte[]> seeds = seeds();
        int iterations = iterations(8);
        Random random = new Random(FuzzSeed.of(0xF022_CA3E));
        List<String> failures = new ArrayList<>();
        int[] outcomes = new int[4]; // refused at compile, refused at instantiation, ran, calls made
        int batch = 50;
        for (int done = 0; done < iterations; done += batch) {
            int n = Math.min(batch, iterations - done);
            int first = done;
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < n; i++) {
                    // a third from generated modules, whose bigger bodies survive a mutation more often
                    byte[] seed = random.nextInt(3) == 0 ? new RandomModules(random, 1 + random.nextInt(4)).module()
                            : seeds.get(random.nextInt(seeds.size()));
                    byte[] input = mutate(seed, random);
                    String failure = exercise(input, outcomes);
                    if (failure != null) {
                        failures.add("iteration " + (first + i) + ": " + failure + " for " + hex(input));
                    }
                }
            }, "batch starting at iteration " + first + " hung");
        }
        System.out.println("[fuzz-campaign] " + iterations + " mutants over " + seeds.size() + " seeds: "
                + outcomes[0] + " refused at compile, " + outcomes[1] + " at instantiation, " + outcomes[2]
                + " instantiated, " + outcomes[3] + " export calls");
        assertEquals(List.of(), failures);
        assertTrue(outcomes[2] > 0, "no mutant got as far as instantiation");
    }

    /** Compiles, instantiates and calls every export of {@code wasm}; returns a failure or null. */
    static String exercise(byte[] wasm, int[] outcomes) {
        Engine engine = hostileEngine();
        CompiledModule module;
        try {
            module = engine.compile(wasm);
        } catch (MalformedModuleException | InvalidModuleException | ResourceLimitException e) {
            outcomes[0]++;
            return null;
        } catch (Throwable t) {
            return "compile: " + describe(t);
        }
        Instance instance;
        try {
            instance = module.instantiate(stubImports(module), engine.defaultLimits()
                    .withFuel(FUEL_PER_CALL).withInstantiationTimeout(Duration.ofSeconds(5)));
        } catch (LinkException | ResourceLimitException | Trap e) {
            outcomes[1]++;
            return null;
        } catch (Throwable t) {
            return "instantiate: " + describe(t);
        }
        outcomes[2]++;
        try (instance) {
            for (ExportInfo e : module.exports()) {
                if (e.kind() != ExternKind.FUNC) {
                    continue;
                }
                instance.setFuel(FUEL_PER_CALL);
                instance.setTimeout(Duration.ofSeconds(5));
                outcomes[3]++;
                try {
                    instance.function(e.name()).call(zeroArgs(e.funcType()));
                } catch (Trap expected) {
                    // any trap is a fine way for hostile code to end
                } catch (Throwable t) {
                    return "call " + e.name() + ": " + describe(t);
                }
            }
        }
        return null;
    }

    /** Imports that satisfy most spec-suite modules: stub functions and spectest-like values. */
    static Imports stubImports(CompiledModule module) {
        Imports.Builder b = Imports.builder();
        for (ImportInfo imp : module.imports()) {
            switch (imp.kind()) {
                case FUNC:
                    b.add(imp.module(), imp.name(), stub(imp.funcType()));
                    break;
                case MEMORY:
                    b.add(imp.module(), imp.name(), Memory.create(1, 2));
                    break;
                case TABLE:
                    b.add(imp.module(), imp.name(), new Table(ValType.FUNCREF, 10, 20));
                    break;
                default:
                    ValType t = imp.name().contains("i64") ? ValType.I64 : imp.name().contains("f32") ? ValType.F32
                            : imp.name().contains("f64") ? ValType.F64 : ValType.I32;
                    b.add(imp.module(), imp.name(), Global.of(t, false, zero(t)));
            }
        }
        return b.build();
    }

    private static WasmFunction stub(FuncType type) {
        MethodHandle h;
        if (type.results().size() > 1) {
            Object[] zeros = type.results().stream().map(FuzzCampaignTest::zero).toArray();
            h = MethodHandles.dropArguments(MethodHandles.constant(Object[].class, zeros), 0,
                    type.methodType().parameterList());
        } else {
            h = MethodHandles.empty(type.methodType());
        }
        return WasmFunction.host(type, h);
    }

    private static Object zero(ValType t) {
        switch (t) {
            case I32: return 0;
            case I64: return 0L;
            case F32: return 0f;
            case F64: return 0d;
            case V128: return V128.ZERO;
            default: return null;
        }
    }

    private static Object[] zeroArgs(FuncType type) {
        return type.params().stream().map(FuzzCampaignTest::zero).toArray();
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : List.of("limits", "start_loop", "huge_memory")) {
            seeds.add(LimitsModules.bytes(name));
        }
        for (SuiteModules.Module m : SuiteModules.orNone("fuzz-campaign")) {
            if (m.bytes().length > 8 && m.bytes().length < 20_000 && m.isValid()) {
                seeds.add(m.bytes());
            }
        }
        return seeds;
    }

    /** One to three random edits: bit flips, interesting bytes, inserted/deleted/duplicated runs. */
    static byte[] mutate(byte[] original, Random random) {
        byte[] b = original;
        int count = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
        for (int k = 0; k < count; k++) {
            int at = 8 + random.nextInt(Math.max(1, b.length - 8));
            at = Math.min(at, b.length);
            switch (random.nextInt(5)) {
                case 0:
                    if (at < b.length) {
                        b = b.clone();
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    break;
                case 1:
                    if (at < b.length) {
                        b = b.clone();
                        int[] values = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0B, 0x10, 0x11, 0x03, 0x0C, 0x40};
                        b[at] = (byte) values[random.nextInt(values.length)];
                    }
                    break;
                case 2: {
                    byte[] extra = new byte[1 + random.nextInt(3)];
                    random.nextBytes(extra);
                    b = splice(b, at, 0, extra);
                    break;
                }
                case 3:
                    b = splice(b, at, Math.min(b.length - at, 1 + random.nextInt(4)), new byte[0]);
                    break;
                default: {
                    int n = Math.min(b.length - at, 1 + random.nextInt(12));
                    b = splice(b, at, 0, Arrays.copyOfRange(b, at, at + n));
                }
            }
        }
        return b;
    }

    static String describe(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return t + (st.length > 0 ? " at " + st[0] : "");
    }

    static String hex(byte[] b) {
        String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 400));
        return b.length > 400 ? h + "...(" + b.length + " bytes)" : h;
    }
}
