package io.wasmudf.engine;

/** The bytes are not a well-formed WebAssembly binary; the message uses the spec suite's wording. */
public class MalformedModuleException extends WasmException {
    private final long offset;

    public MalformedModuleException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Byte offset in the input where decoding failed, or -1 when unknown. */
    public long offset() {
        return offset;
    }

    @Override
    public String getMessage() {
        return offset >= 0 ? super.getMessage() + " (at byte " + offset + ")" : super.getMessage();
    }

    /** The spec-worded reason without the offset. */
    public String reason() {
        return super.getMessage();
    }
}
