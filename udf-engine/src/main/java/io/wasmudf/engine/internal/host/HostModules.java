package io.wasmudf.engine.internal.host;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ImportInfo;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmFunction;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The import modules the host provides, by module and name: {@code wasi_snapshot_preview1}
 * ({@link Wasi}), {@code env} ({@link AssemblyScriptEnv}) and {@code wasmudf}
 * ({@link WasmudfFunctions}). Built once from the {@link HostFunction} methods; an instance gets
 * bound copies of only the functions it imports.
 */
public final class HostModules {
    public static final String WASI = "wasi_snapshot_preview1";
    public static final String ENV = "env";
    public static final String WASMUDF = "wasmudf";

    /** A host function before it is bound to an instance's {@link HostState}. */
    private record Entry(FuncType type, MethodHandle unbound) {}

    private static final Map<String, Map<String, Entry>> MODULES = new LinkedHashMap<>();

    static {
        register(WASI, Wasi.class);
        register(ENV, AssemblyScriptEnv.class);
        register(WASMUDF, WasmudfFunctions.class);
    }

    private HostModules() {}

    private static void register(String module, Class<?> owner) {
        Map<String, Entry> byName = new TreeMap<>();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Method m : owner.getDeclaredMethods()) {
            if (!m.isAnnotationPresent(HostFunction.class)) {
                continue;
            }
            Class<?>[] p = m.getParameterTypes();
            if (!Modifier.isStatic(m.getModifiers()) || p.length == 0 || p[0] != HostState.class) {
                throw new IllegalStateException("host function " + m + " must be static with a HostState first");
            }
            List<ValType> params = new ArrayList<>();
            for (int i = 1; i < p.length; i++) {
                params.add(valType(p[i]));
            }
            List<ValType> results = m.getReturnType() == void.class ? List.of() : List.of(valType(m.getReturnType()));
            try {
                byName.put(m.getName(), new Entry(FuncType.of(params, results), lookup.unreflect(m)));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        MODULES.put(module, byName);
    }

    private static ValType valType(Class<?> c) {
        if (c == int.class) {
            return ValType.I32;
        } else if (c == long.class) {
            return ValType.I64;
        } else if (c == float.class) {
            return ValType.F32;
        } else if (c == double.class) {
            return ValType.F64;
        }
        throw new IllegalStateException("not a wasm value type: " + c);
    }

    /** The names the host provides in {@code module}, sorted, with their types (for docs and tests). */
    public static Map<String, FuncType> functions(String module) {
        Map<String, FuncType> out = new TreeMap<>();
        MODULES.getOrDefault(module, Map.of()).forEach((n, e) -> out.put(n, e.type()));
        return out;
    }

    /** Why the host cannot satisfy {@code imp}, or null when it can. */
    public static String unsatisfied(ImportInfo imp) {
        Map<String, Entry> byName = MODULES.get(imp.module());
        Entry e = byName == null ? null : byName.get(imp.name());
        if (e == null) {
            return "unknown import" + (imp.kind() == ExternKind.FUNC ? ", a function " + signature(imp.funcType()) : ", a " + kindName(imp.kind()));
        }
        if (imp.kind() != ExternKind.FUNC) {
            return "imported as a " + kindName(imp.kind()) + " but the host provides a function " + signature(e.type());
        }
        if (!e.type().equals(imp.funcType())) {
            return "imported as " + signature(imp.funcType()) + " but the host provides " + signature(e.type());
        }
        return null;
    }

    /** The host function for {@code imp} (which {@link #unsatisfied} accepted), bound to {@code host}. */
    public static WasmFunction bind(ImportInfo imp, HostState host) {
        Entry e = MODULES.get(imp.module()).get(imp.name());
        return WasmFunction.host(e.type(), e.unbound().bindTo(host));
    }

    private static String kindName(ExternKind k) {
        return k.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code (i32, i64) -> i32}, as the docs write signatures. */
    public static String signature(FuncType t) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < t.params().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(t.params().get(i).toString().toLowerCase(java.util.Locale.ROOT));
        }
        b.append(") -> ");
        if (t.results().isEmpty()) {
            b.append("()");
        } else if (t.results().size() == 1) {
            b.append(t.results().get(0).toString().toLowerCase(java.util.Locale.ROOT));
        } else {
            b.append(t.results().toString().toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }
}
