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

    /** JVM slot of each Wasm local (parameters first); -1 for a local an outlined region keeps in the frame arrays. */
    final int[] localSlots;
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
    /** The verification type of every slot at entry (null: not assigned yet, or a long/double's second half). */
    final Object[] entryTypes;
    /** The first slot above the locals: where temporaries start. */
    final int firstTemp;

    /**
     * The slots of function {@code funcIndex}'s method ({@code region == null}) or of the method of
     * one of its outlined regions; {@code outlines}: whether the method itself outlines anything.
     */
    SlotLayout(ModuleLayout layout, int funcIndex, FuncType type, FunctionBody body, Region region, BodyFacts facts,
               boolean outlines) {
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
                localSlots[k] = assign(slotTypes, StackMapFrames.type(localTypes[k]), size(localTypes[k]));
            }
            selfSlot = assign(slotTypes, layout.className, 1);
            if (budgetParam) {
                budgetSlot = assign(slotTypes, org.objectweb.asm.Opcodes.INTEGER, 1);
            }
            for (int k = type.params().size(); k < n; k++) {
                if (localTypes[k] == ValType.V128 && !outlines) {
                    splitLocals = splitLocals != null ? splitLocals : new byte[n];
                    splitLocals[k] = SimdLaneSpill.form(body.code(), k); // see SimdEmitter#loadSplit
                    localSlots[k] = SimdEmitter.assignSplit(slotTypes, splitLocals[k]);
                    continue;
                }
                localSlots[k] = assign(slotTypes, StackMapFrames.type(localTypes[k]), size(localTypes[k]));
            }
            memSlot = facts.usesMemory ? assignMemory(slotTypes) : -1;
            if (layout.checks.callDepth() && !budgetParam) {
                budgetSlot = assign(slotTypes, facts.leaf ? null : org.objectweb.asm.Opcodes.INTEGER, 1);
            }
            valuesSlot = outlines ? assign(slotTypes, "[J", 1) : -1;
            refsSlot = outlines ? assign(slotTypes, "[Ljava/lang/Object;", 1) : -1;
        } else {
            // (block params…, passed locals…, long[] values, Object[] refs, self); the other used locals stay in the arrays
            java.util.Arrays.fill(localSlots, -1);
            for (ValType p : region.params) {
                assign(slotTypes, StackMapFrames.type(p), size(p));
            }
            for (int k = 0; k < region.used.length; k++) {
                if (region.passed[k]) {
                    int l = region.used[k];
                    localSlots[l] = assign(slotTypes, StackMapFrames.type(localTypes[l]), size(localTypes[l]));
                }
            }
            valuesSlot = assign(slotTypes, "[J", 1);
            refsSlot = assign(slotTypes, "[Ljava/lang/Object;", 1);
            selfSlot = assign(slotTypes, layout.className, 1);
            memSlot = facts.usesMemory ? assignMemory(slotTypes) : -1;
        }
        firstTemp = slotTypes.size();
        if (firstTemp > MAX_LOCAL_SLOTS) {
            // max_locals is a u2 in the class file; temporaries need a little room above the locals
            throw new ModuleCompiler.TooLargeException("function " + funcIndex + " has too many locals for the JVM ("
                    + firstTemp + " local slots, limit " + MAX_LOCAL_SLOTS + ")");
        }
        entryTypes = slotTypes.toArray();
    }

    /** Gives the memory buffer a slot and its size in bytes the next one; returns the first. */
    private static int assignMemory(List<Object> slotTypes) {
        int slot = assign(slotTypes, "[B", 1);
        assign(slotTypes, org.objectweb.asm.Opcodes.INTEGER, 1);
        return slot;
    }

    /** Gives the next {@code size} slots to a value of verification type {@code type} (null: not assigned at entry). */
    private static int assign(List<Object> slotTypes, Object type, int size) {
        int slot = slotTypes.size();
        slotTypes.add(type);
        for (int k = 1; k < size; k++) {
            slotTypes.add(null);
        }
        return slot;
    }
}
