package io.wasmudf.engine.internal.decode;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.RefOpcodes;

/** Decodes the immediates of the typed function reference instructions (3.0) for {@link CodeDecoder}. */
final class RefCodeDecoder {
    private RefCodeDecoder() {}

    /** The instruction of single-byte opcode {@code op}, or null when {@code op} is none of these. */
    static Instruction decode(int op, ByteReader r) {
        switch (op) {
            case RefOpcodes.CALL_REF:
            case RefOpcodes.BR_ON_NULL:
            case RefOpcodes.BR_ON_NON_NULL:
                return new Instruction(op, r.index(), 0, 0, null);
            case RefOpcodes.REF_EQ:
            case RefOpcodes.REF_AS_NON_NULL:
                return Instruction.of(op);
            default:
                return null;
        }
    }
}
