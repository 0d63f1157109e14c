package io.wasmudf.engine;

/**
 * The guest called WASI {@code proc_exit}: the call ended there, with this exit code. The
 * instance is unusable afterwards ({@link HostedInstance#usable()} is false) and must be discarded.
 * Thrown from instantiation too, when {@code _initialize}, a start function or a failing
 * {@code _start} exits.
 */
public final class ProcExitException extends WasmException {
    private final int exitCode;

    public ProcExitException(int exitCode, String where) {
        super("the module called proc_exit(" + exitCode + ")" + (where == null ? "" : " " + where));
        this.exitCode = exitCode;
    }

    /** The guest's exit code (as WASI passes it: an unsigned 32-bit value, shown signed). */
    public int exitCode() {
        return exitCode;
    }
}
