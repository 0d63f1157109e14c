package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;
import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.LCONST_0;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LSTORE;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.runtime.SimdLaneWindow;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Lane reads of a just-loaded vector from the memory array (runtime.SimdLaneWindow). A window is
 * {@code v128.load; local.set|tee L} (L a declared v128 local in long slots, memory 0) and the
 * straight-line code after it up to the first instruction {@link LaneWindowShape} cannot follow
 * (control flow, a call, a write of L, a store whose address it cannot bound). Every store in it
 * writes inside one interval known at compile time: the histogram's {@code counts[lane]++} stores
 * at {@code (lane << 2) + C}, lane in [0, 255]. So one test after the set (the vector's 16 bytes
 * outside that interval) makes every {@code local.get L; extract_lane} of the window a load from
 * the memory array at the vector's address, since nothing in the window can change those bytes;
 * else from a copy of the vector. Results, traps and fuel are the long form's: the load traps
 * before the test, the test cannot trap, and the window's instructions are emitted as before.
 */
final class SimdLaneWindows {
    private static final String OWNER = Type.getInternalName(SimdLaneWindow.class);
    private static final String MEM = FunctionCompiler.MEM;

    /** Per pc: the window whose load is at this pc, or null. */
    private final LaneWindowShape.Window[] windows;
    /** Per pc of a {@code local.get L} (or of a {@code local.tee L} followed by its extract): the pc of its window's load, or -1. */
    private final int[] readOf;
    /** Per local: its first extra slot ({@code src [B}, {@code off J}, {@code addr I}), or -1. */
    private final int[] slots;
    /** Per local: the load pc whose test was emitted last, or -1. */
    private final int[] armed;
    private final int[] localSlots;
    private final MethodVisitor mv;
    private final List<ValType> stack;
    private final int memSlot;
    private final Consumer<Label> place;

    private SimdLaneWindows(LaneWindowShape shape, int[] slots, int[] localSlots, MethodVisitor mv, List<ValType> stack,
                            int memSlot, Consumer<Label> place) {
        this.windows = shape.windows;
        this.readOf = shape.readOf;
        this.slots = slots;
        this.localSlots = localSlots;
        this.mv = mv;
        this.stack = stack;
        this.memSlot = memSlot;
        this.place = place;
        this.armed = new int[slots.length];
        Arrays.fill(armed, -1);
    }

    /** Gives each local with windows its extra slots, assigned at entry (see {@link #atEntry}); null when there is none. */
    static int[] assignSlots(LaneWindowShape shape, List<Object> slotTypes) {
        if (shape == null) {
            return null;
        }
        int[] slots = new int[shape.locals.length];
        Arrays.fill(slots, -1);
        for (int l = 0; l < slots.length; l++) {
            if (shape.locals[l]) {
                slots[l] = StackMapFrames.assign(slotTypes, "[B", 1);
                StackMapFrames.assign(slotTypes, Opcodes.LONG, 2);
                StackMapFrames.assign(slotTypes, Opcodes.INTEGER, 1);
            }
        }
        return slots;
    }

    /** The emitter of a method whose slots {@link #assignSlots} gave, or null when it has none. */
    static SimdLaneWindows of(LaneWindowShape shape, int[] slots, int[] localSlots, MethodVisitor mv, List<ValType> stack,
                              int memSlot, Consumer<Label> place) {
        return shape == null || slots == null ? null : new SimdLaneWindows(shape, slots, localSlots, mv, stack, memSlot, place);
    }

    /** Assigns the extra slots at entry (the frames declare them from there on; no read precedes a test). */
    void atEntry() {
        for (int s : slots) {
            if (s >= 0) {
                mv.visitInsn(ACONST_NULL);
                mv.visitVarInsn(ASTORE, s);
                mv.visitInsn(LCONST_0);
                mv.visitVarInsn(LSTORE, s + 1);
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, s + 3);
            }
        }
    }

    /** Before a window's {@code v128.load} at {@code pc}: keeps its address operand. */
    void beforeLoad(int pc) {
        LaneWindowShape.Window w = windows[pc];
        if (w != null) {
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, slots[w.local()] + 3);
        }
    }

    /** Whether the {@code local.tee} at {@code pc} is emitted as a set followed by its extract as a window read ({@link #afterSet}). */
    boolean teeIsRead(int pc) {
        return readOf[pc] >= 0;
    }

    /**
     * After the {@code local.set|tee} at {@code pc} (a tee that {@link #teeIsRead}: emitted as a
     * set) of a window's load: chooses the lanes' source; for such a tee also emits the extract
     * after it. Returns the last pc emitted.
     */
    int afterSet(List<Instruction> code, int pc) {
        LaneWindowShape.Window w = pc > 0 ? windows[pc - 1] : null;
        if (w == null) {
            return pc;
        }
        int s = slots[w.local()];
        int offset = (int) Math.min(code.get(pc - 1).c(), Integer.MAX_VALUE); // larger ones trapped in the load
        Label slow = new Label();
        Label join = new Label();
        mv.visitVarInsn(ILOAD, s + 3);
        JvmInsns.pushInt(mv, offset);
        JvmInsns.pushLong(mv, w.lo());
        JvmInsns.pushLong(mv, w.hi());
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "disjoint", "(IIJJ)Z", false);
        mv.visitJumpInsn(IFEQ, slow);
        mv.visitVarInsn(ALOAD, memSlot);
        mv.visitVarInsn(ASTORE, s);
        mv.visitVarInsn(ILOAD, s + 3);
        JvmInsns.pushInt(mv, offset);
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "at", "(II)J", false);
        mv.visitVarInsn(LSTORE, s + 1);
        mv.visitJumpInsn(GOTO, join);
        place.accept(slow); // a store of the window may hit the vector: read a copy of it
        int l = localSlots[w.local()];
        mv.visitVarInsn(LLOAD, l);
        mv.visitVarInsn(LLOAD, l + 2);
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "copy", "(JJ)[B", false);
        mv.visitVarInsn(ASTORE, s);
        mv.visitFieldInsn(GETSTATIC, MEM, "BASE", "J");
        mv.visitVarInsn(LSTORE, s + 1);
        place.accept(join);
        armed[w.local()] = pc - 1;
        if (code.get(pc).opcode() == LOCAL_TEE && readOf[pc] >= 0) {
            emitRead(s, code.get(pc + 1));
            return pc + 1;
        }
        return pc;
    }

    /**
     * Emits {@code local.get L} at {@code pc} and the extract after it as one read of the window's
     * source and returns true, or returns false (nothing emitted) when it is not a window read.
     */
    boolean emitLaneRead(List<Instruction> code, int pc) {
        int load = readOf[pc];
        if (load < 0 || code.get(pc).opcode() != LOCAL_GET) {
            return false;
        }
        int local = code.get(pc).a();
        if (armed[local] != load) {
            return false; // its window's test was not emitted (cannot happen in straight-line code; kept safe)
        }
        emitRead(slots[local], code.get(pc + 1));
        return true;
    }

    private void emitRead(int s, Instruction extract) {
        ValType result = SimdOpcodes.scalar(extract.opcode());
        mv.visitVarInsn(ALOAD, s);
        mv.visitVarInsn(LLOAD, s + 1);
        JvmInsns.pushInt(mv, extract.b());
        mv.visitMethodInsn(INVOKESTATIC, OWNER, SimdOpcodes.helperName(extract.opcode()),
                "([BJI)" + (result == ValType.I64 ? "J" : "I"), false);
        stack.add(result);
    }
}
