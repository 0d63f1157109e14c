package io.wasmudf.engine;

/** The module uses a WebAssembly feature this engine does not implement (none is refused this way since SIMD landed; kept for API compatibility). */
public class UnsupportedFeatureException extends MalformedModuleException {
    public UnsupportedFeatureException(String message, long offset) {
        super(message, offset);
    }
}
