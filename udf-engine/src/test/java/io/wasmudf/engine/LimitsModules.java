package io.wasmudf.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Loads the checked-in test modules under {@code src/test/resources/limits} (sources: the .wat next to them). */
final class LimitsModules {
    private LimitsModules() {}

    static byte[] bytes(String name) {
        try (InputStream in = LimitsModules.class.getResourceAsStream("/limits/" + name + ".wasm")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource limits/" + name + ".wasm");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** limits.wasm's import {@code host.callback}, implemented by {@code callback}. */
    static Imports imports(IntUnaryOperator callback) {
        try {
            MethodHandle h = MethodHandles.lookup().findVirtual(IntUnaryOperator.class, "applyAsInt",
                    MethodType.methodType(int.class, int.class)).bindTo(callback);
            WasmFunction f = WasmFunction.host(new FuncType(List.of(ValType.I32), List.of(ValType.I32)), h);
            return Imports.builder().add("host", "callback", f).build();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh instance of limits.wasm whose host callback returns its argument. */
    static Instance limits(Engine engine) {
        return engine.compile(bytes("limits")).instantiate(imports(x -> x));
    }

    /** Calls a {@code (i32) -> i32} export. */
    static int call(Instance instance, String name, int arg) {
        try {
            return (int) instance.function(name).handle().invokeExact(arg);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
