package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;
import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.MethodVisitor;

/**
 * Integer comparisons as JVM conditional jumps, for a comparison that directly feeds {@code br_if}
 * or {@code if}: one {@code if_icmpXX}, or {@code lcmp} and an {@code ifXX}
 * (unsigned ones on operands biased by 2^31 or 2^63), instead of a 0/1 value and a test of it.
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
                // unsigned as signed after adding 2^31 to both sides: [a, b] -> [b', a'] (b first,
                // so one swap suffices), hence the mirrored jump. C2 then sees a plain CmpI feeding
                // the branch; Integer.compareUnsigned left a -1/0/1 value that JDK 17 materialises
                // inside loops (or, at cold sites, a call that is not inlined)
                mv.visitLdcInsn(Integer.MIN_VALUE);
                mv.visitInsn(IADD);
                mv.visitInsn(SWAP);
                mv.visitLdcInsn(Integer.MIN_VALUE);
                mv.visitInsn(IADD);
                return op == I32_LT_U ? IF_ICMPGT : op == I32_GT_U ? IF_ICMPLT : op == I32_LE_U ? IF_ICMPGE : IF_ICMPLE;
            default:
                return emitLongCompare(mv, op);
        }
    }

    /** i64: {@code lcmp} leaves an int to test against zero. */
    private static int emitLongCompare(MethodVisitor mv, int op) {
        if (op == I64_EQZ) {
            mv.visitInsn(LCONST_0);
        }
        if (op == I64_LT_U || op == I64_GT_U || op == I64_LE_U || op == I64_GE_U) {
            // as for i32: [a, b] -> [b + 2^63, a + 2^63] (dup2_x2 + pop2 is the swap of two longs),
            // then lcmp and the mirrored test, which C2 parses into one CmpL feeding the branch
            mv.visitLdcInsn(Long.MIN_VALUE);
            mv.visitInsn(LADD);
            mv.visitInsn(DUP2_X2);
            mv.visitInsn(POP2);
            mv.visitLdcInsn(Long.MIN_VALUE);
            mv.visitInsn(LADD);
            mv.visitInsn(LCMP);
            return op == I64_LT_U ? IFGT : op == I64_GT_U ? IFLT : op == I64_LE_U ? IFGE : IFLE;
        }
        mv.visitInsn(LCMP);
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
