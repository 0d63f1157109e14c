package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits {@code global.get/set}: a typed field of the generated class for a private global, or the
 * accessors of its shared {@code Global} cell for an imported or exported one.
 */
final class GlobalEmitter {
    private static final String[] GETTER_DESCS = new String[ValType.values().length];
    private static final String[] SETTER_DESCS = new String[ValType.values().length];

    static {
        for (ValType t : ValType.values()) {
            GETTER_DESCS[t.ordinal()] = "()" + ModuleLayout.desc(t);
            SETTER_DESCS[t.ordinal()] = "(" + ModuleLayout.desc(t) + ")V";
        }
    }

    private final ModuleLayout layout;
    private final MethodVisitor mv;
    private final int selfSlot;

    GlobalEmitter(ModuleLayout layout, MethodVisitor mv, int selfSlot) {
        this.layout = layout;
        this.mv = mv;
        this.selfSlot = selfSlot;
    }

    /** Pushes global {@code index}; returns its type. */
    ValType get(int index) {
        ValType t = layout.globalTypes.get(index).type();
        mv.visitVarInsn(ALOAD, selfSlot);
        if (layout.globalIsCell[index]) {
            mv.visitFieldInsn(GETFIELD, layout.className, layout.globalNames[index], layout.globalDescs[index]);
            mv.visitMethodInsn(INVOKEVIRTUAL, ModuleLayout.GLOBAL, Boxing.getter(t), GETTER_DESCS[t.ordinal()], false);
        } else {
            mv.visitFieldInsn(GETFIELD, layout.className, layout.globalNames[index], layout.globalDescs[index]);
        }
        return t;
    }

    /** Stores the {@code t} on the stack into global {@code index}, using slot {@code temp}. */
    void set(int index, ValType t, int temp) {
        mv.visitVarInsn(JvmInsns.storeOp(t), temp);
        mv.visitVarInsn(ALOAD, selfSlot);
        if (layout.globalIsCell[index]) {
            mv.visitFieldInsn(GETFIELD, layout.className, layout.globalNames[index], layout.globalDescs[index]);
            mv.visitVarInsn(JvmInsns.loadOp(t), temp);
            mv.visitMethodInsn(INVOKEVIRTUAL, ModuleLayout.GLOBAL, Boxing.setter(t), SETTER_DESCS[t.ordinal()], false);
        } else {
            mv.visitVarInsn(JvmInsns.loadOp(t), temp);
            mv.visitFieldInsn(PUTFIELD, layout.className, layout.globalNames[index], layout.globalDescs[index]);
        }
    }
}
