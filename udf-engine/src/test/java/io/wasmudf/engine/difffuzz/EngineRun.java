package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.InstanceLimits;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs a {@link CallPlan} in one engine configuration and observes every step as V8's side does. */
final class EngineRun {
    /** Fuel per call in the fuel configuration: far more than any -ttf module's hang limits allow. */
    static final long FUEL = 2_000_000_000L;

    /** An engine configuration under test. */
    record Config(String name, Supplier<Engine> engine) {}

    /** The configurations that matter: defaults, the SQL functions' settings, fuel, forced outlining. */
    static List<Config> configs(int methodSizeLimit) {
        return List.of(
                new Config("untrusted", () -> Engine.builder().untrusted().build()),
                new Config("default", Engine::create),
                new Config("fuel", () -> Engine.builder().fuel(true).build()),
                new Config("outlined" + methodSizeLimit, () -> Engine.builder().methodSizeLimit(methodSizeLimit).build()));
    }

    /** A configuration's run: a compile failure, or the instantiation's and every call's observation. */
    record Result(String compileFailure, List<Observation> steps) {}

    private EngineRun() {}

    static Result run(Instrumented m, CallPlan plan, Config config, Duration callTimeout) {
        // a fresh engine per module: engines cache every module they compiled
        Engine engine = config.engine().get();
        CompiledModule compiled;
        try {
            compiled = engine.compile(m.wasm());
        } catch (Throwable t) {
            return new Result(describe(t), List.of());
        }
        boolean fuel = engine.options().fuel();
        boolean interruptible = engine.options().interruptible();
        FuzzingHost host = new FuzzingHost(m);
        List<Observation> steps = new ArrayList<>();
        InstanceLimits limits = fuel ? engine.defaultLimits().withFuel(FUEL) : engine.defaultLimits();
        if (interruptible) {
            limits = limits.withInstantiationTimeout(callTimeout);
        }
        Instance instance;
        try {
            instance = compiled.instantiate(host.imports(), limits);
        } catch (Throwable t) {
            steps.add(new Observation(outcome(t), host.takeLog(), null, null, null));
            return new Result(null, steps);
        }
        try (instance) {
            host.attach(instance);
            steps.add(observe(instance, m, host, "ok", fuel, interruptible));
            for (CallPlan.Call call : plan.calls()) {
                if (fuel) {
                    instance.setFuel(FUEL);
                }
                if (interruptible) {
                    instance.setTimeout(callTimeout);
                }
                WasmFunction f = instance.function(call.export());
                Object[] args = call.args().stream().map(Observation::parse).toArray();
                String outcome;
                try {
                    outcome = ok(f.type(), f.call(args));
                } catch (Throwable t) {
                    outcome = outcome(t);
                }
                steps.add(observe(instance, m, host, outcome, fuel, interruptible));
                if (outcome.startsWith("limit")) {
                    break; // the instance's state is no longer comparable
                }
            }
        }
        return new Result(null, steps);
    }

    private static Observation observe(Instance instance, Instrumented m, FuzzingHost host, String outcome,
            boolean fuel, boolean interruptible) {
        List<String> log = host.takeLog();
        if (fuel) {
            instance.setFuel(FUEL);
        }
        if (interruptible) {
            instance.clearDeadline();
        }
        String mem = null;
        String memNan = null;
        if (m.hasMemory()) {
            String[] hashes = Observation.memoryHashes(instance.memory(Instrumented.MEMORY));
            mem = hashes[0];
            memNan = hashes[1];
        }
        String globals = m.globalTypes().isEmpty() ? ""
                : Observation.globals(m.globalTypes(), instance.function(Instrumented.GLOBALS));
        return new Observation(outcome, log, mem, memNan, globals);
    }

    private static String ok(FuncType type, Object[] results) {
        StringBuilder sb = new StringBuilder("ok [");
        List<ValType> rt = type.results();
        for (int i = 0; i < rt.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(Observation.format(rt.get(i), results[i]));
        }
        return sb.append(']').toString();
    }

    /** The canonical outcome of a throwable, as the V8 side names the same events. */
    static String outcome(Throwable t) {
        if (t instanceof Trap trap) {
            switch (trap.kind()) {
                case UNREACHABLE: return "trap unreachable";
                case INTEGER_DIVIDE_BY_ZERO: return "trap div-zero";
                case INTEGER_OVERFLOW: // V8 reports a NaN and an out-of-range conversion alike, and
                case INVALID_CONVERSION_TO_INTEGER: // INTEGER_OVERFLOW covers div_s and conversions
                    return "trap overflow-or-conversion";
                case OUT_OF_BOUNDS_MEMORY_ACCESS: return "trap memory-oob";
                case OUT_OF_BOUNDS_TABLE_ACCESS:
                case UNDEFINED_ELEMENT: return "trap table-oob";
                case UNINITIALIZED_ELEMENT:
                case INDIRECT_CALL_TYPE_MISMATCH: return "trap indirect-call";
                case CALL_STACK_EXHAUSTED: return "stack-exhausted";
                case OUT_OF_FUEL: return "limit fuel";
                case TIMEOUT: return "limit timeout";
                case INTERRUPTED: return "limit interrupted";
                case HOST_ERROR:
                    return FuzzingHost.isHostException(trap) ? "host-exception" : "error host: " + describe(trap.getCause());
                default: return "error " + describe(t);
            }
        }
        return "error " + describe(t);
    }

    /** The throwable's class and first message line, and its root cause's when it has one. */
    static String describe(Throwable t) {
        if (t == null) {
            return "null";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return line(t) + (root == t ? "" : " (cause: " + line(root) + ")");
    }

    private static String line(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage();
        int nl = m.indexOf('\n');
        String first = t.getClass().getName() + ": " + (nl < 0 ? m : m.substring(0, nl));
        // the JVM verifier's reason (which types clashed where) tells one bug from another
        int reason = m.indexOf("Reason:\n");
        if (reason >= 0) {
            int start = reason + "Reason:\n".length();
            int end = m.indexOf('\n', start);
            first += " / " + m.substring(start, end < 0 ? m.length() : end).trim();
        }
        return first;
    }
}
