package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.compile.JvmInsns.size;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.FunctionBody;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM local slots of one compiled method (a whole function or an outlined region of it): where
 * each Wasm local lives, the instance, the cached memory buffer and bound, the call-depth budget and
 * the region frame arrays, with the verification type each slot holds at entry (see
 * {@link StackMapFrames}). Temporaries start at {@link #firstTemp}.
 */
final class SlotLayout {
    /** Local slots a method may use for Wasm locals: 65,535 in the class file, less room for temporaries. */
    static final int MAX_LOCAL_SLOTS = 65_000;

    /** JVM slot of each Wasm local (parameters first); -1 for a local kept in the frame arrays (an outlined region's, or every local of a homed method). */
    final int[] localSlots;
    /** A homed method's parameter slots, read once at entry into the frame arrays ({@link HomedLocals}); null otherwise. */
    final int[] paramSlots;
    final ValType[] localTypes;
    /** Declared v128 locals held in two long or four float slots ({@link SimdEmitter#LONGS}/{@link SimdEmitter#FLOATS}), or null when there are none (see SimdEmitter#loadSplit). */
    byte[] splitLocals;
    final int selfSlot;
    /**
     * Slot caching {@code memory.buffer()}, or -1 when the function never touches memory; the next
     * slot caches {@code memory.byteSize()}.
     */
    final int memSlot;
    /** The call-depth budget's slot, or -1 (none, or passed as a parameter: see {@link #budgetParam}). */
    int budgetSlot = -1;
    /** Whether this method is a self-recursive body with its call-depth budget in a parameter (see {@link SelfRecursion}). */
    final boolean budgetParam;
    /** Slots of the region frame arrays (see {@link Region}), or -1 in a function that outlines nothing. */
    final int valuesSlot;
    final int refsSlot;
    /** The lane-read windows of the function's v128 locals and their extra slots (see {@link SimdLaneWindows}), or null. */
    LaneWindowShape laneWindows;
    int[] laneWindowSlots;
    /** The verification type of every slot at entry (null: not assigned yet, or a long/double's second half). */
    final Object[] entryTypes;
    /** The first slot above the locals: where temporaries start. */
    final int firstTemp;

    /**
     * The slots of function {@code funcIndex}'s method ({@code region == null}) or of the method of
     * one of its outlined regions; {@code outlines}: whether the method itself outlines anything;
     * {@code homed}: whether it keeps every local in the frame arrays.
     */
    SlotLayout(ModuleLayout layout, int funcIndex, FuncType type, FunctionBody body, Region region, BodyFacts facts,
               boolean outlines, boolean homed) {
        int n = type.params().size() + body.locals().size();
        localSlots = new int[n];
        localTypes = new ValType[n];
        int i = 0;
        for (ValType p : type.params()) {
            localTypes[i++] = p;
        }
        for (ValType l : body.locals()) {
            localTypes[i++] = l;
        }
        // JVM slots, and what each holds at every label (see StackMapFrames)
        List<Object> slotTypes = new ArrayList<>();
        budgetParam = region == null && SelfRecursion.applies(layout, facts, body.code().size(), funcIndex);
        if (region == null) {
            for (int k = 0; k < type.params().size(); k++) {
                localSlots[k] = StackMapFrames.assign(slotTypes, StackMapFrames.type(localTypes[k]), size(localTypes[k]));
            }
            selfSlot = StackMapFrames.assign(slotTypes, layout.className, 1);
            if (budgetParam) {
                budgetSlot = StackMapFrames.assign(slotTypes, org.objectweb.asm.Opcodes.INTEGER, 1);
            }
            for (int k = type.params().size(); k < n && !homed; k++) {
                if (localTypes[k] == ValType.V128 && !outlines) {
                    splitLocals = splitLocals != null ? splitLocals : new byte[n];
                    splitLocals[k] = SimdLaneSpill.form(body.code(), k); // see SimdEmitter#loadSplit
                    localSlots[k] = SimdEmitter.assignSplit(slotTypes, splitLocals[k]);
                    continue;
                }
                localSlots[k] = StackMapFrames.assign(slotTypes, StackMapFrames.type(localTypes[k]), size(localTypes[k]));
            }
            if (facts.usesMemory && !outlines && !homed && !layout.addressTypes.memory64(0)) {
                laneWindows = LaneWindowShape.find(body.code(), splitLocals);
                laneWindowSlots = SimdLaneWindows.assignSlots(laneWindows, slotTypes);
            }
            memSlot = facts.usesMemory ? StackMapFrames.assignMemory(slotTypes) : -1;
            if (layout.checks.callDepth() && !budgetParam) {
                budgetSlot = StackMapFrames.assign(slotTypes, facts.leaf ? null : org.objectweb.asm.Opcodes.INTEGER, 1);
            }
            valuesSlot = outlines ? StackMapFrames.assign(slotTypes, "[J", 1) : -1;
            refsSlot = outlines ? StackMapFrames.assign(slotTypes, "[Ljava/lang/Object;", 1) : -1;
            if (homed) { // the parameters' slots are read once, at entry (see FunctionCompiler#compile)
                paramSlots = java.util.Arrays.copyOf(localSlots, type.params().size());
                java.util.Arrays.fill(localSlots, -1);
            } else {
                paramSlots = null;
            }
        } else {
            paramSlots = null;
            // (block params…, passed locals…, long[] values, Object[] refs, self); the other used locals stay in the arrays
            java.util.Arrays.fill(localSlots, -1);
            for (ValType p : region.params) {
                StackMapFrames.assign(slotTypes, StackMapFrames.type(p), size(p));
            }
            assignPassed(region, slotTypes, false); // arguments, unless it loads them: then slots after the others, filled at entry
            valuesSlot = StackMapFrames.assign(slotTypes, "[J", 1);
            refsSlot = StackMapFrames.assign(slotTypes, "[Ljava/lang/Object;", 1);
            selfSlot = StackMapFrames.assign(slotTypes, layout.className, 1);
            memSlot = facts.usesMemory ? StackMapFrames.assignMemory(slotTypes) : -1;
            assignPassed(region, slotTypes, true);
        }
        firstTemp = slotTypes.size();
        if (firstTemp > MAX_LOCAL_SLOTS) {
            // max_locals is a u2 in the class file; temporaries need a little room above the locals
            throw new ModuleCompiler.TooLargeException("function " + funcIndex + " has too many locals for the JVM ("
                    + firstTemp + " local slots, limit " + MAX_LOCAL_SLOTS + ")");
        }
        entryTypes = slotTypes.toArray();
    }

    /** Gives the region's passed locals their slots, if they are arguments ({@code loaded} false) or loaded at entry. */
    private void assignPassed(Region region, List<Object> slotTypes, boolean loaded) {
        for (int k = 0; k < region.used.length && loaded == region.loads; k++) {
            if (region.passed[k]) {
                int l = region.used[k];
                localSlots[l] = StackMapFrames.assign(slotTypes, StackMapFrames.type(localTypes[l]), size(localTypes[l]));
            }
        }
    }
}
