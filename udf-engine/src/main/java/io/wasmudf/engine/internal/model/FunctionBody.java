package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;
import java.util.List;

/**
 * A decoded function body. {@code locals} lists the declared locals (parameters excluded), one
 * entry per local, already expanded from the binary's (count, type) runs. {@code code} is the
 * instruction sequence including the final {@code end}. {@code offset} is the body's byte offset in
 * the module, for error messages.
 */
public record FunctionBody(List<ValType> locals, List<Instruction> code, int offset, int[] localCodes) {
    /** A body whose locals are all of 2.0 types. */
    public FunctionBody(List<ValType> locals, List<Instruction> code, int offset) {
        this(locals, code, offset, null);
    }

    /** The precise type ({@link TypeCode}) of declared local {@code i}. */
    public int localCode(int i) {
        return localCodes != null ? localCodes[i] : locals.get(i).code();
    }
}
