package io.wasmudf.engine;

/**
 * The engine itself failed (a compiler, linker or runtime defect), never the guest's or the
 * caller's fault: it is neither a {@link Trap} nor an invalid module, and callers should report
 * it as an internal error (SQLSTATE XX000) with the cause attached.
 */
public final class EngineBugException extends WasmException {
    public EngineBugException(String message, Throwable cause) {
        super(message, cause);
    }
}
