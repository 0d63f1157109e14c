package io.wasmudf.engine.spectest;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Global;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.LinkException;
import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.UnsupportedFeatureException;
import io.wasmudf.engine.WasmException;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.engine.internal.text.WastAction;
import io.wasmudf.engine.internal.text.WastCommand;
import io.wasmudf.engine.internal.text.WastModule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Executes the commands of one {@code .wast} script in order, keeping the script's state: the
 * current module, named modules and definitions, registered instances and the spectest host
 * module. Every command is guarded, so an engine failure (including errors such as
 * StackOverflowError) becomes a failed outcome and the script goes on. A command that fails on a
 * module using a WebAssembly 3.0 feature the engine does not compile yet ({@link Wasm3Features})
 * or using SIMD is counted as skipped with that reason, never silently.
 */
final class WastRun {
    private final List<WastCommand> commands;
    private final Supplier<Engine> engineFactory;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final Map<String, ModuleSlot> named = new HashMap<>();
    private final Map<String, Defined> definitions = new HashMap<>();
    private final Map<String, Instance> registered = new LinkedHashMap<>();
    // Read by the watchdog thread to interrupt runaway guest code.
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
    private Engine engine;
    private String engineFailure;
    private SpectestHost spectest;
    private String spectestFailure;
    private ModuleSlot current;
    private volatile long commandStartNanos;
    private volatile boolean abandoned;
    private volatile String watchdogNote;
    /** The 3.0 feature (or SIMD) each outcome was skipped for, until {@link #execute} reads it. */
    private final Map<Outcome, String> featureSkipped = new IdentityHashMap<>();
    /** Registrations ({@code register "as"}) skipped, with the feature they were skipped for. */
    private final Map<String, String> skippedRegistrations = new HashMap<>();
    /**
     * Registered instances whose state (a shared memory, table or global) a skipped command would
     * have changed: the 3.0 feature it was skipped for and its line.
     */
    private final Map<Instance, Taint> tainted = new IdentityHashMap<>();

    private record Taint(String feature, int line) {}

    private static final Pattern IMPORT = Pattern.compile("\\(import\\s+\"([^\"]*)\"");

    /** What a module command left behind: a live instance, or why there is none. */
    private sealed interface ModuleSlot permits Loaded, Broken {}

    /** {@code feature}: the 3.0 feature (or SIMD) of the module, or null. */
    private record Loaded(Instance instance, String feature) implements ModuleSlot {}

    /** {@code skip}: the module was skipped (not failed) for this reason, and so are commands using it. */
    private record Broken(String why, String skip, String feature) implements ModuleSlot {}

    /** A {@code (module definition …)}, compiled or not. */
    private record Defined(CompiledModule module, WastModule source, ModuleSlot broken) {}

    /** A command failed for a reason already worded for the report. */
    private static final class CommandFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** A command cannot run here for a reason worded for the report (SIMD values, a skipped module). */
    static final class CommandSkip extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The 3.0 feature (or SIMD) skipped for. */
        final transient String feature;

        CommandSkip(String reason) {
            this(reason, null);
        }

