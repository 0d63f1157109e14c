package io.wasmudf.engine;

import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.runtime.ModuleInstance;

/** An instantiated module: its own memory, tables and globals. Not thread-safe; use one per session. */
public final class Instance {
    private final CompiledModule module;
    private final ModuleInstance state;
    private final Global[] globals;

    Instance(CompiledModule module, ModuleInstance state, Global[] globals) {
        this.module = module;
        this.state = state;
        this.globals = globals;
    }

    public CompiledModule module() {
        return module;
    }

    /** The export's value ({@link WasmFunction}, {@link Memory}, {@link Table} or {@link Global}), or null. */
    public Object export(String name) {
        for (Export e : module.module().exports()) {
            if (e.name().equals(name)) {
                switch (e.kind()) {
                    case FUNC: return state.func(e.index());
                    case TABLE: return state.tables[e.index()];
                    case MEMORY: return state.memory;
                    default: return globals[e.index()];
                }
            }
        }
        return null;
    }

    /** The exported function {@code name}; throws IllegalArgumentException when absent. */
    public WasmFunction function(String name) {
        Object e = export(name);
        if (e instanceof WasmFunction f) {
            return f;
        }
        throw new IllegalArgumentException("no exported function named \"" + name + "\"");
    }

    /** The exported memory {@code name}, or null. */
    public Memory memory(String name) {
        return export(name) instanceof Memory m ? m : null;
    }

    /** The exported global {@code name}, or null. */
    public Global global(String name) {
        return export(name) instanceof Global g ? g : null;
    }

    /** The exported table {@code name}, or null. */
    public Table table(String name) {
        return export(name) instanceof Table t ? t : null;
    }

    /**
     * Asks running guest code of this instance to stop with an {@link TrapKind#INTERRUPTED} trap at
     * its next loop iteration or call. Effective only when the engine was built
     * {@link Engine.Builder#interruptible(boolean) interruptible}. Safe to call from any thread.
     */
    public void interrupt() {
        state.interruptRequested = true;
    }
}
