package io.wasmudf.engine;

/** The module uses a WebAssembly feature this engine does not implement (for now: SIMD). */
public class UnsupportedFeatureException extends MalformedModuleException {
    public UnsupportedFeatureException(String message, long offset) {
        super(message, offset);
    }
}
