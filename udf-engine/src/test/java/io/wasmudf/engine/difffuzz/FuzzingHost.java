package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Global;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Table;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The engine side's {@code fuzzing-support} imports (binaryen's {@code -ttf} modules), behaving as
 * {@code difffuzz-v8.js} does for V8: log calls are recorded; {@code call-export}/{@code call-ref}
 * call an export or a funcref with binaryen's "null for every parameter" (zero for numbers, null
 * for references, and a host exception for i64, which JavaScript cannot convert from null); the
 * {@code -catch} variants return 1 on a host exception and let traps and stack exhaustion through;
 * {@code table-get/-set} work on the export {@code table}; {@code sleep} returns its id; imported
 * externref globals hold one host object. Every host call is recorded in the log.
 */
final class FuzzingHost {
    /** What a JavaScript exception is on this side: a host function failing, not a trap. */
    static final class HostException extends RuntimeException {
        HostException(String message) {
            super(message, null, false, false);
        }
    }

    private static final Object EXTERN = new Object() {
        @Override
        public String toString() {
            return "extern";
        }
    };
    private static final MethodHandle APPLY;

    static {
        try {
            APPLY = MethodHandles.lookup().findVirtual(Function.class, "apply",
                    MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Instrumented module;
    private List<String> log = new ArrayList<>();
    private Instance instance;

    FuzzingHost(Instrumented module) {
        this.module = module;
    }

    /** The imports, or null when the module imports something this host does not provide. */
    Imports imports() {
        Imports.Builder b = Imports.builder();
        for (int i = 0; i < module.imports().size(); i++) {
            Import imp = module.imports().get(i);
            Object value = provide(imp, module.importTypes().get(i));
            if (value == null) {
                return null;
            }
            b.add(imp.module(), imp.name(), value);
        }
        return b.build();
    }

    /** The first import this host cannot provide, as {@code module.name}, or null. */
    String unsupported() {
        for (int i = 0; i < module.imports().size(); i++) {
            Import imp = module.imports().get(i);
            if (provide(imp, module.importTypes().get(i)) == null) {
                return imp.module() + "." + imp.name();
            }
        }
        return null;
    }

    void attach(Instance instance) {
        this.instance = instance;
    }

    /** The host calls since the last take. */
    List<String> takeLog() {
        List<String> l = log;
        log = new ArrayList<>();
        return l;
    }

    private Object provide(Import imp, FuncType type) {
        if (imp.desc() instanceof ImportDesc.Global g) {
            return g.type().type() == ValType.EXTERNREF && !g.type().mutable()
                    ? Global.of(ValType.EXTERNREF, false, EXTERN) : null;
        }
        if (!(imp.desc() instanceof ImportDesc.Func) || !imp.module().equals("fuzzing-support")) {
            return null;
        }
        String name = imp.name();
        Function<Object[], Object> body;
        if (CallPlan.hasV128(type)) {
            // a JavaScript import with v128 in its type throws a TypeError when called, before its body runs (log-v128)
            body = args -> {
                throw new HostException("type incompatibility when transforming from/to JS");
            };
        } else if (name.startsWith("log")) {
            body = args -> {
                StringBuilder sb = new StringBuilder(name);
                for (int i = 0; i < args.length; i++) {
                    sb.append(' ').append(Observation.format(type.params().get(i), args[i]));
                }
                log.add(sb.toString());
                return null;
            };
        } else {
            body = switch (name) {
                case "call-export" -> args -> {
                    log.add("call-export " + args[0]);
                    callExport((Integer) args[0]);
                    return null;
                };
                case "call-export-catch" -> args -> {
                    log.add("call-export-catch " + args[0]);
                    return caught(() -> callExport((Integer) args[0]));
                };
                case "call-ref" -> args -> {
                    log.add("call-ref");
                    callRef(args[0]);
                    return null;
                };
                case "call-ref-catch" -> args -> {
                    log.add("call-ref-catch");
                    return caught(() -> callRef(args[0]));
                };
                case "table-get" -> args -> table().get(tableSlot("table-get", args[0]));
                case "table-set" -> args -> {
                    table().set(tableSlot("table-set", args[0]), args[1]);
                    return null;
                };
                case "sleep" -> args -> {
                    log.add("sleep " + args[1]);
                    return args[1];
                };
                case "throw" -> args -> {
                    log.add("throw");
                    throw new HostException("thrown by the host");
                };
                default -> null;
            };
        }
        if (body == null || (type.results().size() > 1)) {
            return null;
        }
        MethodHandle h = APPLY.bindTo(body).asCollector(Object[].class, type.params().size())
                .asType(type.methodType());
        return WasmFunction.host(type, h);
    }

    /** Logs the access and returns the index (unsigned, as JavaScript's {@code >>> 0}), or throws where V8's table would. */
    private int tableSlot(String op, Object index) {
        long i = Integer.toUnsignedLong((Integer) index);
        log.add(op + " " + i);
        if (i >= table().size()) {
            throw new HostException("table index out of range");
        }
        return (int) i;
    }

    private Table table() {
        Table t = instance == null ? null : instance.table("table");
        if (t == null) {
            throw new HostException("no table export");
        }
        return t;
    }

    private void callExport(int index) {
        List<String> order = module.exportOrder();
        if (instance == null || index < 0 || index >= order.size() || !module.exportTypes().containsKey(order.get(index))) {
            throw new HostException("no function export " + index);
        }
        callWithNulls(instance.function(order.get(index)));
    }

    private void callRef(Object ref) {
        if (!(ref instanceof WasmFunction f)) {
            throw new HostException("null reference");
        }
        callWithNulls(f);
    }

    private static void callWithNulls(WasmFunction f) {
        List<ValType> params = f.type().params();
        if (CallPlan.hasV128(f.type())) {
            // the JS API refuses to call a function with v128 in its type: a TypeError before any argument
            throw new HostException("type incompatibility when transforming from/to JS");
        }
        Object[] args = new Object[params.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (params.get(i)) {
                case I32 -> 0;
                case F32 -> 0f;
                case F64 -> 0d;
                case I64 -> throw new HostException("cannot convert null to a BigInt");
                default -> null;
            };
        }
        f.call(args);
    }

    /** 1 when {@code call} failed with a host exception; traps and stack exhaustion go through. */
    private int caught(Runnable call) {
        int result;
        try {
            call.run();
            result = 0;
        } catch (HostException e) {
            result = 1;
        } catch (Trap t) {
            if (!isHostException(t)) {
                throw t;
            }
            result = 1;
        }
        log.add("caught " + result);
        return result;
    }

    static boolean isHostException(Trap t) {
        return t.kind() == TrapKind.HOST_ERROR && t.getCause() instanceof HostException;
    }
}
