package io.wasmudf.engine.internal.validate;

import static io.wasmudf.engine.internal.validate.ValueTypes.F32;
import static io.wasmudf.engine.internal.validate.ValueTypes.F64;
import static io.wasmudf.engine.internal.validate.ValueTypes.I32;
import static io.wasmudf.engine.internal.validate.ValueTypes.I64;

import io.wasmudf.engine.internal.model.Opcodes;

/**
 * Operand and result types of the instructions whose typing depends on the opcode alone
 * (numeric operators, conversions, saturating truncations, sign extensions), and the natural
 * alignment and value type of loads and stores. Tables are indexed by {@link #slot(int)}.
 */
final class SimpleSignatures {
    /** 0 when the opcode is not a simple operator; otherwise the number of operands (1 or 2). */
    private static final byte[] ARITY = new byte[0x110];
    private static final byte[] OPERAND = new byte[0x110];
    private static final byte[] RESULT = new byte[0x110];
    /** For loads/stores: log2 of the access width, or -1. */
    private static final byte[] NATURAL_ALIGN = new byte[0x100];
    private static final byte[] MEM_TYPE = new byte[0x100];

    private SimpleSignatures() {}

    /** Maps 0x00..0xFF to itself and 0xFC00..0xFC0F to 0x100..0x10F; -1 otherwise. */
    static int slot(int opcode) {
        if (opcode >= 0 && opcode < 0x100) {
            return opcode;
        }
        if (opcode >= 0xFC00 && opcode < 0xFC10) {
            return 0x100 + (opcode - 0xFC00);
        }
        return -1;
    }

    static int arity(int opcode) {
        int s = slot(opcode);
        return s < 0 ? 0 : ARITY[s];
    }

    static int operand(int opcode) {
        return OPERAND[slot(opcode)] & 0xFF;
    }

    static int result(int opcode) {
        return RESULT[slot(opcode)] & 0xFF;
    }

    /** log2 of the access width in bytes for a load/store opcode, or -1 for any other opcode. */
    static int naturalAlignment(int opcode) {
        return opcode >= 0 && opcode < 0x100 ? NATURAL_ALIGN[opcode] : -1;
    }

    /** The value type a load produces or a store consumes. */
    static int memoryValueType(int opcode) {
        return MEM_TYPE[opcode] & 0xFF;
    }

    private static void ops(int from, int to, int arity, int operand, int result) {
        for (int op = from; op <= to; op++) {
            int s = slot(op);
            ARITY[s] = (byte) arity;
            OPERAND[s] = (byte) operand;
            RESULT[s] = (byte) result;
        }
    }

    private static void mem(int from, int to, int align, int type) {
        for (int op = from; op <= to; op++) {
            NATURAL_ALIGN[op] = (byte) align;
            MEM_TYPE[op] = (byte) type;
        }
    }

