package io.wasmudf.bench.corpus;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ImportInfo;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.ValType;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** A {@link GuestRuntime} on the engine: an instance whose function imports are {@link GuestRuntime.HostCall}s. */
public final class EngineGuest implements GuestRuntime, AutoCloseable {
    private final Instance instance;
    private final Memory memory;

    /**
     * Instantiates {@code module} with {@code calls} for its function imports ({@code "module.name"};
     * {@code fallback} makes the rest) and the memory exported as {@code memoryExport}.
     */
    public EngineGuest(CompiledModule module, byte[] wasm, Map<String, HostCall> calls,
                       Function<FuncType, HostCall> fallback, String memoryExport) {
        this(module, wasm, calls, fallback, null, memoryExport);
    }

    /** As above for a module that imports its memory: {@code memory} is offered as import {@code memoryImport}. */
    public EngineGuest(CompiledModule module, byte[] wasm, Map<String, HostCall> calls,
                       Function<FuncType, HostCall> fallback, Memory memory, String memoryImport) {
        EngineGuest[] self = new EngineGuest[1];
        Map<String, Object> provided = new HashMap<>();
        for (ImportInfo imp : module.imports()) {
            if (imp.funcType() != null) {
                HostCall call = calls.getOrDefault(imp.module() + "." + imp.name(), fallback.apply(imp.funcType()));
                provided.put(imp.module() + "." + imp.name(), adapt(imp.funcType(), call, self));
            }
        }
        if (memory != null) {
            provided.put(memoryImport, memory);
        }
        this.instance = module.instantiate(StubImports.forModule(wasm, provided),
                module.engine().defaultLimits().withMaxMemoryPages(Memory.MAX_PAGES));
        self[0] = this;
        this.memory = memory != null ? memory : instance.memory(memoryImport);
    }

    private static Object adapt(FuncType type, HostCall call, EngineGuest[] self) {
        return Host.function(type, a -> {
            long[] bits = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                bits[i] = toBits(a[i]);
            }
            long r = call.apply(self[0], bits);
            return type.results().isEmpty() ? null : fromBits(type.results().get(0), r);
        });
    }

    private static long toBits(Object v) {
        if (v instanceof Integer i) {
            return i;
        } else if (v instanceof Long l) {
            return l;
        } else if (v instanceof Float f) {
            return Float.floatToRawIntBits(f);
        }
        return Double.doubleToRawLongBits((Double) v);
    }

    private static Object fromBits(ValType t, long bits) {
        switch (t) {
            case I32: return (int) bits;
            case I64: return bits;
            case F32: return Float.intBitsToFloat((int) bits);
            default: return Double.longBitsToDouble(bits);
        }
    }

    @Override
    public int call(String name, int... args) {
        Object[] boxed = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            boxed[i] = args[i];
        }
        Object[] r = instance.function(name).call(boxed);
        return r.length == 0 ? 0 : (Integer) r[0];
    }

    @Override public int readInt(int addr) { return memory.readInt(addr); }
    @Override public void writeInt(int addr, int value) { memory.writeInt(addr, value); }
    @Override public byte readByte(int addr) { return memory.readByte(addr); }
    @Override public byte[] read(int addr, int length) { return memory.read(addr, length); }
    @Override public void write(int addr, byte[] bytes) { memory.write(addr, bytes, 0, bytes.length); }
    @Override public int pages() { return memory.pages(); }
    @Override public int grow(int pages) { return memory.grow(pages); }

    @Override
    public void close() {
        instance.close();
    }
}