        CommandSkip(String reason, String feature) {
            super(reason, null, false, false);
            this.feature = feature;
        }
    }

    WastRun(List<WastCommand> commands, Supplier<Engine> engineFactory) {
        this.commands = commands;
        this.engineFactory = engineFactory;
        // the watchdog reads this before the first command starts: creating the engine and the
        // host module (slow on a loaded machine) counts against the first command, not since 0
        this.commandStartNanos = System.nanoTime();
    }

    /** Runs every command; outcomes are available from {@link #outcomes()} afterwards. */
    void runAll() {
        try {
            engine = engineFactory.get();
        } catch (Throwable t) {
            engineFailure = "creating the engine failed: " + describe(t);
        }
        try {
            spectest = new SpectestHost();
        } catch (Throwable t) {
            spectestFailure = describe(t);
        }
        for (int i = 0; i < commands.size() && !abandoned; i++) {
            commandStartNanos = System.nanoTime();
            record(execute(commands.get(i)));
        }
    }

    synchronized List<Outcome> outcomes() {
        return new ArrayList<>(outcomes);
    }

    long commandStartNanos() {
        return commandStartNanos;
    }

    /** Asks all guest code of this script to stop (best effort; only interruptible engines can). */
    void interruptAll(String note) {
        watchdogNote = note;
        for (Instance instance : instances) {
            try {
                instance.interrupt();
            } catch (Throwable ignored) {
                // An engine without interrupt support cannot be helped here; the caller abandons.
            }
        }
    }

    /**
     * Gives up on the script: the running command and all later ones are recorded as failed, and
     * anything the abandoned thread records afterwards is ignored.
     */
    synchronized void abandon(String reason) {
        abandoned = true;
        int first = outcomes.size();
        for (int i = first; i < commands.size(); i++) {
            WastCommand command = commands.get(i);
            String why = i == first ? reason : "not run: the script was abandoned after a timeout at line " + commands.get(first).line();
            outcomes.add(Outcome.failed(command.line(), typeOf(command), why));
        }
    }

    private synchronized void record(Outcome outcome) {
        if (!abandoned) {
            outcomes.add(outcome);
        }
    }

    private Outcome execute(WastCommand command) {
        Outcome outcome = guarded(command);
        String feature = outcome.status() == Outcome.Status.SKIPPED ? featureSkipped.remove(outcome) : null;
        WastModule module = moduleOf(command);
        if (feature != null && module != null && module.source() != null && !module.definition()) {
            // the skipped module would have written into what it imports from registered
            // instances (data into a memory, elements into a table): what the script checks
            // there later depends on it
            Matcher m = IMPORT.matcher(new String(module.source(), StandardCharsets.UTF_8));
            while (m.find()) {
                Instance from = registered.get(m.group(1));
                if (from != null) {
                    tainted.putIfAbsent(from, new Taint(feature, command.line()));
                }
            }
        }
        return outcome;
    }

    /** The module a command defines or asserts about, or null. */
    private static WastModule moduleOf(WastCommand c) {
        if (c instanceof WastCommand.Module m) {
            return m.module();
        }
        if (c instanceof WastCommand.AssertUninstantiable m) {
            return m.module();
        }
        if (c instanceof WastCommand.AssertTrap m) {
            return m.module();
        }
        return null;
    }

    private Outcome guarded(WastCommand command) {
        int line = command.line();
        String type = typeOf(command);
        String feature = null;
        try {
            if (command instanceof WastCommand.Unsupported) {
                return Outcome.skipped(line, type, "\"" + type + "\" is outside the core script format (threads proposal)");
            }
            if (engine == null) {
                return Outcome.failed(line, type, engineFailure);
            }
            feature = featureOf(command);
            Outcome outcome = run(command, line, type);
            if (outcome.status() == Outcome.Status.FAILED) {
                return failedOrSkipped(command, outcome.reason(), feature);
            }
            String vacuous = outcome.warning() == null ? null : skippedRegistration(outcome.warning());
            if (vacuous != null) {
                // "unknown import" from a registration that was skipped: the assertion held for
                // the wrong reason (the import is missing, not incompatible), so it is not a pass
                Outcome skip = Outcome.skipped(line, type, skipReason(skippedRegistrations.get(vacuous))
                        + " (imports from \"" + vacuous + "\", whose registration was skipped; " + outcome.warning() + ")");
                featureSkipped.put(skip, skippedRegistrations.get(vacuous));
                return skip;
            }
            if (outcome.status() == Outcome.Status.SKIPPED && feature != null) {
                featureSkipped.put(outcome, feature);
            }
            return outcome;
        } catch (CommandSkip s) {
            Outcome outcome = Outcome.skipped(line, type, s.getMessage());
            if (s.feature != null) {
                featureSkipped.put(outcome, s.feature);
            }
            if (command instanceof WastCommand.Register r) {
                skippedRegistrations.put(r.as(), s.feature != null ? s.feature : SpecRunner.SIMD_REASON);
            }
            return outcome;
        } catch (CommandFailure f) {
            return failedOrSkipped(command, f.getMessage() + watchdogSuffix(), feature);
        } catch (Throwable t) {
            return failedOrSkipped(command, "unexpected " + describe(t) + watchdogSuffix(), feature);
        }
    }

    /**
     * A failure, or a skip when it is due to a 3.0 feature: the module's own, a 2.0 rule 3.0
     * relaxed, an import from a registration that was skipped, or the shared state of a
     * registered instance that a skipped module would have written.
     */
    private Outcome failedOrSkipped(WastCommand command, String why, String feature) {
        int line = command.line();
        String type = typeOf(command);
        String because = "";
        if (feature == null) {
            feature = Wasm3Features.ofFailure(why);
        }
        String registration = feature == null ? skippedRegistration(why) : null;
        if (registration != null) {
            feature = skippedRegistrations.get(registration);
            because = "imports from \"" + registration + "\", whose registration was skipped; ";
        }
        WastAction action = actionOf(command);
        ModuleSlot slot = action == null ? null : action.module() == null ? current : named.get(action.module());
        Taint taint = feature == null && slot instanceof Loaded l ? tainted.get(l.instance()) : null;
        if (taint != null) {
            feature = taint.feature();
            because = "its module's shared state depends on the command at line " + taint.line() + ", skipped for it; ";
        }
        if (feature == null) {
            return Outcome.failed(line, type, why);
        }
        Outcome outcome = Outcome.skipped(line, type, skipReason(feature) + " (" + because + "failing: " + why + ")");
        featureSkipped.put(outcome, feature);
        return outcome;
    }

    /** The skipped registration an "unknown import" in {@code message} names, or null. */
    private String skippedRegistration(String message) {
        for (String as : skippedRegistrations.keySet()) {
            if (message.contains("unknown import: " + as + ".")) {
                return as;
            }
        }
        return null;
    }

    private static WastAction actionOf(WastCommand c) {
        if (c instanceof WastCommand.AssertReturn a) {
            return a.action();
        }
        if (c instanceof WastCommand.AssertTrap a) {
            return a.action();
        }
        if (c instanceof WastCommand.AssertExhaustion a) {
            return a.action();
        }
        return c instanceof WastCommand.Action a ? a.action() : null;
    }

    private Outcome run(WastCommand command, int line, String type) {
        if (command instanceof WastCommand.Module m) {
            return module(m.module(), line);
        }
        if (command instanceof WastCommand.ModuleInstance mi) {
            return moduleInstance(mi, line);
        }
        if (command instanceof WastCommand.Register r) {
            registered.put(r.as(), instance(r.module()));
            return Outcome.passed(line, type);
        }
        if (command instanceof WastCommand.Action a) {
            perform(a.action());
            return Outcome.passed(line, type);
        }
        if (command instanceof WastCommand.AssertReturn a) {
            Object[] results = perform(a.action());
            String why = SpecValues.resultsMismatch(a.results(), results);
            return why == null ? Outcome.passed(line, type) : Outcome.failed(line, type, describeAction(a.action()) + ": " + why);
        }
        if (command instanceof WastCommand.AssertTrap a) {
            return a.module() != null ? assertUninstantiable(a.module(), a.message(), line, type) : assertTrap(a, line, type);
        }
        if (command instanceof WastCommand.AssertExhaustion a) {
            return assertExhaustion(a, line, type);
        }
        if (command instanceof WastCommand.AssertException a) {
            return assertException(a, line, type);
        }
        if (command instanceof WastCommand.AssertInvalid a) {
            return assertInvalid(a.module(), a.message(), line, type);
        }
        if (command instanceof WastCommand.AssertMalformed a) {
            return assertMalformed(a.module(), a.message(), line, type);
        }
        if (command instanceof WastCommand.AssertUnlinkable a) {
            return assertUnlinkable(a.module(), a.message(), line, type);
        }
        if (command instanceof WastCommand.AssertUninstantiable a) {
            return assertUninstantiable(a.module(), a.message(), line, type);
        }
        return Outcome.failed(line, type, "unknown command " + command.getClass().getSimpleName());
    }

    /** The 3.0 feature of the module a command uses (its own, or the instance it acts on), or null. */
    private String featureOf(WastCommand command) {
        WastModule m = null;
        WastAction action = null;
        if (command instanceof WastCommand.Module c) {
            m = c.module();
        } else if (command instanceof WastCommand.AssertInvalid c) {
            m = c.module();
        } else if (command instanceof WastCommand.AssertMalformed c) {
            return null; // malformed text must be refused whatever features it names
        } else if (command instanceof WastCommand.AssertUnlinkable c) {
            m = c.module();
        } else if (command instanceof WastCommand.AssertUninstantiable c) {
            m = c.module();
        } else if (command instanceof WastCommand.AssertTrap c) {
            m = c.module();
            action = c.action();
        } else if (command instanceof WastCommand.AssertReturn c) {
            action = c.action();
        } else if (command instanceof WastCommand.AssertExhaustion c) {
            action = c.action();
        } else if (command instanceof WastCommand.AssertException c) {
            action = c.action();
        } else if (command instanceof WastCommand.Action c) {
            action = c.action();
        }
        if (m != null) {
            return m.kind() == WastModule.Kind.BINARY ? null : Wasm3Features.of(m.source());
        }
        if (action != null) {
            ModuleSlot slot = action.module() == null ? current : named.get(action.module());
            return slot instanceof Loaded l ? l.feature() : null;
        }
        return null;
    }

    static String skipReason(String feature) {
        return feature.equals(SpecRunner.SIMD_REASON) ? feature
                : "3.0 feature " + feature + " not compiled yet";
    }

    private String watchdogSuffix() {
        String note = watchdogNote;
        watchdogNote = null;
        return note == null ? "" : " [" + note + "]";
    }

    private Outcome module(WastModule module, int line) {
        String feature = module.kind() == WastModule.Kind.BINARY ? null : Wasm3Features.of(module.source());
        if (module.definition()) {
            Defined d;
            try {
                d = new Defined(compile(module), module, null);
            } catch (RuntimeException e) {
                d = new Defined(null, module, broken(line, e, feature));
                definitions.put(module.name(), d);
                throw e;
            }
            definitions.put(module.name(), d);
            return Outcome.passed(line, "module");
        }
        ModuleSlot slot;
        Outcome outcome;
        try {
            Instance instance = compile(module).instantiate(imports());
            instances.add(instance);
            slot = new Loaded(instance, feature);
            outcome = Outcome.passed(line, "module");
        } catch (Throwable t) {
            slot = broken(line, t, feature);
            outcome = Outcome.failed(line, "module", ((Broken) slot).why());
        }
        current = slot;
        if (module.name() != null) {
            named.put(module.name(), slot);
        }
        if (slot instanceof Broken b && b.skip() != null) {
            throw new CommandSkip(b.skip() + (b.feature() == null ? "" : " (failing: " + b.why() + ")"), b.feature());
        }
        return outcome;
    }

    /** Why a module did not load, and whether that is a skip (SIMD, a 3.0 feature) rather than a failure. */
    private Broken broken(int line, Throwable t, String feature) {
        String why = "loading the module failed: " + describe(t) + spectestHint(t) + watchdogSuffix();
        if (feature == null) {
            feature = Wasm3Features.ofFailure(t.getMessage());
        }
        String skip = t instanceof UnsupportedFeatureException ? SpecRunner.SIMD_REASON
                : feature != null ? skipReason(feature) : null;
        return new Broken("the module at line " + line + " failed to load (" + why + ")", skip,
                t instanceof UnsupportedFeatureException ? null : feature);
    }

    private Outcome moduleInstance(WastCommand.ModuleInstance command, int line) {
        Defined d = definitions.get(command.definition());
        if (d == null) {
            throw new CommandFailure("unknown module definition " + command.definition());
        }
        String feature = Wasm3Features.of(d.source().source());
        ModuleSlot slot = d.broken();
        if (slot == null) {
            try {
                Instance instance = d.module().instantiate(imports());
                instances.add(instance);
                slot = new Loaded(instance, feature);
            } catch (Throwable t) {
                slot = broken(line, t, feature);
            }
        }
        // later commands naming the instance skip or fail with it
        current = slot;
        if (command.instance() != null) {
            named.put(command.instance(), slot);
        }
        if (slot instanceof Broken) {
            throw slotProblem(slot);
        }
        return Outcome.passed(line, "module");
    }

    private Outcome assertTrap(WastCommand.AssertTrap command, int line, String type) {
        WastAction action = command.action();
        String text = command.message();
        Object[] results;
        try {
            results = perform(action);
        } catch (Trap trap) {
            return trapMatches(trap, text) ? Outcome.passed(line, type)
                    : Outcome.failed(line, type, describeAction(action) + ": expected trap \"" + text + "\" but trapped with \"" + trap.getMessage() + "\"");
        }
        return Outcome.failed(line, type, describeAction(action) + ": expected trap \"" + text + "\" but returned " + SpecValues.describeAll(results));
    }

    /** An uncaught WebAssembly exception leaves the engine as a trap of its own kind, naming the tag. */
    private Outcome assertException(WastCommand.AssertException command, int line, String type) {
        WastAction action = command.action();
        Object[] results;
        try {
            results = perform(action);
        } catch (Trap trap) {
            return trap.kind() == TrapKind.UNCAUGHT_EXCEPTION ? Outcome.passed(line, type)
                    : Outcome.failed(line, type, describeAction(action) + ": expected an uncaught exception but trapped with \"" + trap.getMessage() + "\"");
        }
        return Outcome.failed(line, type, describeAction(action) + ": expected an uncaught exception but returned " + SpecValues.describeAll(results));
    }

    private Outcome assertExhaustion(WastCommand.AssertExhaustion command, int line, String type) {
        WastAction action = command.action();
        String text = command.message();
        Object[] results;
        try {
            results = perform(action);
        } catch (Trap trap) {
            return trap.kind() == TrapKind.CALL_STACK_EXHAUSTED || trap.getMessage().contains(text)
                    ? Outcome.passed(line, type)
                    : Outcome.failed(line, type, describeAction(action) + ": expected trap \"" + text + "\" but trapped with \"" + trap.getMessage() + "\"");
        } catch (StackOverflowError e) {
            return Outcome.failed(line, type, describeAction(action) + ": StackOverflowError escaped the engine instead of Trap(CALL_STACK_EXHAUSTED)");
        }
        return Outcome.failed(line, type, describeAction(action) + ": expected trap \"" + text + "\" but returned " + SpecValues.describeAll(results));
    }

    private Outcome assertInvalid(WastModule module, String text, int line, String type) {
        String what = describeModule(module);
        try {
            compile(module);
        } catch (UnsupportedFeatureException e) {
            throw new CommandSkip(SpecRunner.SIMD_REASON);
        } catch (InvalidModuleException e) {
            return expectedFailure(line, type, what, text, e.reason(), e);
        } catch (WasmException e) {
            return Outcome.failed(line, type, what + ": expected InvalidModuleException(\"" + text + "\") but got " + describe(e));
        }
        return Outcome.failed(line, type, what + ": compiled successfully but must be invalid: \"" + text + "\"");
    }

    private Outcome assertMalformed(WastModule module, String text, int line, String type) {
        String what = describeModule(module);
        try {
            compile(module);
        } catch (UnsupportedFeatureException e) {
            return Outcome.passedWithWarning(line, type, what + ": expected malformed \"" + text + "\" but got " + describe(e));
        } catch (MalformedModuleException e) {
            return expectedFailure(line, type, what, text, e.reason(), e);
        } catch (WasmException e) {
            return Outcome.failed(line, type, what + ": expected MalformedModuleException(\"" + text + "\") but got " + describe(e));
        }
        return Outcome.failed(line, type, what + ": compiled successfully but must be malformed: \"" + text + "\"");
    }

    private Outcome assertUnlinkable(WastModule module, String text, int line, String type) {
        String what = describeModule(module);
        CompiledModule compiled = compileForInstantiation(module);
        try {
            instances.add(compiled.instantiate(imports()));
        } catch (LinkException e) {
            return expectedFailure(line, type, what, text, e.reason(), e);
        } catch (WasmException e) {
            return Outcome.failed(line, type, what + ": expected LinkException(\"" + text + "\") but got " + describe(e));
        }
        return Outcome.failed(line, type, what + ": instantiated successfully but must be unlinkable: \"" + text + "\"");
    }

    private Outcome assertUninstantiable(WastModule module, String text, int line, String type) {
        String what = describeModule(module);
        CompiledModule compiled = compileForInstantiation(module);
        try {
            instances.add(compiled.instantiate(imports()));
        } catch (Trap trap) {
            return trapMatches(trap, text) ? Outcome.passed(line, type)
                    : Outcome.failed(line, type, what + ": expected trap \"" + text + "\" during instantiation but trapped with \"" + trap.getMessage() + "\"");
        } catch (WasmException e) {
            return Outcome.failed(line, type, what + ": expected trap \"" + text + "\" during instantiation but got " + describe(e));
        }
        return Outcome.failed(line, type, what + ": instantiated successfully but must trap: \"" + text + "\"");
    }

    /** Compiles a module that the script expects to be valid; failing to compile is the failure (SIMD: a skip). */
    private CompiledModule compileForInstantiation(WastModule module) {
        try {
            return compile(module);
        } catch (UnsupportedFeatureException e) {
            throw new CommandSkip(SpecRunner.SIMD_REASON);
        } catch (WasmException e) {
            throw new CommandFailure(describeModule(module) + ": the module should compile but " + describe(e));
        }
    }

    /** The binary of a script module (text is encoded, or throws its syntax error), compiled. */
    private CompiledModule compile(WastModule module) {
        // quoted text follows the engine's version's text rules, as the script's text modules did
        return engine.compile(module.binary(engine.options().features()));
    }

    private Imports imports() {
        Imports.Builder builder = Imports.builder();
        if (spectest != null) {
            spectest.addTo(builder);
        }
        registered.forEach(builder::addAll);
        return builder.build();
    }

    private String spectestHint(Throwable t) {
        return spectestFailure != null && t instanceof LinkException
                ? " (the spectest host module could not be created: " + spectestFailure + ")" : "";
    }

    /** Invokes a function or reads a global; returns the results. */
    private Object[] perform(WastAction action) {
        Instance instance = instance(action.module());
        Object export = instance.export(action.name());
        if (action.invoke()) {
            if (!(export instanceof WasmFunction)) {
                throw new CommandFailure("no exported function " + quote(action.name())
                        + (export == null ? "" : " (found " + export.getClass().getSimpleName() + ")"));
            }
            Object[] values = new Object[action.args().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = SpecValues.toArgument(action.args().get(i));
            }
            return ((WasmFunction) export).call(values);
        }
        if (!(export instanceof Global)) {
            throw new CommandFailure("no exported global " + quote(action.name())
                    + (export == null ? "" : " (found " + export.getClass().getSimpleName() + ")"));
        }
        return new Object[] {((Global) export).value()};
    }

    private Instance instance(String moduleName) {
        ModuleSlot slot;
        if (moduleName == null) {
            slot = current;
            if (slot == null) {
                throw new CommandFailure("no module has been defined yet");
            }
        } else {
            slot = named.get(moduleName);
            if (slot == null) {
                throw new CommandFailure("unknown module " + moduleName);
            }
        }
        if (slot instanceof Broken) {
            throw slotProblem(slot);
        }
        return ((Loaded) slot).instance();
    }

    private static RuntimeException slotProblem(ModuleSlot slot) {
        Broken b = (Broken) slot;
        return b.skip() != null ? new CommandSkip(b.skip(), b.feature()) : new CommandFailure(b.why());
    }

    static boolean trapMatches(Trap trap, String expected) {
        String message = trap.getMessage();
        // The reference interpreter sometimes appends details ("uninitialized element 2").
        return (message != null && message.contains(expected)) || expected.startsWith(trap.kind().message());
    }

    private static boolean messageMatches(String reason, String message, String expected) {
        return (reason != null && reason.contains(expected)) || (message != null && message.contains(expected));
    }

    /** The expected kind of failure happened: passed, with a warning when its message differs from the suite's. */
    private static Outcome expectedFailure(int line, String type, String what, String text, String reason, WasmException e) {
        return messageMatches(reason, e.getMessage(), text) ? Outcome.passed(line, type)
                : Outcome.passedWithWarning(line, type, what + ": expected message \"" + text + "\" but got \"" + e.getMessage() + "\"");
    }

    private static String describeModule(WastModule m) {
        return (m.kind() == WastModule.Kind.TEXT ? "text" : m.kind() == WastModule.Kind.BINARY ? "binary" : "quoted")
                + " module at line " + m.line();
    }

    private static String describeAction(WastAction action) {
        StringBuilder sb = new StringBuilder();
        String module = action.module() == null ? "" : action.module() + " ";
        if (!action.invoke()) {
            return sb.append("get ").append(module).append(quote(action.name())).toString();
        }
        sb.append("invoke ").append(module).append(quote(action.name())).append('(');
        for (int i = 0; i < action.args().size(); i++) {
            String value;
            try {
                value = SpecValues.describe(SpecValues.toArgument(action.args().get(i)));
            } catch (RuntimeException e) {
                value = String.valueOf(action.args().get(i));
            }
            sb.append(i == 0 ? "" : ", ").append(value);
        }
        return sb.append(')').toString();
    }

    /** A field name in quotes with control characters escaped, as names.wast uses odd names. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Exception class and message, plus the throwing frame for exceptions the engine did not mean. */
    static String describe(Throwable t) {
        String text = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (!(t instanceof WasmException)) {
            StackTraceElement[] frames = t.getStackTrace();
            if (frames.length > 0) {
                text += " at " + frames[0];
            }
        }
        return text;
    }

    /** The script keyword of a command, e.g. {@code assert_return}. */
    static String typeOf(WastCommand c) {
        if (c instanceof WastCommand.Module || c instanceof WastCommand.ModuleInstance) {
            return "module";
        }
        if (c instanceof WastCommand.Unsupported u) {
            return u.head();
        }
        String simple = c.getClass().getSimpleName();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < simple.length(); i++) {
            char ch = simple.charAt(i);
            if (Character.isUpperCase(ch) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(ch));
        }
        return sb.toString();
    }
}
