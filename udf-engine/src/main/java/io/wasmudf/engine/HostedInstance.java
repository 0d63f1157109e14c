package io.wasmudf.engine;

import io.wasmudf.engine.internal.host.HostState;
import java.util.OptionalInt;

/**
 * An {@link Instance} made by a {@link HostEnvironment}, with the host state its imports share:
 * output budgets, the call boundaries the grants restart at, and whether the guest exited.
 * Same threading rules as {@link Instance}.
 */
public final class HostedInstance implements AutoCloseable {
    private final Instance instance;
    private final HostState host;
    private boolean closed;

    HostedInstance(Instance instance, HostState host) {
        this.instance = instance;
        this.host = host;
    }

    /** The instance, for exports and handles. */
    public Instance instance() {
        return instance;
    }

    /**
     * Starts a unit of work (an SQL statement): the per-unit and per-call output budgets restart,
     * and unfinished output lines of the previous unit are delivered first.
     */
    public void beginUnit() {
        host.beginUnit();
    }

    /**
     * Starts a call: the per-call output budget, the fixed clock and the seeded random stream
     * restart. Calls through {@link Instance#function} handles and {@link CompiledModule#exportHandle}
     * on engines with checks, and each {@link Instance#beginCalls()}, are noticed without it; once
     * this is used, only its marks start calls (for callers of
     * {@link CompiledModule#exportHandleForCalls}, inside whose calls the epoch may move).
     */
    public void beginCall() {
        host.beginCall();
    }

    /** Delivers unfinished output lines (text written without a final newline) to the sink. */
    public void flushOutput() {
        host.flushOutput();
    }

    /** The code the guest passed to {@code proc_exit}, if it did. */
    public OptionalInt exitCode() {
        Integer c = host.exitCode();
        return c == null ? OptionalInt.empty() : OptionalInt.of(c);
    }

    /** False once the guest exited or this was closed: such an instance must not be called again. */
    public boolean usable() {
        return !closed && host.exitCode() == null;
    }

    /**
     * Calls export {@code name} as one call ({@link #beginCall()}, the call, {@link #flushOutput()}),
     * with arguments and results boxed as {@link WasmFunction#call} has them.
     *
     * @throws IllegalStateException when the instance is not {@link #usable()}
     */
    public Object[] call(String name, Object... args) {
        if (!usable()) {
            throw new IllegalStateException(closed ? "the instance is closed"
                    : "the guest exited with code " + host.exitCode() + "; the instance must be discarded");
        }
        WasmFunction f = instance.function(name);
        host.startCall();
        try {
            return f.call(args);
        } finally {
            host.flushOutput();
        }
    }

    /** Delivers unfinished output and closes the instance ({@link Instance#close()}). Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            host.flushOutput();
            instance.close();
        }
    }
}
