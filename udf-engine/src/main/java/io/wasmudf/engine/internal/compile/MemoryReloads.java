package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.BLOCK;
import static io.wasmudf.engine.internal.model.Opcodes.I32_LOAD;
import static io.wasmudf.engine.internal.model.Opcodes.I64_STORE32;
import static io.wasmudf.engine.internal.model.Opcodes.LOOP;
import static io.wasmudf.engine.internal.model.Opcodes.CALL;
import static io.wasmudf.engine.internal.model.Opcodes.CALL_INDIRECT;
import static io.wasmudf.engine.internal.model.Opcodes.MEMORY_GROW;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.RefOpcodes;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import java.util.List;

/**
 * Where a method of a cut function re-reads the memory buffer and bound it caches: after each call
 * that may have grown the memory (the usual place), before each of its own loads and stores
 * (a method that outlines code and has far fewer accesses of its own than calls, see
 * {@link #perAccess}), or nowhere (when it has none and leaves every access to the methods it calls). The skeletons of interpreter loops are mostly calls: QuickJS's
 * {@code JS_CallInternal} keeps the dispatch and ~90 arm calls in its own method, and the reload
 * after each call (21 bytes) was a third of its 6,200 bytes of bytecode, never read; the next
 * method of its switch nest had 90 reloads for one access. Bytecode a skeleton saves is room for
 * arms it keeps inline or a level of the nest less. The buffer is still loaded at entry (the
 * stack map frames declare its slot). A method that outlines nothing holds its whole function
 * or region and keeps the usual place, so every small function (the benchmark kernels among
 * them) compiles as before.
 */
final class MemoryReloads {
    private MemoryReloads() {}

    /**
     * Calls per own access from which a method re-reads the buffer before each access instead of
     * after each call. Not at parity: a skeleton's accesses run on every iteration of its loop
     * (SQLite's VDBE switch method has 44 accesses in its small arms for 74 calls, and re-reading
     * before each of them measured no better, rather worse, than after each call), while most of
     * its calls do not; SQLite's {@code f955} (5 accesses, 106 calls) and QuickJS's second
     * level (1 access, 127 calls) are the cases it is for.
     */
    static final int CALLS_PER_ACCESS = 8;

    /** Whether a method whose own code has {@code counts} ({@link #count}) re-reads the buffer before each access. */
    static boolean perAccess(int[] counts) {
        return counts[0] > 0 && counts[0] != Integer.MAX_VALUE && (long) counts[0] * CALLS_PER_ACCESS <= counts[1];
    }

    /**
     * The loads and stores in the own code of the method holding {@code region} (null: the
     * function's own method) of {@code code}, given what its {@code plan} outlines, and the
     * points after which it would re-read a cached buffer (calls, outlined pieces,
     * {@code memory.grow}): {@code {accesses, reloads}}; accesses are {@link Integer#MAX_VALUE} when
     * it has a vector access (those read the cache in their own emitter). {@code outlined} tells
     * whether a planned block at an index really becomes a region (its parameters fit a method).
     */
    static int[] count(List<Instruction> code, Region region, Outliner.Plan plan, java.util.function.IntPredicate outlined) {
        int from;
        int to;
        if (region == null) {
            from = 0;
            to = code.size();
        } else if (region.chunk) {
            from = region.start;
            to = region.end;
        } else {
            from = region.start + 1;
            to = region.end;
        }
        int accesses = 0;
        int reloads = 0;
        for (int pc = from; pc < to; pc++) {
            Integer chunkEnd = plan.chunks().get(pc);
            if (chunkEnd != null) {
                pc = chunkEnd - 1; // the chunk [pc, end) is its own method
                reloads++;
                continue;
            }
            int op = code.get(pc).opcode();
            if ((op == BLOCK || op == LOOP) && plan.blocks().contains(pc) && outlined.test(pc)) {
                pc = (int) code.get(pc).c(); // through its end
                reloads++;
            } else if (op >= I32_LOAD && op <= I64_STORE32) {
                accesses++;
            } else if (SimdOpcodes.touchesMemory(op)) {
                return new int[] {Integer.MAX_VALUE, reloads};
            } else if (op == CALL || op == CALL_INDIRECT || op == RefOpcodes.CALL_REF || op == MEMORY_GROW) {
                reloads++;
            }
        }
        return new int[] {accesses, reloads};
    }
}
