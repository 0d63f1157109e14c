package io.wasmudf.engine;

/**
 * WebAssembly text (WAT/WAST) that is not well-formed; the reason uses the spec suite's wording
 * and the position is the 1-based line and column in the text.
 */
public class WatSyntaxException extends MalformedModuleException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    public WatSyntaxException(String reason, int line, int column) {
        super(reason, -1);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column (in bytes of UTF-8) of the offending token. */
    public int column() {
        return column;
    }

    @Override
    public String getMessage() {
        return line + ":" + column + ": " + reason();
    }
}
