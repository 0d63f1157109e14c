package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.CALL;
import static io.wasmudf.engine.internal.model.Opcodes.CALL_INDIRECT;
import static io.wasmudf.engine.internal.model.Opcodes.I32_LOAD;
import static io.wasmudf.engine.internal.model.Opcodes.I64_STORE32;

import io.wasmudf.engine.internal.model.Instruction;
import java.util.List;

/**
 * What the compiler needs to know about a whole function body before emitting it, gathered in
 * one pass and shared by the function's method and all its outlined regions (each used to rescan
 * the body, which dominated compile time for large functions).
 */
final class BodyFacts {
    /** Prefix sums of {@link Outliner#cost}: the estimate of {@code [a, b]} is {@code sums[b + 1] - sums[a]}. */
    final int[] sums;
    /** Stack height before each instruction, only for functions that need outlining (see {@link StackHeights}); else null. */
    final int[] heights;
    /** Whether the body loads or stores memory (then its methods cache the buffer in a local). */
    final boolean usesMemory;
    /** Whether the body makes no calls (see {@link CheckEmitter}). */
    final boolean leaf;

    private BodyFacts(int[] sums, int[] heights, boolean usesMemory, boolean leaf) {
        this.sums = sums;
        this.heights = heights;
        this.usesMemory = usesMemory;
        this.leaf = leaf;
    }

    static BodyFacts of(ModuleLayout layout, List<Instruction> code) {
        int n = code.size();
        int[] sums = new int[n + 1];
        boolean memory = false;
        boolean leaf = true;
        for (int i = 0; i < n; i++) {
            Instruction in = code.get(i);
            int op = in.opcode();
            memory |= op >= I32_LOAD && op <= I64_STORE32;
            leaf &= op != CALL && op != CALL_INDIRECT;
            sums[i + 1] = sums[i] + Outliner.cost(in);
        }
        // stack heights are only needed to cut functions too big for one method
        int[] heights = sums[n] > layout.methodLimit ? StackHeights.of(layout, code) : null;
        return new BodyFacts(sums, heights, memory, leaf);
    }
}
