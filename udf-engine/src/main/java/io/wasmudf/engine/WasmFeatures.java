package io.wasmudf.engine;

/**
 * The WebAssembly core version an engine accepts ({@link Engine.Builder#features}): 3.0, the
 * default, or 2.0 with 2.0's own rules and error wording (what wasmtime's {@code Config::wasm_*}
 * and V8's feature flags do). The decoder, validator and text parser ask the few questions below
 * where the versions differ; a module using a 3.0 encoding at 2.0 fails as a 2.0 engine fails.
 */
public enum WasmFeatures {
    /**
     * WebAssembly 2.0: one memory, memory indexes encoded as zero bytes, memarg flags and limits
     * as u32 (limits flags as one LEB128 bit), constant expressions of one constant or
     * {@code global.get} of an imported global, and none of 3.0's proposals.
     */
    V2_0("2.0", false),
    /** WebAssembly 3.0: everything the engine compiles (multi-memory, memory64, extended constants, …). */
    V3_0("3.0", true);

    private final String version;
    private final boolean v3;

    WasmFeatures(String version, boolean v3) {
        this.version = version;
        this.v3 = v3;
    }

    /** The level named {@code "2.0"} or {@code "3.0"} (also {@code "2"}, {@code "3"}). */
    public static WasmFeatures of(String version) {
        switch (version.strip()) {
            case "2": case "2.0": return V2_0;
            case "3": case "3.0": return V3_0;
            default: throw new IllegalArgumentException("unknown WebAssembly version " + version + " (2.0 or 3.0)");
        }
    }

    /** The version as written, {@code "2.0"} or {@code "3.0"}. */
    public String version() {
        return version;
    }

    /** Several memories, memory indexes in memargs and memory instructions (2.0: "multiple memories", "zero byte expected"). */
    public boolean multiMemory() {
        return v3;
    }

    /**
     * 64-bit memories and tables, limits and memarg offsets as u64, limits flags as a byte (2.0:
     * u32 values, "integer too large"; in text "i32 constant out of range").
     */
    public boolean memory64() {
        return v3;
    }

    /** Arithmetic and reads of module-defined globals in constant expressions (2.0: "constant expression required", "unknown global"). */
    public boolean extendedConst() {
        return v3;
    }

    /** Tail calls ({@code return_call*}). */
    public boolean tailCalls() {
        return v3;
    }

    /** Typed function references and GC types and instructions (2.0: "malformed reference type"). */
    public boolean typedReferences() {
        return v3;
    }

    /** Exception handling (tags, {@code throw}, {@code try_table}). */
    public boolean exceptions() {
        return v3;
    }

    @Override
    public String toString() {
        return version;
    }
}
