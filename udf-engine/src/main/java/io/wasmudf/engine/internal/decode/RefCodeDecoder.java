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
            case RefOpcodes.RETURN_CALL_REF:
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

    /**
     * A {@code 0xFB}-prefixed GC instruction. Immediates: type index in {@code a} and field index in
     * {@code b} (struct access), data/element index or length in {@code b} (array.new_data/_elem,
     * array.new_fixed), source type in {@code b} (array.copy); {@code ref.test/cast}: {@code a} = the
     * target type's precise code; {@code br_on_cast(_fail)}: {@code a} = label, {@code labels} =
     * the source and target types' precise codes.
     */
    static Instruction prefixed(ByteReader r, int at) {
        long sub = r.varU(32);
        if (sub > 0x1E) {
            throw ByteReader.malformed("illegal opcode", at);
        }
        int op = 0xFB00 | (int) sub;
        switch (op) {
            case RefOpcodes.STRUCT_NEW: case RefOpcodes.STRUCT_NEW_DEFAULT:
            case RefOpcodes.ARRAY_NEW: case RefOpcodes.ARRAY_NEW_DEFAULT:
            case RefOpcodes.ARRAY_GET: case RefOpcodes.ARRAY_GET_S: case RefOpcodes.ARRAY_GET_U:
            case RefOpcodes.ARRAY_SET: case RefOpcodes.ARRAY_FILL:
                return new Instruction(op, r.index(), 0, 0, null);
            case RefOpcodes.STRUCT_GET: case RefOpcodes.STRUCT_GET_S: case RefOpcodes.STRUCT_GET_U:
            case RefOpcodes.STRUCT_SET: case RefOpcodes.ARRAY_NEW_FIXED: case RefOpcodes.ARRAY_NEW_DATA:
            case RefOpcodes.ARRAY_NEW_ELEM: case RefOpcodes.ARRAY_COPY: case RefOpcodes.ARRAY_INIT_DATA:
            case RefOpcodes.ARRAY_INIT_ELEM: {
                int a = r.index();
                return new Instruction(op, a, r.index(), 0, null);
            }
            case RefOpcodes.REF_TEST: case RefOpcodes.REF_CAST:
                return new Instruction(op, TypeDecoder.heapType(r, false), 0, 0, null);
            case RefOpcodes.REF_TEST_NULL: case RefOpcodes.REF_CAST_NULL:
                return new Instruction(op, TypeDecoder.heapType(r, true), 0, 0, null);
            case RefOpcodes.BR_ON_CAST: case RefOpcodes.BR_ON_CAST_FAIL: {
                int flagsAt = r.pos();
                int flags = r.u8();
                if (flags > 3) {
                    throw ByteReader.malformed("malformed cast flags", flagsAt);
                }
                int label = r.index();
                int from = TypeDecoder.heapType(r, (flags & 1) != 0);
                int to = TypeDecoder.heapType(r, (flags & 2) != 0);
                return new Instruction(op, label, 0, 0, new int[] {from, to});
            }
            default:
                return Instruction.of(op); // array.len, conversions, i31
        }
    }
}
