package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.compile.JvmInsns.loadOp;
import static io.wasmudf.engine.internal.compile.JvmInsns.size;
import static io.wasmudf.engine.internal.compile.JvmInsns.storeOp;
import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import java.util.List;
import java.util.function.IntConsumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits both sides of the calling convention of an outlined {@link Region}, for one method: the
 * call site (values into the arrays, the call, written locals back, dispatch on the exit code)
 * and, in a region's own method, its entry and exits.
 */
final class RegionCalls {
    /** JVM slots of a region method's arrays: its parameters are {@code (long[] values, Object[] refs, self)}. */
    private static final int VALUES = 0;
    private static final int REFS = 1;
    /** Slots a call site needs from its scratch slot on: both arrays and the exit code. */
    static final int CALL_SLOTS = 3;

    private final ModuleLayout layout;
    /** The class the function and its region methods are written to. */
    private final String owner;
    private final MethodVisitor mv;
    /** The compiler's shadow stack, kept in step with what the emitted code pushes and pops. */
    private final List<ValType> stack;
    private final StackMapFrames maps;
    private final ValType[] localTypes;
    private final int[] localSlots;
    private final int selfSlot;

    RegionCalls(ModuleLayout layout, String owner, MethodVisitor mv, List<ValType> stack, StackMapFrames maps,
                ValType[] localTypes, int[] localSlots, int selfSlot) {
        this.layout = layout;
        this.owner = owner;
        this.mv = mv;
        this.stack = stack;
        this.maps = maps;
        this.localTypes = localTypes;
        this.localSlots = localSlots;
        this.selfSlot = selfSlot;
    }

    /** The descriptor of every region method of the module's class. */
    String desc() {
        return "([J[Ljava/lang/Object;" + layout.classDesc + ")I";
    }

    // ---- the region's own method

    /** The region method's prologue: the locals the region uses, from the arrays. */
    void enter(Region region) {
        for (int i = 0; i < region.used.length; i++) {
            ValType t = localTypes[region.used[i]];
            loadBits(VALUES, REFS, region.slot[i], t);
            mv.visitVarInsn(storeOp(t), localSlots[region.used[i]]);
        }
    }

    /** Pushes an outlined block's parameters, from the arrays. */
    void loadParams(Region region) {
        loadValues(VALUES, REFS, region, region.params);
        stack.addAll(region.params);
    }

    /**
     * Leaves the region's method with exit {@code code}, carrying the top {@code types} values;
     * slots from {@code temps} on are free.
     */
    void exit(Region region, int code, List<ValType> types, int temps) {
        region.maxValues = Math.max(region.maxValues, types.size());
        storeValues(VALUES, REFS, region, types, temps);
        for (int i = 0; i < region.used.length; i++) {
            if (region.writes[i]) {
                ValType t = localTypes[region.used[i]];
                storeBits(VALUES, REFS, region.slot[i], t, localSlots[region.used[i]]);
            }
        }
        JvmInsns.pushInt(mv, code);
        mv.visitInsn(IRETURN);
    }

    // ---- the call site

    /**
     * Calls {@code r}'s method (already compiled, so its exits are known), its parameters on the
     * stack, and reloads the locals it writes; the arrays and the exit code go to the
     * {@link #CALL_SLOTS} slots from {@code scratch} on, and slots after those are free.
     */
    void call(Region r, int scratch) {
        int valuesSlot = scratch;
        int refsSlot = scratch + 1;
        int codeSlot = scratch + 2;
        // the arrays are sized for whatever the region's exits carry back, too
        JvmInsns.pushInt(mv, r.valueBase + r.maxValues);
        mv.visitIntInsn(NEWARRAY, T_LONG);
        mv.visitVarInsn(ASTORE, valuesSlot);
        JvmInsns.pushInt(mv, r.refBase + r.maxValues);
        mv.visitTypeInsn(ANEWARRAY, "java/lang/Object");
        mv.visitVarInsn(ASTORE, refsSlot);
        storeValues(valuesSlot, refsSlot, r, r.params, scratch + CALL_SLOTS);
        stack.subList(stack.size() - r.params.size(), stack.size()).clear();
        for (int i = 0; i < r.used.length; i++) {
            storeBits(valuesSlot, refsSlot, r.slot[i], localTypes[r.used[i]], localSlots[r.used[i]]);
        }
        mv.visitVarInsn(ALOAD, valuesSlot);
        mv.visitVarInsn(ALOAD, refsSlot);
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitMethodInsn(INVOKESTATIC, owner, r.methodName, desc(), false);
        mv.visitVarInsn(ISTORE, codeSlot);
        for (int i = 0; i < r.used.length; i++) {
            if (r.writes[i]) {
                ValType t = localTypes[r.used[i]];
                loadBits(valuesSlot, refsSlot, r.slot[i], t);
                mv.visitVarInsn(storeOp(t), localSlots[r.used[i]]);
            }
        }
    }

