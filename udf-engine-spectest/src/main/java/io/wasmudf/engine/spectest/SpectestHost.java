package io.wasmudf.engine.spectest;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Global;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.Table;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmFunction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code spectest} module the scripts import from: print functions that do nothing, four
 * immutable globals holding 666, a funcref table (10..20, and one with i64 indexes) and a memory (1..2 pages). One per script,
 * because scripts mutate the table and memory.
 */
final class SpectestHost {
    static final String MODULE = "spectest";

    private final Map<String, Object> exports = new LinkedHashMap<>();

    SpectestHost() {
        function("print", List.of());
        function("print_i32", List.of(ValType.I32));
        function("print_i64", List.of(ValType.I64));
        function("print_f32", List.of(ValType.F32));
        function("print_f64", List.of(ValType.F64));
        function("print_i32_f32", List.of(ValType.I32, ValType.F32));
        function("print_f64_f64", List.of(ValType.F64, ValType.F64));
        exports.put("global_i32", Global.of(ValType.I32, false, 666));
        exports.put("global_i64", Global.of(ValType.I64, false, 666L));
        exports.put("global_f32", Global.of(ValType.F32, false, 666.6f));
        exports.put("global_f64", Global.of(ValType.F64, false, 666.6));
        exports.put("table", new Table(ValType.FUNCREF, 10, 20));
        exports.put("table64", new Table(ValType.FUNCREF, 10, 20, true)); // as the reference interpreter's spectest
        exports.put("memory", Memory.create(1, 2));
    }

    /** The export {@code name}, or null. */
    Object export(String name) {
        return exports.get(name);
    }

    void addTo(Imports.Builder builder) {
        exports.forEach((name, value) -> builder.add(MODULE, name, value));
    }

    private void function(String name, List<ValType> params) {
        FuncType type = FuncType.of(params, List.of());
        MethodType methodType = type.methodType();
        // A no-op of the exact type: drop every argument of a handle that does nothing.
        var handle = MethodHandles.dropArguments(MethodHandles.empty(MethodType.methodType(void.class)), 0, methodType.parameterList());
        exports.put(name, WasmFunction.host(type, handle));
    }
}
