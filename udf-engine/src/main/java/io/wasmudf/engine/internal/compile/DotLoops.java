package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.IMUL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.runtime.SimdDotLoop;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * f32x4 dot-product loops ({@code acc = f32x4.add(acc, f32x4.mul(v128.load a, v128.load b))}, as
 * clang -O2 -msimd128 emits them, unrolled or not) run their plain iterations in one call of
 * {@link SimdDotLoop#dot}, which uses 128-bit vector instructions through {@code
 * jdk.incubator.vector} (only where {@link SimdDotLoop#USABLE}). At the loop header, after its
 * checks: count the iterations whose loads are all in bounds, whose back edge is taken and which
 * the fuel left covers ({@link DotLoopShape} decides which loops qualify and what their iterations
 * do), charge their fuel, check for an interrupt once (the loads bound them: at most 2^27), add
 * their products to the accumulator lane by lane in the loop's order (so bit for bit its result)
 * and set the i32 locals they write. The compiled body then runs the next iteration as before —
 * the last one, the out-of-bounds trap, the fuel stop — so nothing observable moves.
 */
final class DotLoops {
    private static final String OWNER = Type.getInternalName(SimdDotLoop.class);

    private final MethodVisitor mv;
    private final DotLoopShape shapes;
    private final int memSlot;
    private final int[] localSlots;
    private final byte[] splitLocals;
    private final CheckEmitter checks;
    private final Consumer<Label> place;

    /**
     * For a method that outlines nothing and keeps memory 0 (i32 addresses) in {@code memSlot};
     * {@code place} puts a label with a frame for the current stack.
     */
    DotLoops(MethodVisitor mv, ValType[] localTypes, int[] localSlots, byte[] splitLocals, int memSlot, CheckEmitter checks,
             Consumer<Label> place) {
        this.mv = mv;
        this.shapes = new DotLoopShape(localTypes, splitLocals);
        this.memSlot = memSlot;
        this.localSlots = localSlots;
        this.splitLocals = splitLocals;
        this.checks = checks;
        this.place = place;
    }

    /** The recogniser where compiled code may use it in this JVM, else null. */
    static DotLoops where(boolean usable, MethodVisitor mv, ValType[] localTypes, int[] localSlots, byte[] splitLocals,
                          int memSlot, CheckEmitter checks, Consumer<Label> place) {
        return usable && SimdDotLoop.USABLE ? new DotLoops(mv, localTypes, localSlots, splitLocals, memSlot, checks, place) : null;
    }

    /** At the header of the loop at {@code pc}: emits the skip if it is a dot-product loop; {@code scratch} is a free int slot. */
    void atHeader(List<Instruction> code, int pc, int scratch) {
        DotLoopShape.Match m = shapes.match(code, pc);
        if (m == null) {
            return;
        }
        SimdDotLoop.warmUp();
        int stride = m.stride();
        checks.pushIterationsCovered(pc);
        for (int p = 0; p < m.a().size(); p++) {
            inBounds(m.a().get(p), stride);
            inBounds(m.b().get(p), stride);
        }
        DotLoopShape.Guard g = m.guard();
        if (g != null) {
            emit(g.x());
            JvmInsns.pushInt(mv, g.x().delta(m.steps()));
            if (g.y() == null) {
                mv.visitMethodInsn(INVOKESTATIC, OWNER, "nonZero", "(II)I", false);
            } else {
                emit(g.y());
                JvmInsns.pushInt(mv, g.y().delta(m.steps()));
                JvmInsns.pushInt(mv, g.strict() ? 1 : 0);
                mv.visitMethodInsn(INVOKESTATIC, OWNER, "atMost", "(IIIIZ)I", false);
            }
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        }
        mv.visitVarInsn(ISTORE, scratch);
        Label none = new Label();
        mv.visitVarInsn(ILOAD, scratch);
        mv.visitJumpInsn(IFEQ, none);
        checks.afterIterations(pc, scratch);
        int acc = localSlots[m.acc()];
        SimdEmitter.loadSplit(mv, acc, splitLocals[m.acc()]);
        mv.visitVarInsn(ALOAD, memSlot);
        address(m.a().get(0));
        address(m.b().get(0));
        mv.visitVarInsn(ILOAD, scratch);
        JvmInsns.pushInt(mv, m.a().size());
        mv.visitInsn(IMUL); // at most 2^27 vectors: the loads are in bounds
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "dot", "(Ljava/lang/Object;[BIII)Ljava/lang/Object;", false);
        SimdEmitter.storeSplit(mv, acc, splitLocals[m.acc()]);
        LoopWriteBack.advance(mv, localSlots, scratch, m.writes(), m.steps());
        place.accept(none);
    }

    /** min(top of stack, iterations for which {@code load} stays in bounds). */
    private void inBounds(DotLoopShape.Load load, int stride) {
        emit(load.address());
        JvmInsns.pushInt(mv, (int) load.offset());
        JvmInsns.pushInt(mv, stride);
        mv.visitVarInsn(ALOAD, memSlot);
        mv.visitVarInsn(ILOAD, memSlot + 1);
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "inBounds", "(III[BI)I", false);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
    }

    /** Pushes the first byte index {@code load} reads (in bounds, so below 2^31). */
    private void address(DotLoopShape.Load load) {
        emit(load.address());
        JvmInsns.pushInt(mv, (int) load.offset());
        mv.visitInsn(IADD);
    }

    /** Pushes the value of {@code v} from the locals as they are now. */
    private void emit(Lin v) {
        LoopWriteBack.push(mv, localSlots, v);
    }
}
