package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;
import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.MethodVisitor;

/**
 * Integer comparisons as JVM conditional jumps, for a comparison that directly feeds {@code br_if}
 * or {@code if}: one {@code if_icmpXX}, or {@code lcmp} / {@code compareUnsigned} and an
 * {@code ifXX}, instead of a 0/1 value and a test of it.
 */
final class CompareJumps {
    private CompareJumps() {}

    /** True for i32 and i64 comparisons (including {@code eqz}). */
    static boolean isFusable(int op) {
        return op >= I32_EQZ && op <= I64_GE_U;
    }

    /** How many operands {@code op} takes. */
    static int operands(int op) {
        return op == I32_EQZ || op == I64_EQZ ? 1 : 2;
    }

    /**
     * Emits what comparison {@code op} needs before its jump (nothing for signed i32) and returns
     * the jump opcode that is taken when the comparison holds.
     */
    static int emitCompare(MethodVisitor mv, int op) {
        switch (op) {
            case I32_EQZ: return IFEQ;
            case I32_EQ: return IF_ICMPEQ;
            case I32_NE: return IF_ICMPNE;
            case I32_LT_S: return IF_ICMPLT;
            case I32_GT_S: return IF_ICMPGT;
            case I32_LE_S: return IF_ICMPLE;
            case I32_GE_S: return IF_ICMPGE;
            case I32_LT_U: case I32_GT_U: case I32_LE_U: case I32_GE_U:
                // unsigned: compare against zero after Integer.compareUnsigned
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
                return op == I32_LT_U ? IFLT : op == I32_GT_U ? IFGT : op == I32_LE_U ? IFLE : IFGE;
            default:
                return emitLongCompare(mv, op);
        }
    }

    /** i64: {@code lcmp} (or {@code Long.compareUnsigned}) leaves an int to test against zero. */
    private static int emitLongCompare(MethodVisitor mv, int op) {
        if (op == I64_EQZ) {
            mv.visitInsn(LCONST_0);
        }
        if (op == I64_LT_U || op == I64_GT_U || op == I64_LE_U || op == I64_GE_U) {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
        } else {
            mv.visitInsn(LCMP);
        }
        switch (op) {
            case I64_EQZ: case I64_EQ: return IFEQ;
            case I64_NE: return IFNE;
            case I64_LT_S: case I64_LT_U: return IFLT;
            case I64_GT_S: case I64_GT_U: return IFGT;
            case I64_LE_S: case I64_LE_U: return IFLE;
            default: return IFGE;
        }
    }

    /** The jump taken exactly when {@code jump} is not. */
    static int negate(int jump) {
        switch (jump) {
            case IFEQ: return IFNE;
            case IFNE: return IFEQ;
            case IFLT: return IFGE;
            case IFGE: return IFLT;
            case IFGT: return IFLE;
            case IFLE: return IFGT;
            case IF_ICMPEQ: return IF_ICMPNE;
            case IF_ICMPNE: return IF_ICMPEQ;
            case IF_ICMPLT: return IF_ICMPGE;
            case IF_ICMPGE: return IF_ICMPLT;
            case IF_ICMPGT: return IF_ICMPLE;
            default: return IF_ICMPGT; // IF_ICMPLE
        }
    }
}
