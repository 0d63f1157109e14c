package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Memory;
import io.wasmudf.engine.Table;
import io.wasmudf.engine.WasmFunction;

/**
 * Base class of every generated module class: the per-instance state that generated code reads
 * through fields. Public only because generated classes live in their own class loader.
 */
public abstract class ModuleInstance {
    /** Memory 0, or null when the module has none. */
    public Memory memory;
    public Table[] tables;
    /** Function instances by function index, created lazily (see {@link #func(int)}). */
    public WasmFunction[] functions;
    /** Element segments; a dropped segment is an empty array. */
    public Object[][] elements;
    /** Data segments; a dropped segment is an empty array. */
    public byte[][] data;
    /** Set by {@link io.wasmudf.engine.Instance#interrupt()}; polled on loop back-edges and calls when enabled. */
    public volatile boolean interruptRequested;
    /** Creates the function instance for a defined function on first use. */
    public FunctionFactory functionFactory;

    /** Makes function instances for defined functions of a module instance. */
    public interface FunctionFactory {
        WasmFunction create(ModuleInstance instance, int functionIndex);
    }

    /**
     * Stores globals (typed fields for private ones, the cells themselves for shared ones) and the
     * raw handles of imported functions. Implemented by each generated class.
     */
    public abstract void init(io.wasmudf.engine.Global[] globals, java.lang.invoke.MethodHandle[] importHandles);

    /** The function instance for {@code index} (for {@code ref.func}, tables and exports). */
    public final WasmFunction func(int index) {
        WasmFunction f = functions[index];
        if (f == null) {
            f = functionFactory.create(this, index);
            functions[index] = f;
        }
        return f;
    }

    public final void checkInterrupt() {
        if (interruptRequested) {
            interruptRequested = false;
            Ops.interrupted();
        }
    }
}