    static {
        ops(Opcodes.I32_EQZ, Opcodes.I32_EQZ, 1, I32, I32);
        ops(Opcodes.I32_EQ, Opcodes.I32_GE_U, 2, I32, I32);
        ops(Opcodes.I64_EQZ, Opcodes.I64_EQZ, 1, I64, I32);
        ops(Opcodes.I64_EQ, Opcodes.I64_GE_U, 2, I64, I32);
        ops(Opcodes.F32_EQ, Opcodes.F32_GE, 2, F32, I32);
        ops(Opcodes.F64_EQ, Opcodes.F64_GE, 2, F64, I32);
        ops(Opcodes.I32_CLZ, Opcodes.I32_POPCNT, 1, I32, I32);
        ops(Opcodes.I32_ADD, Opcodes.I32_ROTR, 2, I32, I32);
        ops(Opcodes.I64_CLZ, Opcodes.I64_POPCNT, 1, I64, I64);
        ops(Opcodes.I64_ADD, Opcodes.I64_ROTR, 2, I64, I64);
        ops(Opcodes.F32_ABS, Opcodes.F32_SQRT, 1, F32, F32);
        ops(Opcodes.F32_ADD, Opcodes.F32_COPYSIGN, 2, F32, F32);
        ops(Opcodes.F64_ABS, Opcodes.F64_SQRT, 1, F64, F64);
        ops(Opcodes.F64_ADD, Opcodes.F64_COPYSIGN, 2, F64, F64);
        ops(Opcodes.I32_WRAP_I64, Opcodes.I32_WRAP_I64, 1, I64, I32);
        ops(Opcodes.I32_TRUNC_F32_S, Opcodes.I32_TRUNC_F32_U, 1, F32, I32);
        ops(Opcodes.I32_TRUNC_F64_S, Opcodes.I32_TRUNC_F64_U, 1, F64, I32);
        ops(Opcodes.I64_EXTEND_I32_S, Opcodes.I64_EXTEND_I32_U, 1, I32, I64);
        ops(Opcodes.I64_TRUNC_F32_S, Opcodes.I64_TRUNC_F32_U, 1, F32, I64);
        ops(Opcodes.I64_TRUNC_F64_S, Opcodes.I64_TRUNC_F64_U, 1, F64, I64);
        ops(Opcodes.F32_CONVERT_I32_S, Opcodes.F32_CONVERT_I32_U, 1, I32, F32);
        ops(Opcodes.F32_CONVERT_I64_S, Opcodes.F32_CONVERT_I64_U, 1, I64, F32);
        ops(Opcodes.F32_DEMOTE_F64, Opcodes.F32_DEMOTE_F64, 1, F64, F32);
        ops(Opcodes.F64_CONVERT_I32_S, Opcodes.F64_CONVERT_I32_U, 1, I32, F64);
        ops(Opcodes.F64_CONVERT_I64_S, Opcodes.F64_CONVERT_I64_U, 1, I64, F64);
        ops(Opcodes.F64_PROMOTE_F32, Opcodes.F64_PROMOTE_F32, 1, F32, F64);
        ops(Opcodes.I32_REINTERPRET_F32, Opcodes.I32_REINTERPRET_F32, 1, F32, I32);
        ops(Opcodes.I64_REINTERPRET_F64, Opcodes.I64_REINTERPRET_F64, 1, F64, I64);
        ops(Opcodes.F32_REINTERPRET_I32, Opcodes.F32_REINTERPRET_I32, 1, I32, F32);
        ops(Opcodes.F64_REINTERPRET_I64, Opcodes.F64_REINTERPRET_I64, 1, I64, F64);
        ops(Opcodes.I32_EXTEND8_S, Opcodes.I32_EXTEND16_S, 1, I32, I32);
        ops(Opcodes.I64_EXTEND8_S, Opcodes.I64_EXTEND32_S, 1, I64, I64);
        ops(Opcodes.I32_TRUNC_SAT_F32_S, Opcodes.I32_TRUNC_SAT_F32_U, 1, F32, I32);
        ops(Opcodes.I32_TRUNC_SAT_F64_S, Opcodes.I32_TRUNC_SAT_F64_U, 1, F64, I32);
        ops(Opcodes.I64_TRUNC_SAT_F32_S, Opcodes.I64_TRUNC_SAT_F32_U, 1, F32, I64);
        ops(Opcodes.I64_TRUNC_SAT_F64_S, Opcodes.I64_TRUNC_SAT_F64_U, 1, F64, I64);

        java.util.Arrays.fill(NATURAL_ALIGN, (byte) -1);
        mem(Opcodes.I32_LOAD, Opcodes.I32_LOAD, 2, I32);
        mem(Opcodes.I64_LOAD, Opcodes.I64_LOAD, 3, I64);
        mem(Opcodes.F32_LOAD, Opcodes.F32_LOAD, 2, F32);
        mem(Opcodes.F64_LOAD, Opcodes.F64_LOAD, 3, F64);
        mem(Opcodes.I32_LOAD8_S, Opcodes.I32_LOAD8_U, 0, I32);
        mem(Opcodes.I32_LOAD16_S, Opcodes.I32_LOAD16_U, 1, I32);
        mem(Opcodes.I64_LOAD8_S, Opcodes.I64_LOAD8_U, 0, I64);
        mem(Opcodes.I64_LOAD16_S, Opcodes.I64_LOAD16_U, 1, I64);
        mem(Opcodes.I64_LOAD32_S, Opcodes.I64_LOAD32_U, 2, I64);
        mem(Opcodes.I32_STORE, Opcodes.I32_STORE, 2, I32);
        mem(Opcodes.I64_STORE, Opcodes.I64_STORE, 3, I64);
        mem(Opcodes.F32_STORE, Opcodes.F32_STORE, 2, F32);
        mem(Opcodes.F64_STORE, Opcodes.F64_STORE, 3, F64);
        mem(Opcodes.I32_STORE8, Opcodes.I32_STORE8, 0, I32);
        mem(Opcodes.I32_STORE16, Opcodes.I32_STORE16, 1, I32);
        mem(Opcodes.I64_STORE8, Opcodes.I64_STORE8, 0, I64);
        mem(Opcodes.I64_STORE16, Opcodes.I64_STORE16, 1, I64);
        mem(Opcodes.I64_STORE32, Opcodes.I64_STORE32, 2, I64);
    }
}
