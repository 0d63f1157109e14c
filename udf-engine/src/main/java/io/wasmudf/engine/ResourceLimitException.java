package io.wasmudf.engine;

/** A module needs more than the engine's configured limits allow (memory, table size, code size). */
public class ResourceLimitException extends WasmException {
    public ResourceLimitException(String message) {
        super(message);
    }

    public ResourceLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
