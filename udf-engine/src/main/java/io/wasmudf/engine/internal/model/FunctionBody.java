package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;
import java.util.List;

/**
 * A decoded function body. {@code locals} lists the declared locals (parameters excluded), one
 * entry per local, already expanded from the binary's (count, type) runs. {@code code} is the
 * instruction sequence including the final {@code end}. {@code offset} is the body's byte offset in
 * the module, for error messages. {@code tailCalls}: whether the code has a {@code return_call},
 * {@code return_call_indirect} or {@code return_call_ref} (noted by the decoder, so the compiler need not scan every body for it).
 * {@code growsMemory}: whether the code has a {@code memory.grow} (likewise noted by the decoder).
 */
public record FunctionBody(List<ValType> locals, List<Instruction> code, int offset, int[] localCodes, boolean tailCalls,
                           boolean growsMemory) {
    /** A body whose locals are all of 2.0 types. */
    public FunctionBody(List<ValType> locals, List<Instruction> code, int offset) {
        this(locals, code, offset, null);
    }

    /** A body whose tail calls and {@code memory.grow} are found by scanning its code. */
    public FunctionBody(List<ValType> locals, List<Instruction> code, int offset, int[] localCodes) {
        this(locals, code, offset, localCodes, scan(code));
    }

    /** {@link #scan}'s two facts passed on as the two flags. */
    private FunctionBody(List<ValType> locals, List<Instruction> code, int offset, int[] localCodes, int facts) {
        this(locals, code, offset, localCodes, (facts & TAIL_CALLS) != 0, (facts & GROWS_MEMORY) != 0);
    }

    /** The precise type ({@link TypeCode}) of declared local {@code i}. */
    public int localCode(int i) {
        return localCodes != null ? localCodes[i] : locals.get(i).code();
    }

    private static final int TAIL_CALLS = 1;
    private static final int GROWS_MEMORY = 2;

    /**
     * {@link #tailCalls} and {@link #growsMemory} of {@code code} as the bits {@code TAIL_CALLS}
     * and {@code GROWS_MEMORY}, in one pass that stops once it has found both.
     */
    private static int scan(List<Instruction> code) {
        int facts = 0;
        for (Instruction in : code) {
            int op = in.opcode();
            if (op == Opcodes.RETURN_CALL || op == Opcodes.RETURN_CALL_INDIRECT || op == RefOpcodes.RETURN_CALL_REF) {
                facts |= TAIL_CALLS;
            } else if (op == Opcodes.MEMORY_GROW) {
                facts |= GROWS_MEMORY;
            }
            if (facts == (TAIL_CALLS | GROWS_MEMORY)) {
                break;
            }
        }
        return facts;
    }
}
