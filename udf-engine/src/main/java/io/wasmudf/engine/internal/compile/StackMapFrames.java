package io.wasmudf.engine.internal.compile;

import io.wasmudf.engine.ValType;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the StackMapTable frames of one generated method from what the compiler already knows,
 * so ASM need not rediscover them with its data-flow analysis ({@code COMPUTE_FRAMES} took about
 * a third of compile time). The compiler places a frame at every label something jumps to and
 * never emits unreachable code, so no other offset needs one.
 *
 * <p>Locals: every Wasm local the method uses, the instance, the memory buffer and its size and the
 * region frame arrays are assigned at entry and keep their type, so one list serves every frame; scratch
 * slots above them are dead at labels (declared TOP by leaving them out). Reference values are
 * described as {@code Object}, the only type generated code uses them as.
 */
final class StackMapFrames {
    private static final Object REF = "java/lang/Object";

    private final MethodVisitor mv;
    /**
     * Verification types of the locals that are live at every label, in ASM's format (longs take
     * one entry); inside an exception handler's range also the slots it reads (see {@link #setLocals}).
     */
    private Object[] locals;
    /** Index of the memory buffer in {@link #locals}, or -1. */
    private final int memEntry;
    /** The label of the last frame written, to write one frame per offset when labels coincide. */
    private Label last;
    /** The locals and operand stack of that frame. */
    private Object[] lastLocals;
    private Object[] lastStack;
    /** The locals of the last full frame written: what a compressed frame's locals are relative to. */
    private Object[] writtenLocals;

    private StackMapFrames(MethodVisitor mv, Object[] locals, int memEntry) {
        this.mv = mv;
        this.locals = locals;
        this.memEntry = memEntry;
    }

    /**
     * The frames of a method whose JVM local slots hold {@code slotTypes} at every label ({@code
     * null} for a slot that is not assigned at entry, or is the second half of a long or double);
     * {@code memSlot} is the memory buffer's slot, or -1; {@code desc} is the static method's
     * descriptor (its arguments are the implicit frame at entry that the first frame is relative to).
     */
    static StackMapFrames forSlots(MethodVisitor mv, Object[] slotTypes, int memSlot, String desc) {
        List<Object> types = new ArrayList<>(slotTypes.length);
        int memEntry = -1;
        for (int s = 0; s < slotTypes.length; s++) {
            Object t = slotTypes[s];
            if (s == memSlot) {
                memEntry = types.size();
            }
            types.add(t == null ? Opcodes.TOP : t);
            if (t == Opcodes.LONG || t == Opcodes.DOUBLE) {
                s++;
            }
        }
        // trailing unassigned slots may lie beyond the method's max_locals, so frames leave them out
        int n = types.size();
        while (n > 0 && types.get(n - 1) == Opcodes.TOP) {
            n--;
        }
        StackMapFrames frames = new StackMapFrames(mv, types.subList(0, n).toArray(), memEntry);
        frames.writtenLocals = entryLocals(desc);
        return frames;
    }

