package io.wasmudf.bench.corpus;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A {@link GuestRuntime} on Chicory 1.7.5 with its bytecode compiler (interpreter fallback as {@code fallback} says). */
public final class ChicoryGuest implements GuestRuntime {
    private final Instance instance;
    private final Memory memory;

    /** Parses and compiles {@code wasm} (see {@link #compile}) and instantiates it. */
    public ChicoryGuest(byte[] wasm, Map<String, HostCall> calls, Function<FuncType, HostCall> fallback,
                        InterpreterFallback interpreter) {
        this(wasm, compile(wasm, interpreter), calls, fallback);
    }

    /** A module parsed and compiled once, for many instances. */
    public record Compiled(WasmModule module, Function<Instance, com.dylibso.chicory.runtime.Machine> machines) {}

    /** Chicory's parse + compile of {@code wasm}. */
    public static Compiled compile(byte[] wasm, InterpreterFallback interpreter) {
        WasmModule module = Parser.parse(wasm);
        return new Compiled(module, MachineFactoryCompiler.builder(module).withInterpreterFallback(interpreter).compile());
    }

    /** Instantiates an already compiled module. */
    public ChicoryGuest(byte[] wasm, Compiled compiled, Map<String, HostCall> calls, Function<FuncType, HostCall> fallback) {
        WasmModule module = compiled.module();
        ChicoryGuest[] self = new ChicoryGuest[1];
        List<ImportFunction> functions = new ArrayList<>();
        var ours = ModuleDecoder.decode(wasm);
        for (Import imp : ours.imports()) {
            if (imp.desc() instanceof ImportDesc.Func f) {
                FuncType t = ours.types().get(f.typeIndex());
                HostCall call = calls.getOrDefault(imp.module() + "." + imp.name(), fallback.apply(t));
                FunctionType ct = FunctionType.of(t.params().stream().map(ChicoryGuest::type).toList(),
                        t.results().stream().map(ChicoryGuest::type).toList());
                boolean none = t.results().isEmpty();
                functions.add(new HostFunction(imp.module(), imp.name(), ct, (inst, args) -> {
                    long r = call.apply(self[0], args);
                    return none ? null : new long[] {r};
                }));
            }
        }
        this.instance = Instance.builder(module)
                .withImportValues(ImportValues.builder().withFunctions(functions).build())
                .withMachineFactory(compiled.machines())
                .build();
        self[0] = this;
        this.memory = instance.memory();
    }

    private static ValType type(io.wasmudf.engine.ValType t) {
        switch (t) {
            case I32: return ValType.I32;
            case I64: return ValType.I64;
            case F32: return ValType.F32;
            case F64: return ValType.F64;
            default: return ValType.FuncRef;
        }
    }

    @Override
    public int call(String name, int... args) {
        long[] a = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i];
        }
        long[] r = instance.export(name).apply(a);
        return r == null || r.length == 0 ? 0 : (int) r[0];
    }

    @Override public int readInt(int addr) { return memory.readInt(addr); }
    @Override public void writeInt(int addr, int value) { memory.writeI32(addr, value); }
    @Override public byte readByte(int addr) { return memory.read(addr); }
    @Override public byte[] read(int addr, int length) { return memory.readBytes(addr, length); }
    @Override public void write(int addr, byte[] bytes) { memory.write(addr, bytes); }
    @Override public int pages() { return memory.pages(); }
    @Override public int grow(int pages) { return memory.grow(pages); }
}
