package io.wasmudf.bench.corpus;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.WasmFunction;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Function;

/** Host functions written as lambdas over boxed arguments (for imports called rarely, such as emscripten's). */
public final class Host {
    private Host() {}

    private static final MethodHandle APPLY;

    static {
        try {
            APPLY = MethodHandles.publicLookup().findVirtual(Function.class, "apply",
                    MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A function of {@code type} computing its one result (or null for none) from its boxed arguments. */
    public static WasmFunction function(FuncType type, Function<Object[], Object> body) {
        MethodType mt = type.methodType();
        MethodHandle h = APPLY.bindTo(body).asType(MethodType.methodType(Object.class, Object[].class))
                .asCollector(Object[].class, mt.parameterCount());
        if (mt.returnType() == void.class) {
            h = h.asType(h.type().changeReturnType(void.class));
        }
        return WasmFunction.host(type, h.asType(mt));
    }
}
