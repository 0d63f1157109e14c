package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits {@code global.get/set}: a typed field of the generated class for a private global, or the
 * accessors of its shared {@code Global} cell for an imported or exported one.
 */
final class GlobalEmitter {
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
            mv.visitFieldInsn(GETFIELD, layout.className, ModuleLayout.globalField(index), "L" + ModuleLayout.GLOBAL + ";");
            mv.visitMethodInsn(INVOKEVIRTUAL, ModuleLayout.GLOBAL, Boxing.getter(t), "()" + ModuleLayout.desc(t), false);
        } else {
            mv.visitFieldInsn(GETFIELD, layout.className, ModuleLayout.globalField(index), ModuleLayout.desc(t));
        }
        return t;
    }

    /** Stores the {@code t} on the stack into global {@code index}, using slot {@code temp}. */
    void set(int index, ValType t, int temp) {
        mv.visitVarInsn(JvmInsns.storeOp(t), temp);
        mv.visitVarInsn(ALOAD, selfSlot);
        if (layout.globalIsCell[index]) {
            mv.visitFieldInsn(GETFIELD, layout.className, ModuleLayout.globalField(index), "L" + ModuleLayout.GLOBAL + ";");
            mv.visitVarInsn(JvmInsns.loadOp(t), temp);
            mv.visitMethodInsn(INVOKEVIRTUAL, ModuleLayout.GLOBAL, Boxing.setter(t), "(" + ModuleLayout.desc(t) + ")V", false);
        } else {
            mv.visitVarInsn(JvmInsns.loadOp(t), temp);
            mv.visitFieldInsn(PUTFIELD, layout.className, ModuleLayout.globalField(index), ModuleLayout.desc(t));
        }
    }
}
