package io.wasmudf.bench.corpus;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Global;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.Table;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * Imports that satisfy any module's import section without doing anything: functions return
 * zero (or nothing), memories and tables get their declared minimum, globals their type's zero.
 * Enough to instantiate a module, so that the JVM links (and verifies) every generated class; a
 * workload that runs code passes its own implementations for the imports it needs, by
 * {@code "module.name"}. Used by the corpus test and the real-program benchmarks alike.
 */
public final class StubImports {
    private StubImports() {}

    /** Stubs for every import of {@code wasm}, except those in {@code provided} ({@code "module.name"} → value). */
    public static Imports forModule(byte[] wasm, Map<String, Object> provided) {
        Imports.Builder b = Imports.builder();
        // the public API tells import types only for functions; the internal model has them all
        // (without the function bodies: decoding them took a tenth of a SQLite workload run)
        io.wasmudf.engine.internal.model.WasmModule module = ModuleDecoder.decodeWithoutCode(wasm);
        for (Import imp : module.imports()) {
            Object given = provided.get(imp.module() + "." + imp.name());
            if (given != null) {
                b.add(imp.module(), imp.name(), given);
                continue;
            }
            b.add(imp.module(), imp.name(), stub(module, imp));
        }
        return b.build();
    }

    private static Object stub(io.wasmudf.engine.internal.model.WasmModule module, Import imp) {
        ImportDesc d = imp.desc();
        if (d instanceof ImportDesc.Func f) {
            return zeroFunction(module.types().get(f.typeIndex()));
        } else if (d instanceof ImportDesc.Memory m) {
            long max = m.type().limits().max();
            return Memory.create((int) m.type().limits().min(), max);
        } else if (d instanceof ImportDesc.Table t) {
            return new Table(t.type().elemType(), (int) t.type().limits().min(), t.type().limits().max());
        }
        ImportDesc.Global g = (ImportDesc.Global) d;
        return new Global(g.type().type(), g.type().mutable());
    }

    /** A host function of type {@code type} that returns zero (all zeros for several results). */
    public static WasmFunction zeroFunction(FuncType type) {
        MethodType mt = type.methodType();
        MethodHandle h;
        if (mt.returnType() == Object[].class) {
            Object[] zeros = type.results().stream().map(StubImports::zero).toArray();
            h = MethodHandles.dropArguments(MethodHandles.constant(Object[].class, zeros), 0, mt.parameterList());
        } else {
            h = MethodHandles.empty(mt);
        }
        return WasmFunction.host(type, h);
    }

    private static Object zero(io.wasmudf.engine.ValType t) {
        switch (t) {
            case I32: return 0;
            case I64: return 0L;
            case F32: return 0f;
            case F64: return 0d;
            default: return null;
        }
    }
}
