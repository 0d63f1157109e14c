package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;

import io.wasmudf.engine.ValType;
import org.objectweb.asm.MethodVisitor;

/** Boxing for multi-value results and {@code Global} accessor names, by value type. */
final class Boxing {
    private Boxing() {}

    private static String boxClass(ValType t) {
        switch (t) {
            case I32: return "java/lang/Integer";
            case I64: return "java/lang/Long";
            case F32: return "java/lang/Float";
            case F64: return "java/lang/Double";
            default: return null;
        }
    }

    static void box(MethodVisitor mv, ValType t) {
        String c = boxClass(t);
        if (c != null) {
            mv.visitMethodInsn(INVOKESTATIC, c, "valueOf", "(" + ModuleLayout.desc(t) + ")L" + c + ";", false);
        }
    }

    static void unbox(MethodVisitor mv, ValType t) {
        String c = boxClass(t);
        if (c != null) {
            mv.visitTypeInsn(CHECKCAST, c);
            String prim = t == ValType.I32 ? "int" : t == ValType.I64 ? "long" : t == ValType.F32 ? "float" : "double";
            mv.visitMethodInsn(INVOKEVIRTUAL, c, prim + "Value", "()" + ModuleLayout.desc(t), false);
        }
    }

    static String getter(ValType t) {
        switch (t) {
            case I32: return "getInt";
            case I64: return "getLong";
            case F32: return "getFloat";
            case F64: return "getDouble";
            default: return "getRef";
        }
    }

    static String setter(ValType t) {
        switch (t) {
            case I32: return "setInt";
            case I64: return "setLong";
            case F32: return "setFloat";
            case F64: return "setDouble";
            default: return "setRef";
        }
    }
}
