package io.wasmudf.engine;

/** An instantiated module: its own memory, tables and globals. Not thread-safe; use one per session. */
public final class Instance {
    // TODO(engine helper): implement.

    public CompiledModule module() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The export's value ({@link WasmFunction}, {@link Memory}, {@link Table} or {@link Global}), or null. */
    public Object export(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The exported function {@code name}; throws IllegalArgumentException when absent. */
    public WasmFunction function(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The exported memory {@code name}, or null. */
    public Memory memory(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Asks running guest code of this instance to stop with an {@link TrapKind#INTERRUPTED} trap. */
    public void interrupt() {
        throw new UnsupportedOperationException("TODO");
    }
}
