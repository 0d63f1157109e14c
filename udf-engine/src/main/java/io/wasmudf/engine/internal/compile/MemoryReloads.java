package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.BLOCK;
import static io.wasmudf.engine.internal.model.Opcodes.I32_LOAD;
import static io.wasmudf.engine.internal.model.Opcodes.I64_STORE32;
import static io.wasmudf.engine.internal.model.Opcodes.LOOP;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import java.util.List;

/**
 * Whether a method of a cut function reads the memory buffer and bound it caches (a load or store,
 * a vector access, in its own code rather than in the methods it calls): only then does it re-read
 * them after each call that may have grown the memory. The skeletons of interpreter loops are
 * mostly calls: QuickJS's {@code JS_CallInternal} keeps the dispatch and ~90 arm calls in its own
 * method, and the reload after each call (21 bytes) was a third of its 6,200 bytes of bytecode,
 * never read. The buffer is still loaded at entry (the stack map frames declare its slot). A
 * method that outlines nothing holds its whole function and reads whenever it has the slot, so
 * every small function (the benchmark kernels among them) compiles as before. Re-reading before
 * each access instead, in methods with far fewer accesses than calls, was tried and left out: a
 * skeleton's accesses run on every iteration of its loop while most of its calls do not, and the
 * SQLite runs measured no better, rather worse.
 */
final class MemoryReloads {
    private MemoryReloads() {}

    /**
     * Whether the own code of the method holding {@code region} (null: the function's own
     * method) of {@code code}, given what its {@code plan} outlines, reads the cached buffer;
     * {@code outlined} tells whether a planned block at an index really becomes a region (its
     * parameters fit a method).
     */
    static boolean reads(List<Instruction> code, Region region, Outliner.Plan plan, java.util.function.IntPredicate outlined) {
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
        for (int pc = from; pc < to; pc++) {
            Integer chunkEnd = plan.chunks().get(pc);
            if (chunkEnd != null) {
                pc = chunkEnd - 1; // the chunk [pc, end) is its own method
                continue;
            }
            int op = code.get(pc).opcode();
            if ((op == BLOCK || op == LOOP) && plan.blocks().contains(pc) && outlined.test(pc)) {
                pc = (int) code.get(pc).c(); // through its end
            } else if (op >= I32_LOAD && op <= I64_STORE32 || SimdOpcodes.touchesMemory(op)) {
                return true;
            }
        }
        return false;
    }
}
