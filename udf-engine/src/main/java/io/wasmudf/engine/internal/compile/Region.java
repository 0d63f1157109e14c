package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_GET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_SET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_TEE;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import java.util.ArrayList;
import java.util.List;

/**
 * A block, loop or straight-line chunk compiled as its own method {@code static int r…(long[]
 * values, Object[] refs, self)}. The caller stores the region's parameters and the locals it
 * uses into the arrays (numbers as raw bits, references as objects), calls, reloads the locals
 * the region writes, and dispatches on the returned exit code: 0 = the region's end (results in
 * the arrays), k > 0 = a branch to an enclosing label, {@code escapes.get(k - 1)} labels out
 * from the region's parent (results of that branch in the arrays). {@link RegionCalls} emits
 * both sides.
 */
final class Region {
    final int start;
    final int end;
    final boolean loop;
    /** A straight-line chunk {@code [start, end)} of one block's instructions, typed [] -> []. */
    final boolean chunk;
    final List<ValType> params;
    final List<ValType> results;
    /** Branch types of the labels enclosing the region, innermost first, ending with the function's. */
    final List<List<ValType>> outer;
    final String methodName;
    /** Wasm locals the region reads or writes, and those it writes. */
    final int[] used;
    final boolean[] writes;
    /** Array index of each used local (in {@code values} or {@code refs} by type). */
    final int[] slot;
    final int valueBase;
    final int refBase;
    final List<Integer> escapes = new ArrayList<>();
    int maxValues;

    /**
     * The region {@code [start, end]} of {@code code} (a chunk: {@code [start, end)}) in a function
     * whose locals have {@code localTypes}.
     */
    Region(List<Instruction> code, int start, int end, boolean loop, boolean chunk, List<ValType> params,
           List<ValType> results, List<List<ValType>> outer, String methodName, ValType[] localTypes) {
        this.start = start;
        this.end = end;
        this.loop = loop;
        this.chunk = chunk;
        this.params = params;
        this.results = results;
        this.outer = outer;
        this.methodName = methodName;
        boolean[] isUsed = new boolean[localTypes.length];
        boolean[] isWritten = new boolean[localTypes.length];
        for (int pc = start; pc < (chunk ? end : end + 1); pc++) {
            int op = code.get(pc).opcode();
            if (op == LOCAL_GET || op == LOCAL_SET || op == LOCAL_TEE) {
                isUsed[code.get(pc).a()] = true;
                isWritten[code.get(pc).a()] |= op != LOCAL_GET;
            }
        }
        int count = 0;
        for (boolean u : isUsed) {
            count += u ? 1 : 0;
        }
        this.used = new int[count];
        this.writes = new boolean[count];
        for (int i = 0, k = 0; i < isUsed.length; i++) {
            if (isUsed[i]) {
                writes[k] = isWritten[i];
                used[k++] = i;
            }
        }
        this.slot = new int[used.length];
        int nums = 0;
        int refs = 0;
        for (int i = 0; i < used.length; i++) {
            slot[i] = localTypes[used[i]].isReference() ? refs++ : nums++;
        }
        this.valueBase = nums;
        this.refBase = refs;
        this.maxValues = Math.max(params.size(), results.size());
    }
}
