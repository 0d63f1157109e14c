package io.wasmudf.engine.internal.host;

/**
 * A guest pointer or length that does not fit in its memory. WASI functions answer it with
 * {@code EFAULT}; host functions without an errno turn it into an out-of-bounds trap. Thrown often
 * by hostile guests, so it has no stack trace.
 */
final class Fault extends RuntimeException {
    static final Fault INSTANCE = new Fault();

    private Fault() {
        super("guest pointer out of bounds", null, false, false);
    }
}
