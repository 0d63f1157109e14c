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
    /** Slots a call site needs from its scratch slot on: the exit code. */
    static final int CALL_SLOTS = 1;

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
    /** Slots of the frame arrays in this method (an argument in a region, allocated at a function's entry). */
    private final int valuesSlot;
    private final int refsSlot;
    /** Each local's element in {@code values} or {@code refs} (by its type). */
    private final int[] element;
    /** Where carried values start in {@code values} and {@code refs}: after the locals. */
    private final int valueBase;
    private final int refBase;

    RegionCalls(ModuleLayout layout, String owner, MethodVisitor mv, List<ValType> stack, StackMapFrames maps,
                ValType[] localTypes, int[] localSlots, int selfSlot, int valuesSlot, int refsSlot) {
        this.layout = layout;
        this.owner = owner;
        this.mv = mv;
        this.stack = stack;
        this.maps = maps;
        this.localTypes = localTypes;
        this.localSlots = localSlots;
        this.selfSlot = selfSlot;
        this.valuesSlot = valuesSlot;
        this.refsSlot = refsSlot;
        this.element = new int[localTypes.length];
        int nums = 0;
        int refs = 0;
        for (int i = 0; i < localTypes.length; i++) {
            element[i] = inRefs(localTypes[i]) ? refs++ : nums++;
        }
        this.valueBase = nums;
        this.refBase = refs;
    }

    /** Whether a value of type {@code t} lives in the {@code Object[]} array (references and v128) rather than the {@code long[]} one. */
    private static boolean inRefs(ValType t) {
        return !t.javaType().isPrimitive();
    }

    /** Emits the allocation of the frame arrays at a function's entry, sized for its locals and {@code maxArity} carried values. */
    void allocateFrame(int maxArity) {
        JvmInsns.pushInt(mv, valueBase + maxArity);
        mv.visitIntInsn(NEWARRAY, T_LONG);
        mv.visitVarInsn(ASTORE, valuesSlot);
        JvmInsns.pushInt(mv, refBase + maxArity);
        mv.visitTypeInsn(ANEWARRAY, "java/lang/Object");
        mv.visitVarInsn(ASTORE, refsSlot);
    }

    // ---- the region's own method

    /** Pushes local {@code l}, which lives in the frame arrays in this method. */
    void loadLocal(int l) {
        loadBits(element[l], localTypes[l]);
    }

    /** Pops the value on the stack into local {@code l}, which lives in the frame arrays; {@code temp} is a free slot. */
    void storeLocal(int l, int temp) {
        mv.visitVarInsn(storeOp(localTypes[l]), temp);
        storeBits(element[l], localTypes[l], temp);
    }

    /**
     * At the entry of a function whose locals are homed ({@link HomedLocals}): the frame arrays,
     * the parameters from their {@code paramSlots} into them, and the locals whose zero is not
     * zero bits ({@code temp} is a free slot).
     */
    void homeLocals(int[] paramSlots, int maxArity, int temp) {
        allocateFrame(maxArity);
        for (int i = 0; i < localTypes.length; i++) {
            if (i < paramSlots.length) {
                storeBits(element[i], localTypes[i], paramSlots[i]);
            } else if (inRefs(localTypes[i])) { // a new long[]'s elements are 0 already
                JvmInsns.pushZero(mv, localTypes[i]);
                storeLocal(i, temp);
            }
        }
    }

    /** At the entry of a region that {@link Region#loads loads} its locals: each passed local from its element into its slot. */
    void loadPassed(Region region) {
        for (int i = 0; i < region.used.length && region.loads; i++) {
            if (region.passed[i]) {
                int l = region.used[i];
                loadLocal(l);
                mv.visitVarInsn(storeOp(localTypes[l]), localSlots[l]);
            }
        }
    }

    /** Pushes an outlined block's parameters, which are the method's first arguments. */
    void loadParams(Region region) {
        int slot = 0;
        for (ValType p : region.params) {
            mv.visitVarInsn(loadOp(p), slot);
            slot += size(p);
        }
        stack.addAll(region.params);
    }

    /**
     * Leaves the region's method with exit {@code code}, carrying the top {@code types} values;
     * slots from {@code temps} on are free.
     */
    void exit(Region region, int code, List<ValType> types, int temps) {
        storeValues(types, temps);
        leave(region, types.size(), () -> JvmInsns.pushInt(mv, code));
    }

    /**
     * Leaves the region's method with the exit code in slot {@code codeSlot}, an escape of a
     * region it called that leaves this one too: the callee stored the carried values already,
     * in the same elements, and this method's written locals were reloaded after the call.
     */
    private void passOn(Region region, int codeSlot) {
        leave(region, 0, () -> mv.visitVarInsn(ILOAD, codeSlot));
    }

    /** Writes back the written locals and returns the exit code {@code pushCode} pushes; {@code kept} values are on top. */
    private void leave(Region region, int kept, Runnable pushCode) {
        int written = 0;
        for (int i = 0; i < region.used.length; i++) {
            written += region.writes[i] && region.passed[i] ? 1 : 0;
        }
        if (written <= INLINE_WRITE_BACKS) {
            pushCode.run();
            writeBackAndReturn(region);
            return;
        }
        // one shared write-back: a region with hundreds of written locals and dozens of exits
        // would otherwise repeat kilobytes of stores at each exit. Its frame holds the exit code
        // alone, so values still in flight below the carried ones are dropped first.
        for (int i = stack.size() - kept - 1; i >= 0; i--) {
            mv.visitInsn(size(stack.get(i)) == 2 ? POP2 : POP);
        }
        pushCode.run();
        if (region.epilogue.isEmpty() || region.epilogueJumps == JUMPS_PER_LABEL) {
            region.epilogue.add(new Label());
            region.epilogueJumps = 0;
        }
        region.epilogueJumps++;
        mv.visitJumpInsn(GOTO, region.epilogue.get(region.epilogue.size() - 1));
    }

    /** Forward jumps per epilogue label (ASM's list of them grows by 6 entries at a time). */
    private static final int JUMPS_PER_LABEL = 32;

    /** Written locals at most copied back at each exit itself rather than in a shared epilogue. */
    private static final int INLINE_WRITE_BACKS = 2;

    /** Emits the shared exit epilogue, if any exit jumped to it: the exit code is on the stack. */
    void epilogue(Region region) {
        if (!region.epilogue.isEmpty()) {
            for (Label l : region.epilogue) { // one offset: the first label's frame serves them all
                maps.place(l, List.of(ValType.I32), 1, List.of());
            }
            writeBackAndReturn(region);
        }
    }

    /** Stores the written argument locals into the frame arrays and returns the exit code on the stack. */
    private void writeBackAndReturn(Region region) {
        for (int i = 0; i < region.used.length; i++) {
            if (region.writes[i] && region.passed[i]) {
                int l = region.used[i];
                storeBits(element[l], localTypes[l], localSlots[l]);
            }
        }
        mv.visitInsn(IRETURN);
    }

    // ---- the call site

    /**
     * Calls {@code r}'s method (already compiled, so its exits are known), its parameters on the
     * stack, and reloads the locals it writes; the exit code goes to slot {@code scratch} when
     * the region has escapes.
     */
    void call(Region r, int scratch) {
        // locals the region keeps in the arrays: the current values there first
        for (int i = 0; i < r.used.length; i++) {
            int l = r.used[i];
            if ((!r.passed[i] || r.loads) && localSlots[l] >= 0) {
                storeBits(element[l], localTypes[l], localSlots[l]);
            }
        }
        stack.subList(stack.size() - r.params.size(), stack.size()).clear();
        for (int i = 0; i < r.used.length && !r.loads; i++) {
            if (r.passed[i]) {
                int l = r.used[i];
                if (localSlots[l] >= 0) {
                    mv.visitVarInsn(loadOp(localTypes[l]), localSlots[l]);
                } else {
                    loadLocal(l); // this method keeps it in the arrays too
                }
            }
        }
        mv.visitVarInsn(ALOAD, valuesSlot);
        mv.visitVarInsn(ALOAD, refsSlot);
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitMethodInsn(INVOKESTATIC, owner, r.methodName, r.desc, false);
        if (r.escapes.isEmpty()) {
            mv.visitInsn(POP);
        } else {
            mv.visitVarInsn(ISTORE, scratch);
        }
        for (int i = 0; i < r.used.length; i++) {
            int l = r.used[i];
            if (r.writes[i] && localSlots[l] >= 0) {
                loadBits(element[l], localTypes[l]);
                mv.visitVarInsn(storeOp(localTypes[l]), localSlots[l]);
            }
        }
    }

    /**
     * After {@link #call}: takes each of {@code r}'s escapes with {@code branch} (given the label
     * depth, the carried values on the stack), else pushes the region's results. {@code self} is
     * the region this method holds (null in a function's own method). An exit code names its
     * label by depth from the function's (see {@link Region}), so an escape that leaves this
     * method too is passed on unchanged by one compare, whatever its label: a switch with a case
     * per such code made every new path up a chain of nested regions an uncommon trap (and a
     * recompilation) in each method of the chain, and cost a stub per code.
     */
    void dispatch(Region r, int scratch, IntConsumer branch, Region self) {
        if (!r.escapes.isEmpty()) {
            int frames = r.outer.size() - (self == null ? 0 : self.outer.size()); // labels of this method
            int own = r.outer.size() - frames; // codes 1..own leave this method
            int low = Integer.MAX_VALUE;
            int high = 0;
            boolean passes = false;
            for (int depth : r.escapes) {
                if (depth < frames) {
                    int code = r.outer.size() - depth;
                    low = Math.min(low, code);
                    high = Math.max(high, code);
                } else {
                    passes = true;
                    // an escape of this method too: its caller must expect the code
                    if (self.escapeCodes.putIfAbsent(depth - frames, self.escapes.size()) == null) {
                        self.escapes.add(depth - frames);
                    }
                }
            }
            Label normal = new Label();
            mv.visitVarInsn(ILOAD, scratch);
            mv.visitJumpInsn(IFEQ, normal);
            if (passes && high == 0) {
                passOn(self, scratch); // every escape leaves this method too
            } else if (passes) {
                // the exit code slot is dead at labels (the frames' locals are the same
                // everywhere): the switch below takes its copy from the stack
                Label inside = new Label();
                mv.visitVarInsn(ILOAD, scratch);
                mv.visitInsn(DUP);
                JvmInsns.pushInt(mv, own);
                mv.visitJumpInsn(IF_ICMPGT, inside);
                mv.visitInsn(POP);
                passOn(self, scratch);
                maps.place(inside, stack, stack.size(), List.of(ValType.I32));
            } else if (high > 0 && r.escapes.size() > 1) {
                mv.visitVarInsn(ILOAD, scratch);
            }
            if (high > 0 && !passes && r.escapes.size() == 1) {
                // the one escape: any code but 0 is it (a switch of one case cost ~25 bytes a call site)
                int depth = r.escapes.get(0);
                List<ValType> carried = r.outer.get(depth);
                loadValues(carried);
                stack.addAll(carried);
                branch.accept(depth);
                stack.subList(stack.size() - carried.size(), stack.size()).clear();
            } else if (high > 0) {
                Label[] exits = new Label[high - low + 1];
                java.util.Arrays.fill(exits, normal);
                for (int depth : r.escapes) {
                    if (depth < frames) {
                        exits[r.outer.size() - depth - low] = new Label();
                    }
                }
                switchOn(low, high, normal, exits);
                for (int depth : r.escapes) {
                    if (depth >= frames) {
                        continue;
                    }
                    maps.place(exits[r.outer.size() - depth - low], stack, stack.size(), List.of());
                    List<ValType> carried = r.outer.get(depth);
                    loadValues(carried);
                    stack.addAll(carried);
                    branch.accept(depth);
                    stack.subList(stack.size() - carried.size(), stack.size()).clear();
                }
            }
            maps.place(normal, stack, stack.size(), List.of());
        }
        loadValues(r.results);
        stack.addAll(r.results);
    }

    /**
     * A {@code tableswitch} on the exit codes {@code low..high}, or a {@code lookupswitch} when that
     * is smaller: a region's escapes are often a few codes far apart (a loop's continue and the
     * function's error exit), which as a table took 140 bytes of default entries a call site.
     */
    private void switchOn(int low, int high, Label normal, Label[] exits) {
        int cases = 0;
        for (Label l : exits) {
            cases += l != normal ? 1 : 0;
        }
        if (8L * cases + 8 >= 4L * (high - low + 1) + 12) {
            mv.visitTableSwitchInsn(low, high, normal, exits);
            return;
        }
        int[] keys = new int[cases];
        Label[] targets = new Label[cases];
        for (int i = 0, k = 0; i < exits.length; i++) {
            if (exits[i] != normal) {
                keys[k] = low + i;
                targets[k++] = exits[i];
            }
        }
        mv.visitLookupSwitchInsn(normal, keys, targets);
    }

    // ---- the arrays

    /** Moves the top {@code types.size()} stack values to the carried-value elements, via temps from {@code temps} on. */
    private void storeValues(List<ValType> types, int temps) {
        int[] from = new int[types.size()];
        int next = temps;
        for (int i = types.size() - 1; i >= 0; i--) {
            from[i] = next;
            next += size(types.get(i));
            mv.visitVarInsn(storeOp(types.get(i)), from[i]);
        }
        for (int i = 0; i < types.size(); i++) {
            ValType t = types.get(i);
            storeBits((inRefs(t) ? refBase : valueBase) + i, t, from[i]);
        }
    }

    private void loadValues(List<ValType> types) {
        for (int i = 0; i < types.size(); i++) {
            ValType t = types.get(i);
            loadBits((inRefs(t) ? refBase : valueBase) + i, t);
        }
    }

    /** Loads element {@code index} of the arrays as a {@code t}. */
    private void loadBits(int index, ValType t) {
        mv.visitVarInsn(ALOAD, inRefs(t) ? refsSlot : valuesSlot);
        JvmInsns.pushInt(mv, index);
        mv.visitInsn(inRefs(t) ? AALOAD : LALOAD);
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
    private void storeBits(int index, ValType t, int from) {
        mv.visitVarInsn(ALOAD, inRefs(t) ? refsSlot : valuesSlot);
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
        mv.visitInsn(inRefs(t) ? AASTORE : LASTORE);
    }
}
