package io.wasmudf.engine.internal.compile;

import io.wasmudf.engine.ValType;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Writes the StackMapTable frames of one generated method from what the compiler already knows,
 * so ASM need not rediscover them with its data-flow analysis ({@code COMPUTE_FRAMES} took about
 * a third of compile time). The compiler places a frame at every label something jumps to and
 * never emits unreachable code, so no other offset needs one.
 *
 * <p>Locals: every Wasm local the method uses, the instance and the memory buffer are assigned
 * at entry and keep their type, so one list serves every frame; scratch slots above them are
 * dead at labels (declared TOP by leaving them out), except the few a region call site keeps
 * live across its exit dispatch, which it passes explicitly. Reference values are described as
 * {@code Object}, the only type generated code uses them as.
 */
final class StackMapFrames {
    private static final Object REF = "java/lang/Object";

    private final MethodVisitor mv;
    /** Verification types of the locals that are live at every label, in ASM's format (longs take one entry). */
    private final Object[] locals;
    /** Index of the memory buffer in {@link #locals}, or -1. */
    private final int memEntry;
    /** The label of the last frame written, to write one frame per offset when labels coincide. */
    private Label last;
    /** The locals of that frame. */
    private Object[] lastLocals;

    private StackMapFrames(MethodVisitor mv, Object[] locals, int memEntry) {
        this.mv = mv;
        this.locals = locals;
        this.memEntry = memEntry;
    }

    /**
     * The frames of a function's method ({@code region == null}: parameters, instance, declared
     * locals) or of an outlined region's ({@code long[]}, {@code Object[]}, instance, then the
     * function's locals, of which only those the region uses are assigned); then the memory
     * buffer if the function has one, and the call-depth budget slot if it has one
     * ({@code budgetAssigned} non-null: whether the entry assigns it).
     */
    static StackMapFrames forMethod(MethodVisitor mv, String className, Region region, int params,
                                    ValType[] localTypes, boolean memory, Boolean budgetAssigned) {
        List<Object> types = new ArrayList<>(localTypes.length + 6);
        boolean[] used = null;
        if (region != null) {
            types.add("[J");
            types.add("[Ljava/lang/Object;");
            types.add(className);
            used = new boolean[localTypes.length];
            for (int u : region.used) {
                used[u] = true;
            }
        }
        for (int i = 0; i < localTypes.length; i++) {
            if (region == null && i == params) {
                types.add(className);
            }
            if (used == null || used[i]) {
                types.add(type(localTypes[i]));
            } else {
                for (int k = 0; k < JvmInsns.size(localTypes[i]); k++) {
                    types.add(Opcodes.TOP);
                }
            }
        }
        if (region == null && localTypes.length == params) {
            types.add(className);
        }
        int memEntry = -1;
        if (memory) {
            memEntry = types.size();
            types.add("[B");
        }
        if (budgetAssigned != null) {
            types.add(budgetAssigned ? Opcodes.INTEGER : Opcodes.TOP);
        }
        // trailing unassigned slots may lie beyond the method's max_locals, so frames leave them out
        int n = types.size();
        while (n > 0 && types.get(n - 1) == Opcodes.TOP) {
            n--;
        }
        return new StackMapFrames(mv, types.subList(0, n).toArray(), memEntry);
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
        if (last != null && last.getOffset() == label.getOffset()) {
            // the first frame serves every label here, so it must not claim more live locals
            if (!java.util.Arrays.equals(lastLocals, frameLocals)) {
                throw new IllegalStateException("two labels at bytecode offset " + label.getOffset()
                        + " need different stack map frames");
            }
            return;
        }
        last = label;
        lastLocals = frameLocals;
        int n = height + top.size();
        Object[] types = new Object[n];
        for (int i = 0; i < height; i++) {
            types[i] = type(stack.get(i));
        }
        for (int i = height; i < n; i++) {
            types[i] = type(top.get(i - height));
        }
        mv.visitFrame(Opcodes.F_NEW, frameLocals.length, frameLocals, n, types);
    }

    /**
     * The locals at a region call site's exit dispatch: the usual ones, then TOP up to slot
     * {@code firstLive}, then {@code live}.
     */
    Object[] withScratch(int firstLive, Object... live) {
        int covered = 0;
        for (Object t : locals) {
            covered += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
        }
        int pad = firstLive - covered;
        Object[] all = new Object[locals.length + pad + live.length];
        System.arraycopy(locals, 0, all, 0, locals.length);
        for (int i = 0; i < pad; i++) {
            all[locals.length + i] = Opcodes.TOP;
        }
        System.arraycopy(live, 0, all, locals.length + pad, live.length);
        return all;
    }

    /** The frame at {@code ok}, just placed after the entry's call-depth check: the memory buffer is not loaded yet. */
    void afterEntryCheck(Label ok) {
        Object[] frameLocals = locals;
        if (memEntry >= 0) {
            frameLocals = locals.clone();
            frameLocals[memEntry] = Opcodes.TOP;
        }
        last = ok;
        lastLocals = frameLocals;
        mv.visitFrame(Opcodes.F_NEW, frameLocals.length, frameLocals, 0, new Object[0]);
    }
}
