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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Executes the commands of one wast2json script in order, keeping the script's state: the current
 * module, named modules, registered instances and the spectest host module. Every command is
 * guarded, so an engine failure (including errors such as StackOverflowError) becomes a failed
 * outcome and the script goes on.
 */
final class ScriptRun {
    private final Path dir;
    private final List<Map<String, Object>> commands;
    private final Supplier<Engine> engineFactory;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final Map<String, ModuleSlot> named = new HashMap<>();
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

    /** What a module command left behind: a live instance, or why there is none. */
    private sealed interface ModuleSlot permits Loaded, Broken {}

    private record Loaded(Instance instance) implements ModuleSlot {}

    private record Broken(String why) implements ModuleSlot {}

    /** A command failed for a reason already worded for the report. */
    private static final class CommandFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandFailure(String message) {
            super(message, null, false, false);
        }
    }

    ScriptRun(Path dir, List<Map<String, Object>> commands, Supplier<Engine> engineFactory) {
        this.dir = dir;
        this.commands = commands;
        this.engineFactory = engineFactory;
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
            Outcome outcome = execute(commands.get(i));
            record(outcome);
        }
    }

    synchronized List<Outcome> outcomes() {
        return new ArrayList<>(outcomes);
    }

    long commandStartNanos() {
        return commandStartNanos;
    }

    /** Asks all guest code of this script to stop (best effort; engines may not support it yet). */
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
            Map<String, Object> command = commands.get(i);
            String why = i == first ? reason : "not run: the script was abandoned after a timeout at line " + lineOf(commands.get(first));
            outcomes.add(Outcome.failed(lineOf(command), typeOf(command), why));
        }
    }

    private synchronized void record(Outcome outcome) {
        if (!abandoned) {
            outcomes.add(outcome);
        }
    }

    private Outcome execute(Map<String, Object> command) {
        int line = lineOf(command);
        String type = typeOf(command);
        try {
            if (isText(command)) {
                return Outcome.skipped(line, type, "text-format (.wat) modules are not supported");
            }
            if (engine == null) {
                return Outcome.failed(line, type, engineFailure);
            }
            switch (type) {
                case "module": return module(command, line);
                case "register": return register(command, line);
                case "action": perform(action(command)); return Outcome.passed(line, type);
                case "assert_return": return assertReturn(command, line);
                case "assert_trap": return assertTrap(command, line);
                case "assert_exhaustion": return assertExhaustion(command, line);
                case "assert_invalid": return assertInvalid(command, line);
                case "assert_malformed": return assertMalformed(command, line);
                case "assert_unlinkable": return assertUnlinkable(command, line);
                case "assert_uninstantiable": return assertUninstantiable(command, line);
                default: return Outcome.failed(line, type, "unknown command type \"" + type + "\"");
            }
        } catch (CommandFailure f) {
            return Outcome.failed(line, type, f.getMessage() + watchdogSuffix());
        } catch (Throwable t) {
            return Outcome.failed(line, type, "unexpected " + describe(t) + watchdogSuffix());
        }
    }

    private String watchdogSuffix() {
        String note = watchdogNote;
        watchdogNote = null;
        return note == null ? "" : " [" + note + "]";
    }

    private Outcome module(Map<String, Object> command, int line) {
        String filename = SpecValues.string(command, "filename");
        Object name = command.get("name");
        ModuleSlot slot;
        Outcome outcome;
        if (filename.endsWith(".wat")) {
            slot = new Broken("the text module at line " + line + " was not loaded");
            outcome = Outcome.skipped(line, "module", "text-format (.wat) modules are not supported");
        } else {
            try {
                Instance instance = compile(filename).instantiate(imports());
                instances.add(instance);
                slot = new Loaded(instance);
                outcome = Outcome.passed(line, "module");
            } catch (Throwable t) {
                String why = "loading " + filename + " failed: " + describe(t) + spectestHint(t) + watchdogSuffix();
                slot = new Broken("the module at line " + line + " failed to load (" + why + ")");
                outcome = Outcome.failed(line, "module", why);
            }
        }
        current = slot;
        if (name instanceof String) {
            named.put((String) name, slot);
        }
        return outcome;
    }

    private Outcome register(Map<String, Object> command, int line) {
        String as = SpecValues.string(command, "as");
        registered.put(as, instance(command.get("name")));
        return Outcome.passed(line, "register");
    }

    private Outcome assertReturn(Map<String, Object> command, int line) {
        Map<String, Object> action = action(command);
        Object[] results = perform(action);
        String why = SpecValues.resultsMismatch(list(command, "expected"), results);
        return why == null ? Outcome.passed(line, "assert_return") : Outcome.failed(line, "assert_return", describeAction(action) + ": " + why);
    }

    private Outcome assertTrap(Map<String, Object> command, int line) {
        if (!command.containsKey("action") && command.containsKey("filename")) {
            // Some wast2json versions write a module-level assert_trap instead of assert_uninstantiable.
            return assertUninstantiable(command, line);
        }
        Map<String, Object> action = action(command);
        String text = SpecValues.string(command, "text");
        Object[] results;
        try {
            results = perform(action);
        } catch (Trap trap) {
            return trapMatches(trap, text) ? Outcome.passed(line, "assert_trap")
                    : Outcome.failed(line, "assert_trap", describeAction(action) + ": expected trap \"" + text + "\" but trapped with \"" + trap.getMessage() + "\"");
        }
        return Outcome.failed(line, "assert_trap", describeAction(action) + ": expected trap \"" + text + "\" but returned " + SpecValues.describeAll(results));
    }

    private Outcome assertExhaustion(Map<String, Object> command, int line) {
        Map<String, Object> action = action(command);
        String text = SpecValues.string(command, "text");
        Object[] results;
        try {
            results = perform(action);
        } catch (Trap trap) {
            return trap.kind() == TrapKind.CALL_STACK_EXHAUSTED || trap.getMessage().contains(text)
                    ? Outcome.passed(line, "assert_exhaustion")
                    : Outcome.failed(line, "assert_exhaustion", describeAction(action) + ": expected trap \"" + text + "\" but trapped with \"" + trap.getMessage() + "\"");
        } catch (StackOverflowError e) {
            return Outcome.failed(line, "assert_exhaustion", describeAction(action) + ": StackOverflowError escaped the engine instead of Trap(CALL_STACK_EXHAUSTED)");
        }
        return Outcome.failed(line, "assert_exhaustion", describeAction(action) + ": expected trap \"" + text + "\" but returned " + SpecValues.describeAll(results));
    }

    private Outcome assertInvalid(Map<String, Object> command, int line) {
        String type = "assert_invalid";
        String text = SpecValues.string(command, "text");
        String filename = SpecValues.string(command, "filename");
        try {
            compile(filename);
        } catch (InvalidModuleException e) {
            return expectedFailure(line, type, filename, text, e.reason(), e);
        } catch (WasmException e) {
            return Outcome.failed(line, type, filename + ": expected InvalidModuleException(\"" + text + "\") but got " + describe(e));
        }
        return Outcome.failed(line, type, filename + ": compiled successfully but must be invalid: \"" + text + "\"");
    }

    private Outcome assertMalformed(Map<String, Object> command, int line) {
        String type = "assert_malformed";
        String text = SpecValues.string(command, "text");
        String filename = SpecValues.string(command, "filename");
        try {
            compile(filename);
        } catch (UnsupportedFeatureException e) {
            return Outcome.passedWithWarning(line, type, filename + ": expected malformed \"" + text + "\" but got " + describe(e));
        } catch (MalformedModuleException e) {
            return expectedFailure(line, type, filename, text, e.reason(), e);
        } catch (WasmException e) {
            return Outcome.failed(line, type, filename + ": expected MalformedModuleException(\"" + text + "\") but got " + describe(e));
        }
        return Outcome.failed(line, type, filename + ": compiled successfully but must be malformed: \"" + text + "\"");
    }

    private Outcome assertUnlinkable(Map<String, Object> command, int line) {
        String type = "assert_unlinkable";
        String text = SpecValues.string(command, "text");
        String filename = SpecValues.string(command, "filename");
        CompiledModule module = compileForInstantiation(filename);
        try {
            instances.add(module.instantiate(imports()));
        } catch (LinkException e) {
            return expectedFailure(line, type, filename, text, e.reason(), e);
        } catch (WasmException e) {
            return Outcome.failed(line, type, filename + ": expected LinkException(\"" + text + "\") but got " + describe(e));
        }
        return Outcome.failed(line, type, filename + ": instantiated successfully but must be unlinkable: \"" + text + "\"");
    }

    private Outcome assertUninstantiable(Map<String, Object> command, int line) {
        String type = typeOf(command);
        String text = SpecValues.string(command, "text");
        String filename = SpecValues.string(command, "filename");
        CompiledModule module = compileForInstantiation(filename);
        try {
            instances.add(module.instantiate(imports()));
        } catch (Trap trap) {
            return trapMatches(trap, text) ? Outcome.passed(line, type)
                    : Outcome.failed(line, type, filename + ": expected trap \"" + text + "\" during instantiation but trapped with \"" + trap.getMessage() + "\"");
        } catch (WasmException e) {
            return Outcome.failed(line, type, filename + ": expected trap \"" + text + "\" during instantiation but got " + describe(e));
        }
        return Outcome.failed(line, type, filename + ": instantiated successfully but must trap: \"" + text + "\"");
    }

    /** Compiles a module that the script expects to be valid; failing to compile is the failure. */
    private CompiledModule compileForInstantiation(String filename) {
        try {
            return compile(filename);
        } catch (WasmException e) {
            throw new CommandFailure(filename + ": the module should compile but " + describe(e));
        }
    }

    private CompiledModule compile(String filename) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(filename));
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + filename + ": " + e);
        }
        return engine.compile(bytes);
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
    private Object[] perform(Map<String, Object> action) {
        String kind = SpecValues.string(action, "type");
        String field = SpecValues.string(action, "field");
        Instance instance = instance(action.get("module"));
        Object export = instance.export(field);
        switch (kind) {
            case "invoke": {
                if (!(export instanceof WasmFunction)) {
                    throw new CommandFailure("no exported function " + quote(field) + (export == null ? "" : " (found " + export.getClass().getSimpleName() + ")"));
                }
                List<Object> args = list(action, "args");
                Object[] values = new Object[args.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = SpecValues.toArgument(object(args.get(i)));
                }
                return ((WasmFunction) export).call(values);
            }
            case "get": {
                if (!(export instanceof Global)) {
                    throw new CommandFailure("no exported global " + quote(field) + (export == null ? "" : " (found " + export.getClass().getSimpleName() + ")"));
                }
                return new Object[] {((Global) export).value()};
            }
            default:
                throw new CommandFailure("unknown action type \"" + kind + "\"");
        }
    }

    private Instance instance(Object moduleName) {
        ModuleSlot slot;
        if (moduleName == null) {
            slot = current;
            if (slot == null) {
                throw new CommandFailure("no module has been defined yet");
            }
        } else {
            slot = named.get((String) moduleName);
            if (slot == null) {
                throw new CommandFailure("unknown module " + moduleName);
            }
        }
        if (slot instanceof Broken) {
            throw new CommandFailure(((Broken) slot).why());
        }
        return ((Loaded) slot).instance();
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
    private static Outcome expectedFailure(int line, String type, String filename, String text, String reason, WasmException e) {
        return messageMatches(reason, e.getMessage(), text) ? Outcome.passed(line, type)
                : Outcome.passedWithWarning(line, type, filename + ": expected message \"" + text + "\" but got \"" + e.getMessage() + "\"");
    }

    private static boolean isText(Map<String, Object> command) {
        return "text".equals(command.get("module_type"));
    }

    private static Map<String, Object> action(Map<String, Object> command) {
        return object(command.get("action"));
    }

    private static String describeAction(Map<String, Object> action) {
        StringBuilder sb = new StringBuilder();
        Object module = action.get("module");
        String field = quote(String.valueOf(action.get("field")));
        if ("get".equals(action.get("type"))) {
            sb.append("get ").append(module == null ? "" : module + " ").append(field);
            return sb.toString();
        }
        sb.append("invoke ").append(module == null ? "" : module + " ").append(field).append('(');
        List<Object> args = list(action, "args");
        for (int i = 0; i < args.size(); i++) {
            Map<String, Object> arg = object(args.get(i));
            Object value;
            try {
                value = SpecValues.toArgument(arg);
            } catch (RuntimeException e) {
                value = arg;
            }
            sb.append(i == 0 ? "" : ", ").append(SpecValues.describe(value));
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

    static int lineOf(Map<String, Object> command) {
        Object line = command.get("line");
        return line instanceof Long ? (int) (long) (Long) line : -1;
    }

    static String typeOf(Map<String, Object> command) {
        Object type = command.get("type");
        return type instanceof String ? (String) type : "?";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object but found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> object, String key) {
        Object value = object.get(key);
        if (!(value instanceof List)) {
            throw new IllegalArgumentException("missing array field \"" + key + "\" in " + object);
        }
        return (List<Object>) value;
    }
}
