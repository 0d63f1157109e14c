package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.LLOAD;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.runtime.SimdScanLoop;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Byte-scan loops (memchr's, strlen's: a 16-byte load compared with a needle each iteration until
 * a match) skip their plain iterations in one counted Java loop ({@link SimdScanLoop#scan}), which
 * C2 compiles without the per-iteration bounds check and safepoint poll of the Wasm loop and can
 * unroll. At the loop header, after its checks: count the iterations that would load in-bounds
 * bytes with no match, pass every guard and be covered by the fuel left ({@link ScanLoopShape}
 * decides which loops qualify and what their iterations do), charge their fuel, check for an
 * interrupt once (a scan is bounded by the memory: at most 2^27 iterations), and set the locals
 * they write to what they would hold. The compiled body then runs the next iteration as before —
 * the match, the failed guard, the trap or the fuel stop — so nothing observable moves.
 */
final class ScanLoops {
    private static final String OWNER = Type.getInternalName(SimdScanLoop.class);

    private final MethodVisitor mv;
    private final ScanLoopShape shapes;
    private final int memSlot;
    private final int[] localSlots;
    private final CheckEmitter checks;
    private final Consumer<Label> place;

    /**
     * For a method that outlines nothing and keeps memory 0 (i32 addresses) in {@code memSlot};
     * {@code place} puts a label with a frame for the current stack.
     */
    ScanLoops(MethodVisitor mv, ValType[] localTypes, int[] localSlots, byte[] splitLocals, int memSlot, CheckEmitter checks,
              Consumer<Label> place) {
        this.mv = mv;
        this.shapes = new ScanLoopShape(localTypes, splitLocals);
        this.memSlot = memSlot;
        this.localSlots = localSlots;
        this.checks = checks;
        this.place = place;
    }

    /** At the header of the loop at {@code pc}: emits the skip if it is a scan loop; {@code scratch} is a free int slot. */
    void atHeader(List<Instruction> code, int pc, int scratch) {
        ScanLoopShape.Match m = shapes.match(code, pc);
        if (m == null) {
            return;
        }
        SimdScanLoop.warmUp(); // the helper's vector loop, where jdk.incubator.vector is present
        emit(m.address());
        mv.visitVarInsn(ALOAD, memSlot);
        mv.visitVarInsn(ILOAD, memSlot + 1);
        // offsets of 2^31 and more are never in bounds; clamped as SimdEmitter clamps them
        JvmInsns.pushInt(mv, (int) Math.min(m.offset(), Integer.MAX_VALUE));
        Instruction needle = m.needle();
        if (needle.opcode() == SimdOpcodes.V128_CONST) {
            JvmInsns.pushLong(mv, needle.c());
            JvmInsns.pushLong(mv, SimdOpcodes.high(needle));
        } else {
            int slot = localSlots[needle.a()];
            mv.visitVarInsn(LLOAD, slot);
            mv.visitVarInsn(LLOAD, slot + 2);
        }
        checks.pushIterationsCovered(pc);
        for (ScanLoopShape.Guard g : m.guards()) {
            emit(g.x());
            JvmInsns.pushInt(mv, g.x().delta(m.steps()));
            emit(g.y());
            JvmInsns.pushInt(mv, g.strict() ? 1 : 0);
            mv.visitMethodInsn(INVOKESTATIC, OWNER, "below", "(IIIZ)I", false);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        }
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "scan", "(I[BIIJJI)I", false);
        mv.visitVarInsn(ISTORE, scratch);
        checks.afterIterations(pc, scratch);
        Label none = new Label();
        mv.visitVarInsn(ILOAD, scratch);
        mv.visitJumpInsn(IFEQ, none);
        LoopWriteBack.advance(mv, localSlots, scratch, m.writes(), m.steps());
        place.accept(none);
    }

    /** Pushes the value of {@code v} from the locals as they are now. */
    private void emit(Lin v) {
        LoopWriteBack.push(mv, localSlots, v);
    }
}
