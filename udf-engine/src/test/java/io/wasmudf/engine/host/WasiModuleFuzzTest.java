package io.wasmudf.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Grants;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.OutputSink;
import io.wasmudf.engine.ProcExitException;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.UnsatisfiedImportsException;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.host.HostModules;
import io.wasmudf.engine.testsupport.FuzzSeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's hostile modules as a fuzz campaign: generated modules that import a random set of
 * WASI functions (with memory exported, empty, private or absent) and call them from compiled
 * guest code with wild pointers and lengths (forwarded from random arguments or baked in as
 * constants), flood stdout in a loop, sleep in {@code poll_oneoff}, exit with a random code, and
 * import unknown names. Checked: every WASI result is an errno docs/WASI.md lists; a call ends
 * only with a result, the deadline's {@link Trap} or {@link ProcExitException}, never a host
 * exception; no call outlives its deadline by much; a call keeps at most the per-call output
 * limit; after a trap the instance still answers, after an exit it refuses calls
 * ({@code usable()} false), as documented; unknown imports are refused at instantiation, all
 * listed. {@link HostFunctionFuzzTest} calls the host functions directly; this goes through the
 * compiler's import calls. {@code -Dwasmudf.fuzz.iterations=N} / {@code -Dwasmudf.fuzz.long=true}
 * scale it (N / 60 modules, 50 by default: a few seconds; 1,000 with the long flag).
 */
class WasiModuleFuzzTest {
    /** docs/WASI.md: success, EBADF, EFAULT, EINVAL, ENOTDIR, ENOTSUP, ESPIPE, ENOTCAPABLE. */
    private static final Set<Integer> DOCUMENTED_ERRNOS = Set.of(0, 8, 21, 28, 54, 58, 70, 76);
    private static final int[] WILD = {0, 1, 4, 8, 24, 48, 65535, 65536, 65532, 131072, -1, -4, -8,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFF_FFF0};
    private static final long DEADLINE_MS = 30;
    /** How far past its deadline a call may end: the sleep slices are 1 ms; the rest is a loaded machine. */
    private static final long LATE_MS = 3_000;
    private static final String[] UNKNOWN_MODULES = {HostModules.WASI, HostModules.ENV, HostModules.WASMUDF, "wasi_unstable", "host"};