    /** The locals of a static method's implicit frame at entry: its arguments, in ASM's format. */
    static Object[] entryLocals(String desc) {
        Type[] args = Type.getArgumentTypes(desc);
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            switch (args[i].getSort()) {
                case Type.BOOLEAN: case Type.CHAR: case Type.BYTE: case Type.SHORT: case Type.INT: out[i] = Opcodes.INTEGER; break;
                case Type.LONG: out[i] = Opcodes.LONG; break;
                case Type.FLOAT: out[i] = Opcodes.FLOAT; break;
                case Type.DOUBLE: out[i] = Opcodes.DOUBLE; break;
                default: out[i] = args[i].getInternalName(); // arrays: their descriptor, as ASM's frames name them
            }
        }
        return out;
    }

    static Object type(ValType t) {
        switch (t) {
            case I32: return Opcodes.INTEGER;
            case I64: return Opcodes.LONG;
            case F32: return Opcodes.FLOAT;
            case F64: return Opcodes.DOUBLE;
            default: return REF;
        }
    }

    /**
     * Places {@code label} here with a frame whose operand stack is {@code stack}'s first
     * {@code height} values followed by {@code top}.
     */
    void place(Label label, List<ValType> stack, int height, List<ValType> top) {
        place(label, locals, stack, height, top);
    }

    /** As {@link #place(Label, List, int, List)}, with the locals given. */
    void place(Label label, Object[] frameLocals, List<ValType> stack, int height, List<ValType> top) {
        mv.visitLabel(label);
        // labels at one offset (nested block ends) see the same state: the first frame serves all
        int n = height + top.size();
        Object[] types = new Object[n];
        for (int i = 0; i < height; i++) {
            types[i] = type(stack.get(i));
        }
        for (int i = height; i < n; i++) {
            types[i] = type(top.get(i - height));
        }
        if (last != null && last.getOffset() == label.getOffset()) {
            // the first frame serves every label here, so it must describe the same state
            if (!java.util.Arrays.equals(lastLocals, frameLocals) || !java.util.Arrays.equals(lastStack, types)) {
                throw new IllegalStateException("two labels at bytecode offset " + label.getOffset()
                        + " need different stack map frames");
            }
            return;
        }
        last = label;
        lastLocals = frameLocals;
        lastStack = types;
        write(frameLocals, types);
    }

    /** The locals every frame placed now declares. */
    Object[] locals() {
        return locals;
    }

    /**
     * Makes frames placed from now on declare {@code newLocals}: inside a try's range the slots
     * its handler reads (the values spilled below the try) must be declared at every label, or
     * the verifier finds them unassigned where an instruction may throw ({@link ExceptionEmitter}).
     */
    void setLocals(Object[] newLocals) {
        locals = newLocals;
    }

    /** {@code locals} (ASM's format) with JVM slot {@code slot} holding {@code type}; the slots between stay unassigned. */
    static Object[] extend(Object[] locals, int slot, Object type) {
        int slots = 0;
        for (Object t : locals) {
            slots += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
        }
        if (slot < slots) {
            throw new IllegalStateException("slot " + slot + " is below the " + slots + " declared ones");
        }
        Object[] out = java.util.Arrays.copyOf(locals, locals.length + slot - slots + 1);
        java.util.Arrays.fill(out, locals.length, out.length - 1, Opcodes.TOP);
        out[out.length - 1] = type;
        return out;
    }

    /** Places an exception handler's entry: {@code frameLocals} and the exception of class {@code type} as the whole stack. */
    void placeHandler(Label label, Object[] frameLocals, String type) {
        mv.visitLabel(label);
        Object[] stack = {type};
        if (last != null && last.getOffset() == label.getOffset()) {
            throw new IllegalStateException("a handler at bytecode offset " + label.getOffset() + " shares it with a label");
        }
        last = label;
        lastLocals = frameLocals;
        lastStack = stack;
        write(frameLocals, stack);
    }

    /**
     * The frame at {@code ok}, just placed after the entry's call-depth check: the memory buffer
     * and size (the entry after it) are not loaded yet.
     */
    void afterEntryCheck(Label ok) {
        Object[] frameLocals = locals;
        if (memEntry >= 0) {
            frameLocals = locals.clone();
            frameLocals[memEntry] = Opcodes.TOP;
            frameLocals[memEntry + 1] = Opcodes.TOP;
        }
        last = ok;
        lastLocals = frameLocals;
        lastStack = new Object[0];
        write(frameLocals, lastStack);
    }

    /**
     * Writes a frame in the class file's compressed form: a frame with the previous frame's locals
     * and at most one stack value is {@code F_SAME}/{@code F_SAME1} (a byte or two), any other a
     * full frame. Expanded frames ({@code F_NEW}) made ASM convert and compare every local of every
     * frame; with hundreds of locals and thousands of labels in a big function that was a tenth of
     * compile time. The frames say the same; only their encoding differs from what ASM would pick.
     */
    private void write(Object[] frameLocals, Object[] stack) {
        boolean sameLocals = frameLocals == writtenLocals || writtenLocals != null && java.util.Arrays.equals(frameLocals, writtenLocals);
        if (sameLocals && stack.length == 0) {
            mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        } else if (sameLocals && stack.length == 1) {
            mv.visitFrame(Opcodes.F_SAME1, 0, null, 1, stack);
        } else if (stack.length == 0 && writtenLocals != null && Math.abs(frameLocals.length - writtenLocals.length) <= 3
                && frameLocals.length != writtenLocals.length
                && java.util.Arrays.equals(frameLocals, 0, Math.min(frameLocals.length, writtenLocals.length),
                        writtenLocals, 0, Math.min(frameLocals.length, writtenLocals.length))) {
            // the scratch slots of a region call's dispatch come and go at the end of the locals
            if (frameLocals.length > writtenLocals.length) {
                mv.visitFrame(Opcodes.F_APPEND, frameLocals.length - writtenLocals.length,
                        java.util.Arrays.copyOfRange(frameLocals, writtenLocals.length, frameLocals.length), 0, null);
            } else {
                mv.visitFrame(Opcodes.F_CHOP, writtenLocals.length - frameLocals.length, null, 0, null);
            }
            writtenLocals = frameLocals;
        } else {
            mv.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, stack.length, stack);
            writtenLocals = frameLocals;
        }
    }

    /** Gives a method's next {@code size} slots to a value of verification type {@code type} (null: not assigned at entry); returns the first. */
    static int assign(List<Object> slotTypes, Object type, int size) {
        int slot = slotTypes.size();
        slotTypes.add(type);
        for (int k = 1; k < size; k++) {
            slotTypes.add(null);
        }
        return slot;
    }

    /** Gives the memory buffer a slot and its size in bytes the next one; returns the first. */
    static int assignMemory(List<Object> slotTypes) {
        int slot = assign(slotTypes, "[B", 1);
        assign(slotTypes, Opcodes.INTEGER, 1);
        return slot;
    }
}
