package io.wasmudf.engine;

/**
 * Compiles WebAssembly binaries into {@link CompiledModule}s. Thread-safe; compiled modules are
 * cached by content hash, so compiling the same bytes twice returns the same module.
 */
public final class Engine {
    // TODO(engine helper): implement (options, cache).

    public static Engine create() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Decodes, validates and compiles {@code wasm}.
     *
     * @throws MalformedModuleException if the bytes are not a well-formed binary
     * @throws InvalidModuleException   if the module does not validate
     */
    public CompiledModule compile(byte[] wasm) {
        throw new UnsupportedOperationException("TODO");
    }
}