    @Test
    void generatedWasiModulesEndOnlyInDocumentedWays() {
        long seed = FuzzSeed.of(0xF022_A51L);
        Random r = new Random(seed);
        int modules = Math.max(1, Integer.getInteger("wasmudf.fuzz.iterations", 3000) / 60
                * (Boolean.getBoolean("wasmudf.fuzz.long") ? 20 : 1));
        List<Map.Entry<String, FuncType>> wasi = new ArrayList<>(HostModules.functions(HostModules.WASI).entrySet());
        Stats stats = new Stats();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < modules; i++) {
            long moduleSeed = r.nextLong();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                String failure = runOne(new Random(moduleSeed), wasi, stats);
                if (failure != null) {
                    failures.add("module seed " + moduleSeed + ": " + failure);
                }
            }, "module seed " + moduleSeed + " hung");
        }
        System.out.println("[wasi-fuzz] " + modules + " modules (seed " + seed + "): " + stats);
        assertEquals(List.of(), failures);
        assertTrue(stats.errnos > modules, "too few WASI calls returned: " + stats);
    }

    /** Counts what the campaign saw, for the summary line. */
    static final class Stats {
        int errnos;
        int deadlines;
        int exits;
        int refused;
        int floods;

        @Override
        public String toString() {
            return errnos + " errnos returned, " + deadlines + " calls ended by the deadline, " + exits + " exits, "
                    + floods + " floods, " + refused + " modules refused for unknown imports";
        }
    }

    /** Generates, instantiates and calls one module; returns a failure or null. */
    private static String runOne(Random r, List<Map.Entry<String, FuncType>> wasi, Stats stats) {
        Module m = Module.generate(r, wasi);
        CompiledModule compiled = HostTestSupport.UNTRUSTED.compile(Wat.toBinary(m.wat));
        Grants grants = new Grants[] {Grants.NONE, Grants.DETERMINISTIC, Grants.ALL}[r.nextInt(3)];
        CountingSink sink = new CountingSink();
        HostEnvironment env = HostEnvironment.builder().grants(grants).output(sink).build();
        HostedInstance h;
        try {
            h = env.instantiate(compiled, HostTestSupport.UNTRUSTED.defaultLimits());
        } catch (UnsatisfiedImportsException e) {
            stats.refused++;
            return e.imports().size() == m.unknownImports ? null
                    : m.unknownImports + " unknown imports but " + e.imports().size() + " listed: " + e.getMessage();
        }
        if (m.unknownImports > 0) {
            return m.unknownImports + " unknown imports accepted";
        }
        try (h) {
            for (int call = 0; call < 12; call++) {
                Export x = m.exports.get(r.nextInt(m.exports.size()));
                Object[] args = x.arguments(r);
                h.instance().setTimeout(Duration.ofMillis(DEADLINE_MS));
                sink.chars = 0;
                long t0 = System.nanoTime();
                String what = x.name + Arrays.toString(args) + " under " + grants + " in\n" + m.wat;
                try {
                    Object[] result = h.call(x.name, args);
                    if (x.returnsErrno) {
                        int errno = (Integer) result[0];
                        if (!DOCUMENTED_ERRNOS.contains(errno)) {
                            return "errno " + errno + " is not documented: " + what;
                        }
                        stats.errnos++;
                    }
                } catch (ProcExitException e) {
                    if (!x.exits || e.exitCode() != (Integer) args[0] || h.usable() || h.exitCode().orElse(-1) != e.exitCode()) {
                        return "unexpected exit " + e.exitCode() + " (usable " + h.usable() + "): " + what;
                    }
                    stats.exits++;
                    try {
                        h.call("ping");
                        return "an exited instance was called again: " + what;
                    } catch (IllegalStateException documented) {
                        return null; // discarded, as documented
                    }
                } catch (Trap t) {
                    // the only trap a WASI call may cause is the deadline ending a sleep; memory
                    // faults are EFAULT, and the generated guest code stores only inside memory
                    if (t.kind() != TrapKind.TIMEOUT) {
                        return "trap " + t.kind() + " (" + t.getMessage() + "): " + what;
                    }
                    stats.deadlines++;
                    h.instance().clearDeadline();
                    if (!Integer.valueOf(42).equals(h.call("ping")[0])) {
                        return "the instance does not answer after a deadline: " + what;
                    }
                } catch (RuntimeException | Error e) {
                    return "host exception " + e + ": " + what;
                } finally {
                    h.instance().clearDeadline();
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (ms > DEADLINE_MS + LATE_MS) {
                    return "took " + ms + " ms: " + what;
                }
                if (sink.chars > HostEnvironment.DEFAULT_MAX_OUTPUT_PER_CALL + 256) {
                    return sink.chars + " characters of output in one call: " + what;
                }
                if (x.floods) {
                    stats.floods++;
                }
            }
        }
        return null;
    }

    /** Counts the characters of the lines delivered during a call. */
    private static final class CountingSink implements OutputSink {
        long chars;

        @Override
        public void line(Kind kind, String text) {
            chars += text.length();
        }
    }

    /** An export of a generated module and how to call it. */
    private record Export(String name, List<ValType> params, boolean returnsErrno, boolean exits, boolean floods) {
        Object[] arguments(Random r) {
            Object[] args = new Object[params.size()];
            for (int a = 0; a < args.length; a++) {
                int v = r.nextBoolean() ? WILD[r.nextInt(WILD.length)] : r.nextInt(r.nextBoolean() ? 8 : 140_000);
                args[a] = params.get(a) == ValType.I64 ? (Object) (r.nextBoolean() ? (long) v : r.nextLong() % 60_000_000_000L) : v;
            }
            if (exits) {
                args[0] = r.nextInt(256);
            }
            return args;
        }
    }

    /** A generated module: its text, its exports and how many of its imports no host provides. */
    private record Module(String wat, List<Export> exports, int unknownImports) {
        static Module generate(Random r, List<Map.Entry<String, FuncType>> wasi) {
            StringBuilder imports = new StringBuilder();
            StringBuilder funcs = new StringBuilder();
            List<Export> exports = new ArrayList<>();
            // 0: exported memory, the usual case; 1: exported but empty; 2: private; 3: none
            int memoryKind = r.nextInt(8) < 5 ? 0 : 1 + r.nextInt(3);
            boolean stores = memoryKind == 0 || memoryKind == 2;
            int n = 1 + r.nextInt(6);
            for (int k = 0; k < n; k++) {
                Map.Entry<String, FuncType> f = wasi.get(r.nextInt(wasi.size()));
                FuncType t = f.getValue();
                String fn = "$f" + k;
                imports.append("  (import \"").append(HostModules.WASI).append("\" \"").append(f.getKey()).append("\" (func ")
                        .append(fn).append(signature(t)).append("))\n");
                boolean errno = !t.results().isEmpty();
                boolean exit = f.getKey().equals("proc_exit");
                // forwarded: the arguments come from the caller, wild at call time
                funcs.append("  (func (export \"fwd").append(k).append("\")").append(signature(t)).append('\n');
                for (int a = 0; a < t.params().size(); a++) {
                    funcs.append("    local.get ").append(a).append('\n');
                }
                funcs.append("    call ").append(fn).append(")\n");
                exports.add(new Export("fwd" + k, t.params(), errno, exit, false));
                if (!exit) {
                    // baked in: constants chosen when the module is generated
                    funcs.append("  (func (export \"const").append(k).append("\")").append(errno ? " (result i32)" : "").append('\n');
                    for (ValType p : t.params()) {
                        int v = r.nextBoolean() ? WILD[r.nextInt(WILD.length)] : r.nextInt(70_000);
                        funcs.append(p == ValType.I64 ? "    i64.const " + (r.nextBoolean() ? v : r.nextLong()) : "    i32.const " + v).append('\n');
                    }
                    funcs.append("    call ").append(fn).append(")\n");
                    exports.add(new Export("const" + k, List.of(), errno, false, false));
                }
            }
            if (stores) {
                // a flood: `count` fd_writes of one iovec (buf 64, len) to fd 1 or 2; returns the last errno
                imports.append("  (import \"").append(HostModules.WASI).append("\" \"fd_write\" (func $write (param i32 i32 i32 i32) (result i32)))\n");
                funcs.append("""
                          (func (export "flood") (param $count i32) (param $len i32) (param $fd i32) (result i32) (local $e i32)
                            i32.const 16
                            i32.const 64
                            i32.store
                            i32.const 20
                            local.get $len
                            i32.store
                            block $done
                              loop $again
                                local.get $count
                                i32.eqz
                                br_if $done
                                i32.const 1
                                local.get $fd
                                i32.const 1
                                i32.and
                                i32.add
                                i32.const 16
                                i32.const 1
                                i32.const 32
                                call $write
                                local.set $e
                                local.get $count
                                i32.const 1
                                i32.sub
                                local.set $count
                                br $again
                              end
                            end
                            local.get $e)
                          (func (export "sleep") (param $clock i32) (param $timeout i64) (param $flags i32) (result i32)
                            i32.const 1024
                            i64.const 7
                            i64.store
                            i32.const 1032
                            i32.const 0
                            i32.store8
                            i32.const 1040
                            local.get $clock
                            i32.const 3
                            i32.and
                            i32.store
                            i32.const 1048
                            local.get $timeout
                            i64.store
                            i32.const 1056
                            i64.const 0
                            i64.store
                            i32.const 1064
                            local.get $flags
                            i32.const 1
                            i32.and
                            i32.store16
                            i32.const 1024
                            i32.const 2048
                            i32.const 1
                            i32.const 4000
                            call $poll)
                        """);
                imports.append("  (import \"").append(HostModules.WASI).append("\" \"poll_oneoff\" (func $poll (param i32 i32 i32 i32) (result i32)))\n");
                exports.add(new Export("flood", List.of(ValType.I32, ValType.I32, ValType.I32), true, false, true));
                exports.add(new Export("sleep", List.of(ValType.I32, ValType.I64, ValType.I32), true, false, false));
            }
            if (r.nextInt(3) == 0) {
                // proc_exit is one import among 46: most modules would never exit without this
                imports.append("  (import \"").append(HostModules.WASI).append("\" \"proc_exit\" (func $exit (param i32)))\n");
                funcs.append("  (func (export \"exit\") (param i32) local.get 0 call $exit)\n");
                exports.add(new Export("exit", List.of(ValType.I32), false, true, false));
            }
            int unknown = r.nextInt(6) == 0 ? 1 + r.nextInt(3) : 0;
            for (int u = 0; u < unknown; u++) {
                String module = UNKNOWN_MODULES[r.nextInt(UNKNOWN_MODULES.length)];
                // a known WASI name with a wrong signature, or a name nobody provides
                String name = module.equals(HostModules.WASI) && r.nextBoolean() ? wasi.get(r.nextInt(wasi.size())).getKey()
                        : "no_such_fn_" + u;
                String sig = module.equals(HostModules.WASI) && !name.startsWith("no_such") ? " (param i64 i64 i64 i64 i64 i64 i64) (result f64)"
                        : " (param i32) (result i32)";
                imports.append("  (import \"").append(module).append("\" \"").append(name).append("\" (func $u").append(u)
                        .append(sig).append("))\n");
            }
            String memory = switch (memoryKind) {
                case 0 -> "  (memory (export \"memory\") 1 2)\n";
                case 1 -> "  (memory (export \"memory\") 0 1)\n";
                case 2 -> "  (memory 1 1)\n";
                default -> "";
            };
            funcs.append("  (func (export \"ping\") (result i32) i32.const 42)\n");
            exports.add(new Export("ping", List.of(), false, false, false));
            return new Module("(module\n" + imports + memory + funcs + ")\n", exports, unknown);
        }

        private static String signature(FuncType t) {
            StringBuilder s = new StringBuilder();
            if (!t.params().isEmpty()) {
                s.append(" (param");
                t.params().forEach(p -> s.append(' ').append(p.name().toLowerCase(Locale.ROOT)));
                s.append(')');
            }
            if (!t.results().isEmpty()) {
                s.append(" (result");
                t.results().forEach(p -> s.append(' ').append(p.name().toLowerCase(Locale.ROOT)));
                s.append(')');
            }
            return s.toString();
        }
    }
}
