package io.wasmudf.engine;

/** A WebAssembly trap: the guest call stopped and its instance should be discarded. */
public final class Trap extends WasmException {
    private final TrapKind kind;

    public Trap(TrapKind kind) {
        super(kind.message());
        this.kind = kind;
    }

    public Trap(TrapKind kind, String detail) {
        super(detail == null ? kind.message() : kind.message() + ": " + detail);
        this.kind = kind;
    }

    public Trap(TrapKind kind, Throwable cause) {
        super(kind.message() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        this.kind = kind;
    }

    public TrapKind kind() {
        return kind;
    }
}
