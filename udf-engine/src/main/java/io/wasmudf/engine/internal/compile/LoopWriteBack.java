package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.IMUL;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.ISUB;

import java.util.Map;
import org.objectweb.asm.MethodVisitor;

/**
 * The locals a recognised loop ({@link ScanLoops}, {@link DotLoops}) writes, set as they would be
 * after the iterations its helper ran: one rule for both recognisers, so they cannot disagree.
 */
final class LoopWriteBack {
    private LoopWriteBack() {}

    /** Pushes the value of {@code v} from the locals (in {@code localSlots}) as they are now. */
    static void push(MethodVisitor mv, int[] localSlots, Lin v) {
        JvmInsns.pushInt(mv, v.c());
        for (Map.Entry<Integer, Integer> t : v.terms().entrySet()) {
            mv.visitVarInsn(ILOAD, localSlots[t.getKey()]);
            if (t.getValue() != 1) {
                JvmInsns.pushInt(mv, t.getValue());
                mv.visitInsn(IMUL);
            }
            mv.visitInsn(IADD);
        }
    }

    /**
     * After {@code k} iterations (k in int slot {@code count}, at least 1): first the locals computed
     * from others (with the inductions' values after k - 1 iterations: the current ones plus (k - 1)
     * steps), then the inductions (+ k steps).
     */
    static void advance(MethodVisitor mv, int[] localSlots, int count, Map<Integer, Lin> writes, Map<Integer, Integer> steps) {
        for (Map.Entry<Integer, Lin> w : writes.entrySet()) {
            if (!Lin.induction(writes, w.getKey())) {
                push(mv, localSlots, w.getValue());
                int d = w.getValue().delta(steps);
                if (d != 0) {
                    mv.visitVarInsn(ILOAD, count);
                    JvmInsns.pushInt(mv, 1);
                    mv.visitInsn(ISUB);
                    JvmInsns.pushInt(mv, d);
                    mv.visitInsn(IMUL);
                    mv.visitInsn(IADD);
                }
                mv.visitVarInsn(ISTORE, localSlots[w.getKey()]);
            }
        }
        for (Map.Entry<Integer, Integer> s : steps.entrySet()) {
            if (s.getValue() != 0) {
                mv.visitVarInsn(ILOAD, localSlots[s.getKey()]);
                mv.visitVarInsn(ILOAD, count);
                JvmInsns.pushInt(mv, s.getValue());
                mv.visitInsn(IMUL);
                mv.visitInsn(IADD);
                mv.visitVarInsn(ISTORE, localSlots[s.getKey()]);
            }
        }
    }
}