    /**
     * After {@link #call}: takes each of {@code r}'s escapes with {@code branch} (given the label
     * depth, the carried values on the stack), else pushes the region's results.
     */
    void dispatch(Region r, int scratch, IntConsumer branch) {
        int valuesSlot = scratch;
        int refsSlot = scratch + 1;
        int codeSlot = scratch + 2;
        if (!r.escapes.isEmpty()) {
            Label normal = new Label();
            Label[] exits = new Label[r.escapes.size() + 1];
            exits[0] = normal;
            for (int i = 1; i < exits.length; i++) {
                exits[i] = new Label();
            }
            mv.visitVarInsn(ILOAD, codeSlot);
            mv.visitTableSwitchInsn(0, r.escapes.size(), normal, exits);
            // the dispatch keeps the arrays live: the exits load the values they carry from them
            Object[] live = maps.withScratch(valuesSlot, "[J", "[Ljava/lang/Object;", INTEGER);
            for (int i = 1; i < exits.length; i++) {
                maps.place(exits[i], live, stack, stack.size(), List.of());
                List<ValType> carried = r.outer.get(r.escapes.get(i - 1));
                loadValues(valuesSlot, refsSlot, r, carried);
                stack.addAll(carried);
                branch.accept(r.escapes.get(i - 1));
                stack.subList(stack.size() - carried.size(), stack.size()).clear();
            }
            // without results the normal path reads nothing from the arrays: its frame must not
            // declare them live, since an enclosing block's end may fall at this very offset and
            // share the frame with jumps from code where the scratch slots were never assigned
            if (r.results.isEmpty()) {
                maps.place(normal, stack, stack.size(), List.of());
            } else {
                maps.place(normal, live, stack, stack.size(), List.of());
            }
        }
        loadValues(valuesSlot, refsSlot, r, r.results);
        stack.addAll(r.results);
    }

    // ---- the arrays

    /** Moves the top {@code types.size()} stack values into the arrays' value slots, via temps from {@code temps} on. */
    private void storeValues(int valuesSlot, int refsSlot, Region r, List<ValType> types, int temps) {
        int[] from = new int[types.size()];
        int next = temps;
        for (int i = types.size() - 1; i >= 0; i--) {
            from[i] = next;
            next += size(types.get(i));
            mv.visitVarInsn(storeOp(types.get(i)), from[i]);
        }
        for (int i = 0; i < types.size(); i++) {
            ValType t = types.get(i);
            storeBits(valuesSlot, refsSlot, (t.isReference() ? r.refBase : r.valueBase) + i, t, from[i]);
        }
    }

    private void loadValues(int valuesSlot, int refsSlot, Region r, List<ValType> types) {
        for (int i = 0; i < types.size(); i++) {
            ValType t = types.get(i);
            loadBits(valuesSlot, refsSlot, (t.isReference() ? r.refBase : r.valueBase) + i, t);
        }
    }

    /** Loads element {@code index} of the arrays as a {@code t}. */
    private void loadBits(int valuesSlot, int refsSlot, int index, ValType t) {
        mv.visitVarInsn(ALOAD, t.isReference() ? refsSlot : valuesSlot);
        JvmInsns.pushInt(mv, index);
        mv.visitInsn(t.isReference() ? AALOAD : LALOAD);
        switch (t) {
            case I32: mv.visitInsn(L2I); break;
            case F32:
                mv.visitInsn(L2I);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
                break;
            case F64: mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false); break;
            default: break;
        }
    }

    /** Stores the {@code t} in JVM slot {@code from} into element {@code index} of the arrays. */
    private void storeBits(int valuesSlot, int refsSlot, int index, ValType t, int from) {
        mv.visitVarInsn(ALOAD, t.isReference() ? refsSlot : valuesSlot);
        JvmInsns.pushInt(mv, index);
        mv.visitVarInsn(loadOp(t), from);
        switch (t) {
            case I32: mv.visitInsn(I2L); break;
            case F32:
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                mv.visitInsn(I2L);
                break;
            case F64: mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false); break;
            default: break;
        }
        mv.visitInsn(t.isReference() ? AASTORE : LASTORE);
    }
}
