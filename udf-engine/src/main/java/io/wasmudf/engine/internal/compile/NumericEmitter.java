package io.wasmudf.engine.internal.compile;

import io.wasmudf.engine.ValType;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Emits the numeric instructions (comparisons, arithmetic, conversions): each becomes one JVM
 * instruction where the JVM's semantics match Wasm's exactly, otherwise a call to a small static
 * helper. Generated from a table; see the comments on each helper for the Wasm corner cases.
 */
final class NumericEmitter {
    private final MethodVisitor mv;

    NumericEmitter(MethodVisitor mv) {
        this.mv = mv;
    }

    private void insn(int op, List<ValType> stack, int pops, ValType result) {
        mv.visitInsn(op);
        finish(stack, pops, result);
    }

    private void call(String owner, String name, String desc, List<ValType> stack, int pops, ValType result) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, name, desc, false);
        finish(stack, pops, result);
    }

    private static void finish(List<ValType> stack, int pops, ValType result) {
        for (int i = 0; i < pops; i++) {
            stack.remove(stack.size() - 1);
        }
        stack.add(result);
    }

    /** Emits numeric instruction {@code op}, updating the shadow type stack. */
    void emit(int op, List<ValType> stack) {
        final String ops = FunctionCompiler.OPS;
        switch (op) {
            case 0x45: call(ops, "i32Eqz", "(I)I", stack, 1, ValType.I32); return;
            case 0x46: call(ops, "i32Eq", "(II)I", stack, 2, ValType.I32); return;
            case 0x47: call(ops, "i32Ne", "(II)I", stack, 2, ValType.I32); return;
            case 0x48: call(ops, "i32LtS", "(II)I", stack, 2, ValType.I32); return;
            case 0x49: call(ops, "i32LtU", "(II)I", stack, 2, ValType.I32); return;
            case 0x4A: call(ops, "i32GtS", "(II)I", stack, 2, ValType.I32); return;
            case 0x4B: call(ops, "i32GtU", "(II)I", stack, 2, ValType.I32); return;
            case 0x4C: call(ops, "i32LeS", "(II)I", stack, 2, ValType.I32); return;
            case 0x4D: call(ops, "i32LeU", "(II)I", stack, 2, ValType.I32); return;
            case 0x4E: call(ops, "i32GeS", "(II)I", stack, 2, ValType.I32); return;
            case 0x4F: call(ops, "i32GeU", "(II)I", stack, 2, ValType.I32); return;
            case 0x50: call(ops, "i64Eqz", "(J)I", stack, 1, ValType.I32); return;
            case 0x51: call(ops, "i64Eq", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x52: call(ops, "i64Ne", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x53: call(ops, "i64LtS", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x54: call(ops, "i64LtU", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x55: call(ops, "i64GtS", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x56: call(ops, "i64GtU", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x57: call(ops, "i64LeS", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x58: call(ops, "i64LeU", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x59: call(ops, "i64GeS", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x5A: call(ops, "i64GeU", "(JJ)I", stack, 2, ValType.I32); return;
            case 0x5B: call(ops, "f32Eq", "(FF)I", stack, 2, ValType.I32); return;
            case 0x5C: call(ops, "f32Ne", "(FF)I", stack, 2, ValType.I32); return;
            case 0x5D: call(ops, "f32Lt", "(FF)I", stack, 2, ValType.I32); return;
            case 0x5E: call(ops, "f32Gt", "(FF)I", stack, 2, ValType.I32); return;
            case 0x5F: call(ops, "f32Le", "(FF)I", stack, 2, ValType.I32); return;
            case 0x60: call(ops, "f32Ge", "(FF)I", stack, 2, ValType.I32); return;
            case 0x61: call(ops, "f64Eq", "(DD)I", stack, 2, ValType.I32); return;
            case 0x62: call(ops, "f64Ne", "(DD)I", stack, 2, ValType.I32); return;
            case 0x63: call(ops, "f64Lt", "(DD)I", stack, 2, ValType.I32); return;
            case 0x64: call(ops, "f64Gt", "(DD)I", stack, 2, ValType.I32); return;
            case 0x65: call(ops, "f64Le", "(DD)I", stack, 2, ValType.I32); return;
            case 0x66: call(ops, "f64Ge", "(DD)I", stack, 2, ValType.I32); return;
            case 0x67: call("java/lang/Integer", "numberOfLeadingZeros", "(I)I", stack, 1, ValType.I32); return;
            case 0x68: call("java/lang/Integer", "numberOfTrailingZeros", "(I)I", stack, 1, ValType.I32); return;
            case 0x69: call("java/lang/Integer", "bitCount", "(I)I", stack, 1, ValType.I32); return;
            case 0x6A: insn(Opcodes.IADD, stack, 2, ValType.I32); return;
            case 0x6B: insn(Opcodes.ISUB, stack, 2, ValType.I32); return;
            case 0x6C: insn(Opcodes.IMUL, stack, 2, ValType.I32); return;
            case 0x6D: call(ops, "i32DivS", "(II)I", stack, 2, ValType.I32); return;
            case 0x6E: call("java/lang/Integer", "divideUnsigned", "(II)I", stack, 2, ValType.I32); return;
            case 0x6F: insn(Opcodes.IREM, stack, 2, ValType.I32); return;
            case 0x70: call("java/lang/Integer", "remainderUnsigned", "(II)I", stack, 2, ValType.I32); return;
            case 0x71: insn(Opcodes.IAND, stack, 2, ValType.I32); return;
            case 0x72: insn(Opcodes.IOR, stack, 2, ValType.I32); return;
            case 0x73: insn(Opcodes.IXOR, stack, 2, ValType.I32); return;
            case 0x74: insn(Opcodes.ISHL, stack, 2, ValType.I32); return;
            case 0x75: insn(Opcodes.ISHR, stack, 2, ValType.I32); return;
            case 0x76: insn(Opcodes.IUSHR, stack, 2, ValType.I32); return;
            case 0x77: call("java/lang/Integer", "rotateLeft", "(II)I", stack, 2, ValType.I32); return;
            case 0x78: call("java/lang/Integer", "rotateRight", "(II)I", stack, 2, ValType.I32); return;
            case 0x79: call(ops, "i64Clz", "(J)J", stack, 1, ValType.I64); return;
            case 0x7A: call(ops, "i64Ctz", "(J)J", stack, 1, ValType.I64); return;
            case 0x7B: call(ops, "i64Popcnt", "(J)J", stack, 1, ValType.I64); return;
            case 0x7C: insn(Opcodes.LADD, stack, 2, ValType.I64); return;
            case 0x7D: insn(Opcodes.LSUB, stack, 2, ValType.I64); return;
            case 0x7E: insn(Opcodes.LMUL, stack, 2, ValType.I64); return;
            case 0x7F: call(ops, "i64DivS", "(JJ)J", stack, 2, ValType.I64); return;
            case 0x80: call("java/lang/Long", "divideUnsigned", "(JJ)J", stack, 2, ValType.I64); return;
            case 0x81: insn(Opcodes.LREM, stack, 2, ValType.I64); return;
            case 0x82: call("java/lang/Long", "remainderUnsigned", "(JJ)J", stack, 2, ValType.I64); return;
            case 0x83: insn(Opcodes.LAND, stack, 2, ValType.I64); return;
            case 0x84: insn(Opcodes.LOR, stack, 2, ValType.I64); return;
            case 0x85: insn(Opcodes.LXOR, stack, 2, ValType.I64); return;
            case 0x86: call(ops, "i64Shl", "(JJ)J", stack, 2, ValType.I64); return;
            case 0x87: call(ops, "i64ShrS", "(JJ)J", stack, 2, ValType.I64); return;
            case 0x88: call(ops, "i64ShrU", "(JJ)J", stack, 2, ValType.I64); return;
            case 0x89: call(ops, "i64Rotl", "(JJ)J", stack, 2, ValType.I64); return;
            case 0x8A: call(ops, "i64Rotr", "(JJ)J", stack, 2, ValType.I64); return;
            case 0x8B: call(ops, "f32Abs", "(F)F", stack, 1, ValType.F32); return;
            case 0x8C: call(ops, "f32Neg", "(F)F", stack, 1, ValType.F32); return;
            case 0x8D: call(ops, "f32Ceil", "(F)F", stack, 1, ValType.F32); return;
            case 0x8E: call(ops, "f32Floor", "(F)F", stack, 1, ValType.F32); return;
            case 0x8F: call(ops, "f32Trunc", "(F)F", stack, 1, ValType.F32); return;
            case 0x90: call(ops, "f32Nearest", "(F)F", stack, 1, ValType.F32); return;
            case 0x91: call(ops, "f32Sqrt", "(F)F", stack, 1, ValType.F32); return;
            case 0x92: insn(Opcodes.FADD, stack, 2, ValType.F32); return;
            case 0x93: insn(Opcodes.FSUB, stack, 2, ValType.F32); return;
            case 0x94: insn(Opcodes.FMUL, stack, 2, ValType.F32); return;
            case 0x95: insn(Opcodes.FDIV, stack, 2, ValType.F32); return;
            case 0x96: call(ops, "f32Min", "(FF)F", stack, 2, ValType.F32); return;
            case 0x97: call(ops, "f32Max", "(FF)F", stack, 2, ValType.F32); return;
            case 0x98: call(ops, "f32Copysign", "(FF)F", stack, 2, ValType.F32); return;
            case 0x99: call(ops, "f64Abs", "(D)D", stack, 1, ValType.F64); return;
            case 0x9A: call(ops, "f64Neg", "(D)D", stack, 1, ValType.F64); return;
            case 0x9B: call(ops, "f64Ceil", "(D)D", stack, 1, ValType.F64); return;
            case 0x9C: call(ops, "f64Floor", "(D)D", stack, 1, ValType.F64); return;
            case 0x9D: call(ops, "f64Trunc", "(D)D", stack, 1, ValType.F64); return;
            case 0x9E: call(ops, "f64Nearest", "(D)D", stack, 1, ValType.F64); return;
            case 0x9F: call("java/lang/Math", "sqrt", "(D)D", stack, 1, ValType.F64); return;
            case 0xA0: insn(Opcodes.DADD, stack, 2, ValType.F64); return;
            case 0xA1: insn(Opcodes.DSUB, stack, 2, ValType.F64); return;
            case 0xA2: insn(Opcodes.DMUL, stack, 2, ValType.F64); return;
            case 0xA3: insn(Opcodes.DDIV, stack, 2, ValType.F64); return;
            case 0xA4: call(ops, "f64Min", "(DD)D", stack, 2, ValType.F64); return;
            case 0xA5: call(ops, "f64Max", "(DD)D", stack, 2, ValType.F64); return;
            case 0xA6: call(ops, "f64Copysign", "(DD)D", stack, 2, ValType.F64); return;
            case 0xA7: insn(Opcodes.L2I, stack, 1, ValType.I32); return;
            case 0xA8: call(ops, "i32TruncF32S", "(F)I", stack, 1, ValType.I32); return;
            case 0xA9: call(ops, "i32TruncF32U", "(F)I", stack, 1, ValType.I32); return;
            case 0xAA: call(ops, "i32TruncF64S", "(D)I", stack, 1, ValType.I32); return;
            case 0xAB: call(ops, "i32TruncF64U", "(D)I", stack, 1, ValType.I32); return;
            case 0xAC: insn(Opcodes.I2L, stack, 1, ValType.I64); return;
            case 0xAD: call("java/lang/Integer", "toUnsignedLong", "(I)J", stack, 1, ValType.I64); return;
            case 0xAE: call(ops, "i64TruncF32S", "(F)J", stack, 1, ValType.I64); return;
            case 0xAF: call(ops, "i64TruncF32U", "(F)J", stack, 1, ValType.I64); return;
            case 0xB0: call(ops, "i64TruncF64S", "(D)J", stack, 1, ValType.I64); return;
            case 0xB1: call(ops, "i64TruncF64U", "(D)J", stack, 1, ValType.I64); return;
            case 0xB2: insn(Opcodes.I2F, stack, 1, ValType.F32); return;
            case 0xB3: call(ops, "f32ConvertI32U", "(I)F", stack, 1, ValType.F32); return;
            case 0xB4: insn(Opcodes.L2F, stack, 1, ValType.F32); return;
            case 0xB5: call(ops, "f32ConvertI64U", "(J)F", stack, 1, ValType.F32); return;
            case 0xB6: insn(Opcodes.D2F, stack, 1, ValType.F32); return;
            case 0xB7: insn(Opcodes.I2D, stack, 1, ValType.F64); return;
            case 0xB8: call(ops, "f64ConvertI32U", "(I)D", stack, 1, ValType.F64); return;
            case 0xB9: insn(Opcodes.L2D, stack, 1, ValType.F64); return;
            case 0xBA: call(ops, "f64ConvertI64U", "(J)D", stack, 1, ValType.F64); return;
            case 0xBB: insn(Opcodes.F2D, stack, 1, ValType.F64); return;
            case 0xBC: call("java/lang/Float", "floatToRawIntBits", "(F)I", stack, 1, ValType.I32); return;
            case 0xBD: call("java/lang/Double", "doubleToRawLongBits", "(D)J", stack, 1, ValType.I64); return;
            case 0xBE: call("java/lang/Float", "intBitsToFloat", "(I)F", stack, 1, ValType.F32); return;
            case 0xBF: call("java/lang/Double", "longBitsToDouble", "(J)D", stack, 1, ValType.F64); return;
            case 0xC0: insn(Opcodes.I2B, stack, 1, ValType.I32); return;
            case 0xC1: insn(Opcodes.I2S, stack, 1, ValType.I32); return;
            case 0xC2: call(ops, "i64Extend8S", "(J)J", stack, 1, ValType.I64); return;
            case 0xC3: call(ops, "i64Extend16S", "(J)J", stack, 1, ValType.I64); return;
            case 0xC4: call(ops, "i64Extend32S", "(J)J", stack, 1, ValType.I64); return;
            case 0xFC00: insn(Opcodes.F2I, stack, 1, ValType.I32); return;
            case 0xFC01: call(ops, "i32TruncSatF32U", "(F)I", stack, 1, ValType.I32); return;
            case 0xFC02: insn(Opcodes.D2I, stack, 1, ValType.I32); return;
            case 0xFC03: call(ops, "i32TruncSatF64U", "(D)I", stack, 1, ValType.I32); return;
            case 0xFC04: insn(Opcodes.F2L, stack, 1, ValType.I64); return;
            case 0xFC05: call(ops, "i64TruncSatF32U", "(F)J", stack, 1, ValType.I64); return;
            case 0xFC06: insn(Opcodes.D2L, stack, 1, ValType.I64); return;
            case 0xFC07: call(ops, "i64TruncSatF64U", "(D)J", stack, 1, ValType.I64); return;
            default:
                throw new IllegalStateException("no code generator for opcode " + io.wasmudf.engine.internal.model.Opcodes.name(op));
        }
    }
}
