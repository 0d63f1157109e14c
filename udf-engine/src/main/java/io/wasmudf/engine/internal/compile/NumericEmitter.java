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
    /** Call-free forms of some helpers (see {@link HelperFreeForms}), tried first. */
    private final HelperFreeForms helperFree;

    NumericEmitter(MethodVisitor mv, HelperFreeForms helperFree) {
        this.mv = mv;
        this.helperFree = helperFree;
    }

    /** One numeric instruction: a JVM instruction ({@code name == null}) or a static helper call, and its stack effect. */
    private static final class Form {
        final int jvmOp;
        final String owner;
        final String name;
        final String desc;
        final int pops;
        final ValType result;

        Form(int jvmOp, String owner, String name, String desc, int pops, ValType result) {
            this.jvmOp = jvmOp;
            this.owner = owner;
            this.name = name;
            this.desc = desc;
            this.pops = pops;
            this.result = result;
        }
    }

    private static final String OPS = FunctionCompiler.OPS;
    /** Forms by {@link #slot}: the one-byte opcodes, then the 0xFC00.. saturating truncations. */
    private static final Form[] FORMS = new Form[0x108];

    private static int slot(int op) {
        return op < 0x100 ? op : op - 0xFC00 + 0x100;
    }

    private static void insn(int op, int jvmOp, int pops, ValType result) {
        FORMS[slot(op)] = new Form(jvmOp, null, null, null, pops, result);
    }

    private static void call(int op, String owner, String name, String desc, int pops, ValType result) {
        FORMS[slot(op)] = new Form(0, owner, name, desc, pops, result);
    }

    // a table rather than a switch: the emitter stays a few bytes of bytecode, which the JIT
    // compiles at once, instead of a 3 KB switch that runs interpreted or profiled for longer
    static {
        call(0x45, OPS, "i32Eqz", "(I)I", 1, ValType.I32);
        call(0x46, OPS, "i32Eq", "(II)I", 2, ValType.I32);
        call(0x47, OPS, "i32Ne", "(II)I", 2, ValType.I32);
        call(0x48, OPS, "i32LtS", "(II)I", 2, ValType.I32);
        call(0x49, OPS, "i32LtU", "(II)I", 2, ValType.I32);
        call(0x4A, OPS, "i32GtS", "(II)I", 2, ValType.I32);
        call(0x4B, OPS, "i32GtU", "(II)I", 2, ValType.I32);
        call(0x4C, OPS, "i32LeS", "(II)I", 2, ValType.I32);
        call(0x4D, OPS, "i32LeU", "(II)I", 2, ValType.I32);
        call(0x4E, OPS, "i32GeS", "(II)I", 2, ValType.I32);
        call(0x4F, OPS, "i32GeU", "(II)I", 2, ValType.I32);
        call(0x50, OPS, "i64Eqz", "(J)I", 1, ValType.I32);
        call(0x51, OPS, "i64Eq", "(JJ)I", 2, ValType.I32);
        call(0x52, OPS, "i64Ne", "(JJ)I", 2, ValType.I32);
        call(0x53, OPS, "i64LtS", "(JJ)I", 2, ValType.I32);
        call(0x54, OPS, "i64LtU", "(JJ)I", 2, ValType.I32);
        call(0x55, OPS, "i64GtS", "(JJ)I", 2, ValType.I32);
        call(0x56, OPS, "i64GtU", "(JJ)I", 2, ValType.I32);
        call(0x57, OPS, "i64LeS", "(JJ)I", 2, ValType.I32);
        call(0x58, OPS, "i64LeU", "(JJ)I", 2, ValType.I32);
        call(0x59, OPS, "i64GeS", "(JJ)I", 2, ValType.I32);
        call(0x5A, OPS, "i64GeU", "(JJ)I", 2, ValType.I32);
        call(0x5B, OPS, "f32Eq", "(FF)I", 2, ValType.I32);
        call(0x5C, OPS, "f32Ne", "(FF)I", 2, ValType.I32);
        call(0x5D, OPS, "f32Lt", "(FF)I", 2, ValType.I32);
        call(0x5E, OPS, "f32Gt", "(FF)I", 2, ValType.I32);
        call(0x5F, OPS, "f32Le", "(FF)I", 2, ValType.I32);
        call(0x60, OPS, "f32Ge", "(FF)I", 2, ValType.I32);
        call(0x61, OPS, "f64Eq", "(DD)I", 2, ValType.I32);
        call(0x62, OPS, "f64Ne", "(DD)I", 2, ValType.I32);
        call(0x63, OPS, "f64Lt", "(DD)I", 2, ValType.I32);
        call(0x64, OPS, "f64Gt", "(DD)I", 2, ValType.I32);
        call(0x65, OPS, "f64Le", "(DD)I", 2, ValType.I32);
        call(0x66, OPS, "f64Ge", "(DD)I", 2, ValType.I32);
        call(0x67, "java/lang/Integer", "numberOfLeadingZeros", "(I)I", 1, ValType.I32);
        call(0x68, "java/lang/Integer", "numberOfTrailingZeros", "(I)I", 1, ValType.I32);
        call(0x69, "java/lang/Integer", "bitCount", "(I)I", 1, ValType.I32);
        insn(0x6A, Opcodes.IADD, 2, ValType.I32);
        insn(0x6B, Opcodes.ISUB, 2, ValType.I32);
        insn(0x6C, Opcodes.IMUL, 2, ValType.I32);
        call(0x6D, OPS, "i32DivS", "(II)I", 2, ValType.I32);
        call(0x6E, "java/lang/Integer", "divideUnsigned", "(II)I", 2, ValType.I32);
        insn(0x6F, Opcodes.IREM, 2, ValType.I32);
        call(0x70, "java/lang/Integer", "remainderUnsigned", "(II)I", 2, ValType.I32);
        insn(0x71, Opcodes.IAND, 2, ValType.I32);
        insn(0x72, Opcodes.IOR, 2, ValType.I32);
        insn(0x73, Opcodes.IXOR, 2, ValType.I32);
        insn(0x74, Opcodes.ISHL, 2, ValType.I32);
        insn(0x75, Opcodes.ISHR, 2, ValType.I32);
        insn(0x76, Opcodes.IUSHR, 2, ValType.I32);
        call(0x77, "java/lang/Integer", "rotateLeft", "(II)I", 2, ValType.I32);
        call(0x78, "java/lang/Integer", "rotateRight", "(II)I", 2, ValType.I32);
        call(0x79, OPS, "i64Clz", "(J)J", 1, ValType.I64);
        call(0x7A, OPS, "i64Ctz", "(J)J", 1, ValType.I64);
        call(0x7B, OPS, "i64Popcnt", "(J)J", 1, ValType.I64);
        insn(0x7C, Opcodes.LADD, 2, ValType.I64);
        insn(0x7D, Opcodes.LSUB, 2, ValType.I64);
        insn(0x7E, Opcodes.LMUL, 2, ValType.I64);
        call(0x7F, OPS, "i64DivS", "(JJ)J", 2, ValType.I64);
        call(0x80, "java/lang/Long", "divideUnsigned", "(JJ)J", 2, ValType.I64);
        insn(0x81, Opcodes.LREM, 2, ValType.I64);
        call(0x82, "java/lang/Long", "remainderUnsigned", "(JJ)J", 2, ValType.I64);
        insn(0x83, Opcodes.LAND, 2, ValType.I64);
        insn(0x84, Opcodes.LOR, 2, ValType.I64);
        insn(0x85, Opcodes.LXOR, 2, ValType.I64);
        call(0x86, OPS, "i64Shl", "(JJ)J", 2, ValType.I64);
        call(0x87, OPS, "i64ShrS", "(JJ)J", 2, ValType.I64);
        call(0x88, OPS, "i64ShrU", "(JJ)J", 2, ValType.I64);
        call(0x89, OPS, "i64Rotl", "(JJ)J", 2, ValType.I64);
        call(0x8A, OPS, "i64Rotr", "(JJ)J", 2, ValType.I64);
        call(0x8B, OPS, "f32Abs", "(F)F", 1, ValType.F32);
        call(0x8C, OPS, "f32Neg", "(F)F", 1, ValType.F32);
        call(0x8D, OPS, "f32Ceil", "(F)F", 1, ValType.F32);
        call(0x8E, OPS, "f32Floor", "(F)F", 1, ValType.F32);
        call(0x8F, OPS, "f32Trunc", "(F)F", 1, ValType.F32);
        call(0x90, OPS, "f32Nearest", "(F)F", 1, ValType.F32);
        call(0x91, OPS, "f32Sqrt", "(F)F", 1, ValType.F32);
        insn(0x92, Opcodes.FADD, 2, ValType.F32);
        insn(0x93, Opcodes.FSUB, 2, ValType.F32);
        insn(0x94, Opcodes.FMUL, 2, ValType.F32);
        insn(0x95, Opcodes.FDIV, 2, ValType.F32);
        call(0x96, OPS, "f32Min", "(FF)F", 2, ValType.F32);
        call(0x97, OPS, "f32Max", "(FF)F", 2, ValType.F32);
        call(0x98, OPS, "f32Copysign", "(FF)F", 2, ValType.F32);
        call(0x99, OPS, "f64Abs", "(D)D", 1, ValType.F64);
        call(0x9A, OPS, "f64Neg", "(D)D", 1, ValType.F64);
        call(0x9B, OPS, "f64Ceil", "(D)D", 1, ValType.F64);
        call(0x9C, OPS, "f64Floor", "(D)D", 1, ValType.F64);
        call(0x9D, OPS, "f64Trunc", "(D)D", 1, ValType.F64);
        call(0x9E, OPS, "f64Nearest", "(D)D", 1, ValType.F64);
        call(0x9F, "java/lang/Math", "sqrt", "(D)D", 1, ValType.F64);
        insn(0xA0, Opcodes.DADD, 2, ValType.F64);
        insn(0xA1, Opcodes.DSUB, 2, ValType.F64);
        insn(0xA2, Opcodes.DMUL, 2, ValType.F64);
        insn(0xA3, Opcodes.DDIV, 2, ValType.F64);
        call(0xA4, OPS, "f64Min", "(DD)D", 2, ValType.F64);
        call(0xA5, OPS, "f64Max", "(DD)D", 2, ValType.F64);
        call(0xA6, OPS, "f64Copysign", "(DD)D", 2, ValType.F64);
        insn(0xA7, Opcodes.L2I, 1, ValType.I32);
        call(0xA8, OPS, "i32TruncF32S", "(F)I", 1, ValType.I32);
        call(0xA9, OPS, "i32TruncF32U", "(F)I", 1, ValType.I32);
        call(0xAA, OPS, "i32TruncF64S", "(D)I", 1, ValType.I32);
        call(0xAB, OPS, "i32TruncF64U", "(D)I", 1, ValType.I32);
        insn(0xAC, Opcodes.I2L, 1, ValType.I64);
        call(0xAD, "java/lang/Integer", "toUnsignedLong", "(I)J", 1, ValType.I64);
        call(0xAE, OPS, "i64TruncF32S", "(F)J", 1, ValType.I64);
        call(0xAF, OPS, "i64TruncF32U", "(F)J", 1, ValType.I64);
        call(0xB0, OPS, "i64TruncF64S", "(D)J", 1, ValType.I64);
        call(0xB1, OPS, "i64TruncF64U", "(D)J", 1, ValType.I64);
        insn(0xB2, Opcodes.I2F, 1, ValType.F32);
        call(0xB3, OPS, "f32ConvertI32U", "(I)F", 1, ValType.F32);
        insn(0xB4, Opcodes.L2F, 1, ValType.F32);
        call(0xB5, OPS, "f32ConvertI64U", "(J)F", 1, ValType.F32);
        insn(0xB6, Opcodes.D2F, 1, ValType.F32);
        insn(0xB7, Opcodes.I2D, 1, ValType.F64);
        call(0xB8, OPS, "f64ConvertI32U", "(I)D", 1, ValType.F64);
        insn(0xB9, Opcodes.L2D, 1, ValType.F64);
        call(0xBA, OPS, "f64ConvertI64U", "(J)D", 1, ValType.F64);
        insn(0xBB, Opcodes.F2D, 1, ValType.F64);
        call(0xBC, "java/lang/Float", "floatToRawIntBits", "(F)I", 1, ValType.I32);
        call(0xBD, "java/lang/Double", "doubleToRawLongBits", "(D)J", 1, ValType.I64);
        call(0xBE, "java/lang/Float", "intBitsToFloat", "(I)F", 1, ValType.F32);
        call(0xBF, "java/lang/Double", "longBitsToDouble", "(J)D", 1, ValType.F64);
        insn(0xC0, Opcodes.I2B, 1, ValType.I32);
        insn(0xC1, Opcodes.I2S, 1, ValType.I32);
        call(0xC2, OPS, "i64Extend8S", "(J)J", 1, ValType.I64);
        call(0xC3, OPS, "i64Extend16S", "(J)J", 1, ValType.I64);
        call(0xC4, OPS, "i64Extend32S", "(J)J", 1, ValType.I64);
        insn(0xFC00, Opcodes.F2I, 1, ValType.I32);
        call(0xFC01, OPS, "i32TruncSatF32U", "(F)I", 1, ValType.I32);
        insn(0xFC02, Opcodes.D2I, 1, ValType.I32);
        call(0xFC03, OPS, "i32TruncSatF64U", "(D)I", 1, ValType.I32);
        insn(0xFC04, Opcodes.F2L, 1, ValType.I64);
        call(0xFC05, OPS, "i64TruncSatF32U", "(F)J", 1, ValType.I64);
        insn(0xFC06, Opcodes.D2L, 1, ValType.I64);
        call(0xFC07, OPS, "i64TruncSatF64U", "(D)J", 1, ValType.I64);
    }

    /** Emits numeric instruction {@code op} (followed by opcode {@code next}, or -1), updating the shadow type stack. */
    void emit(int op, int next, List<ValType> stack) {
        if (helperFree.emit(op, next, stack)) {
            return;
        }
        int k = slot(op);
        Form f = k >= 0 && k < FORMS.length ? FORMS[k] : null;
        if (f == null) {
            throw new IllegalStateException("no code generator for opcode " + io.wasmudf.engine.internal.model.Opcodes.name(op));
        }
        if (f.name == null) {
            mv.visitInsn(f.jvmOp);
        } else {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, f.owner, f.name, f.desc, false);
        }
        for (int i = 0; i < f.pops; i++) {
            stack.remove(stack.size() - 1);
        }
        stack.add(f.result);
    }

    private static final String[] SELECT_NAMES = new String[ValType.values().length];
    private static final String[] SELECT_DESCS = new String[ValType.values().length];

    static {
        for (ValType t : ValType.values()) {
            String d = ModuleLayout.desc(t);
            SELECT_NAMES[t.ordinal()] = "select" + switch (t) {
                case I32 -> "I";
                case I64 -> "J";
                case F32 -> "F";
                case F64 -> "D";
                default -> "A";
            };
            SELECT_DESCS[t.ordinal()] = "(" + d + d + "I)" + d;
        }
    }

    /** Emits {@code select} (either form): the operand type comes from the shadow stack. */
    void emitSelect(List<ValType> stack) {
        if (helperFree.emitSelect(stack)) {
            return;
        }
        stack.remove(stack.size() - 1);
        ValType t = stack.remove(stack.size() - 1);
        stack.remove(stack.size() - 1);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, SELECT_NAMES[t.ordinal()], SELECT_DESCS[t.ordinal()], false);
        stack.add(t);
    }
}
