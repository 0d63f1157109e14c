package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
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

    /** Packs the top {@code results.size()} stack values into an {@code Object[]}, using slots from {@code firstTemp}. */
    static void boxResults(MethodVisitor mv, java.util.List<ValType> results, int firstTemp) {
        int n = results.size();
        int[] slots = new int[n];
        int next = firstTemp;
        for (int i = n - 1; i >= 0; i--) {
            slots[i] = next;
            next += JvmInsns.size(results.get(i));
            mv.visitVarInsn(JvmInsns.storeOp(results.get(i)), slots[i]);
        }
        JvmInsns.pushInt(mv, n);
        mv.visitTypeInsn(ANEWARRAY, "java/lang/Object");
        for (int i = 0; i < n; i++) {
            mv.visitInsn(DUP);
            JvmInsns.pushInt(mv, i);
            mv.visitVarInsn(JvmInsns.loadOp(results.get(i)), slots[i]);
            box(mv, results.get(i));
            mv.visitInsn(AASTORE);
        }
    }

    /** Replaces an {@code Object[]} on the stack by its unboxed elements, using slot {@code temp}. */
    static void unboxResults(MethodVisitor mv, java.util.List<ValType> results, int temp) {
        mv.visitVarInsn(ASTORE, temp);
        for (int i = 0; i < results.size(); i++) {
            mv.visitVarInsn(ALOAD, temp);
            JvmInsns.pushInt(mv, i);
            mv.visitInsn(AALOAD);
            unbox(mv, results.get(i));
        }
    }
}
