package io.wasmudf.engine;

import io.wasmudf.engine.internal.host.HostModules;
import io.wasmudf.engine.internal.host.HostSettings;
import io.wasmudf.engine.internal.host.HostState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The host a guest is instantiated in: a sandboxed WASI preview1 ({@code wasi_snapshot_preview1},
 * every function), AssemblyScript's {@code env} imports ({@code abort}, {@code trace},
 * {@code seed}) and WasmUDF's own {@code wasmudf} module ({@code raise_error}, {@code notice},
 * {@code warning}); docs/WASI.md describes each function. Nothing reaches the host's files,
 * processes or network; clocks and random numbers follow {@link Grants}; what the guest writes
 * goes to an {@link OutputSink}, bounded. Immutable and thread-safe: one per set of settings
 * (an SQL layer: one per function's grants), any number of instances.
 *
 * <pre>{@code
 * HostEnvironment host = HostEnvironment.builder().grants(Grants.DETERMINISTIC).output(sink).build();
 * host.checkImports(module);                         // every import it cannot satisfy, in one exception
 * try (HostedInstance guest = host.instantiate(module, limits)) {   // runs _initialize (or _start)
 *     guest.beginUnit();                              // per statement: output budget
 *     ... guest.instance() calls ...
 *     guest.flushOutput();
 * }
 * }</pre>
 */
public final class HostEnvironment {
    /** Default bytes of output per call. */
    public static final long DEFAULT_MAX_OUTPUT_PER_CALL = 64 * 1024;
    /** Default bytes of output per unit (statement). */
    public static final long DEFAULT_MAX_OUTPUT_PER_UNIT = 1024 * 1024;
    /** Default bytes kept of an error message or abort string. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024;

    private final HostSettings settings;

    private HostEnvironment(HostSettings settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The grants guests of this environment have. */
    public Grants grants() {
        return settings.grants();
    }

    /** Every import of {@code module} this environment cannot satisfy, each with why, in the module's order. */
    public List<UnsatisfiedImportsException.Unsatisfied> unsatisfiedImports(CompiledModule module) {
        List<UnsatisfiedImportsException.Unsatisfied> out = new ArrayList<>();
        for (ImportInfo imp : module.imports()) {
            String why = HostModules.unsatisfied(imp);
            if (why != null) {
                out.add(new UnsatisfiedImportsException.Unsatisfied(imp, why));
            }
        }
        return out;
    }

    /**
     * Checks that every import of {@code module} is one this environment provides, with its type.
     *
     * @throws UnsatisfiedImportsException listing all that are not
     */
    public void checkImports(CompiledModule module) {
        List<UnsatisfiedImportsException.Unsatisfied> missing = unsatisfiedImports(module);
        if (!missing.isEmpty()) {
            throw new UnsatisfiedImportsException(missing);
        }
    }

    /**
     * Instantiates {@code module} with the host functions it imports, then runs its WASI
     * initialisation once: {@code _initialize} (a reactor) if it exports one, else {@code _start}
     * (a command) if it exports one, both {@code () -> ()}, under the limits' instantiation timeout.
     *
     * @throws UnsatisfiedImportsException when an import is not provided (all of them listed)
     * @throws ProcExitException          when the start function or {@code _initialize} calls
     *                                    {@code proc_exit}, or {@code _start} exits with a code other than 0
     * @throws Trap                       when initialisation traps or runs out of time
     * @throws ResourceLimitException     as {@link CompiledModule#instantiate(Imports, InstanceLimits)}
     */
    public HostedInstance instantiate(CompiledModule module, InstanceLimits limits) {
        checkImports(module);
        HostState host = new HostState(settings, module.engine().options().interruptible());
        Imports.Builder imports = Imports.builder();
        for (ImportInfo imp : module.imports()) {
            imports.add(imp.module(), imp.name(), HostModules.bind(imp, host));
        }
        Instance instance;
        try {
            instance = new Instantiator(module, imports.build(), limits, i -> host.bind(i.state())).run();
        } catch (ProcExitException e) {
            throw new ProcExitException(e.exitCode(), "in the start function");
        }
        try {
            initialize(instance, host, limits);
        } catch (RuntimeException | Error e) {
            instance.close();
            throw e;
        }
        host.beginUnit();
        return new HostedInstance(instance, host);
    }

    private static void initialize(Instance instance, HostState host, InstanceLimits limits) {
        WasmFunction init = entry(instance, "_initialize");
        WasmFunction start = init == null ? entry(instance, "_start") : null;
        if (init == null && start == null) {
            return;
        }
        boolean timed = limits.instantiationTimeout() != null && instance.module().engine().options().interruptible();
        if (timed) {
            instance.setTimeout(limits.instantiationTimeout());
        }
        try {
            (init != null ? init : start).call();
        } catch (ProcExitException e) {
            if (init != null || e.exitCode() != 0) {
                throw new ProcExitException(e.exitCode(), init != null ? "in _initialize" : "in _start");
            }
            host.clearExit(); // a command that ends with exit(0) ended normally
        } finally {
            if (timed) {
                instance.clearDeadline();
            }
            host.flushOutput();
        }
    }

    private static WasmFunction entry(Instance instance, String name) {
        return instance.export(name) instanceof WasmFunction f && f.type().params().isEmpty() && f.type().results().isEmpty() ? f : null;
    }

    /** Builds a {@link HostEnvironment}. */
    public static final class Builder {
        private Grants grants = Grants.NONE;
        private OutputSink sink = OutputSink.DISCARD;
        private long perCall = DEFAULT_MAX_OUTPUT_PER_CALL;
        private long perUnit = DEFAULT_MAX_OUTPUT_PER_UNIT;
        private int maxMessage = DEFAULT_MAX_MESSAGE_BYTES;

        private Builder() {}

        /** Clocks and random numbers; {@link Grants#NONE} by default. */
        public Builder grants(Grants g) {
            this.grants = Objects.requireNonNull(g, "grants");
            return this;
        }

        /** Where guest output goes; {@link OutputSink#DISCARD} by default. */
        public Builder output(OutputSink s) {
            this.sink = Objects.requireNonNull(s, "sink");
            return this;
        }

        /** Bytes of output kept per call and per unit ({@link HostedInstance#beginUnit()}); the rest is dropped. */
        public Builder maxOutput(long perCallBytes, long perUnitBytes) {
            if (perCallBytes < 0 || perUnitBytes < 0) {
                throw new IllegalArgumentException("output limits must not be negative");
            }
            this.perCall = perCallBytes;
            this.perUnit = perUnitBytes;
            return this;
        }

        /** Bytes kept of a guest's error message, abort message or notice (longer ones end with "…"). */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 16");
            }
            this.maxMessage = bytes;
            return this;
        }

        public HostEnvironment build() {
            return new HostEnvironment(new HostSettings(grants, sink, perCall, perUnit, maxMessage));
        }
    }
}
