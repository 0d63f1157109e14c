package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import org.objectweb.asm.MethodVisitor;

/** Shared JVM instruction choices: constants, and load/store/return opcodes by value type. */
final class JvmInsns {
    private JvmInsns() {}

    static void pushInt(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    static void pushLong(MethodVisitor mv, long v) {
        if (v == 0 || v == 1) {
            mv.visitInsn(LCONST_0 + (int) v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    static void pushZero(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32: mv.visitInsn(ICONST_0); break;
            case I64: mv.visitInsn(LCONST_0); break;
            case F32: mv.visitInsn(FCONST_0); break;
            case F64: mv.visitInsn(DCONST_0); break;
            case V128: mv.visitFieldInsn(GETSTATIC, "io/wasmudf/engine/V128", "ZERO", "Lio/wasmudf/engine/V128;"); break;
            default: mv.visitInsn(ACONST_NULL);
        }
    }

    static int loadOp(ValType t) {
        switch (t) {
            case I32: return ILOAD;
            case I64: return LLOAD;
            case F32: return FLOAD;
            case F64: return DLOAD;
            default: return ALOAD;
        }
    }

    static int storeOp(ValType t) {
        switch (t) {
            case I32: return ISTORE;
            case I64: return LSTORE;
            case F32: return FSTORE;
            case F64: return DSTORE;
            default: return ASTORE;
        }
    }

    static int returnOp(ValType t) {
        switch (t) {
            case I32: return IRETURN;
            case I64: return LRETURN;
            case F32: return FRETURN;
            case F64: return DRETURN;
            default: return ARETURN;
        }
    }

    /** JVM local slots (and stack words) a value of type {@code t} takes. */
    static int size(ValType t) {
        return t == ValType.I64 || t == ValType.F64 ? 2 : 1;
    }
}
