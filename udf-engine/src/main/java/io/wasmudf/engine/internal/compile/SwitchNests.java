package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.BLOCK;
import static io.wasmudf.engine.internal.model.Opcodes.BR_TABLE;
import static io.wasmudf.engine.internal.model.Opcodes.END;
import static io.wasmudf.engine.internal.model.Opcodes.IF;
import static io.wasmudf.engine.internal.model.Opcodes.LOOP;
import static io.wasmudf.engine.internal.model.Opcodes.TRY_TABLE;

import io.wasmudf.engine.internal.model.Instruction;

/**
 * The blocks a large {@code br_table} jumps out of, which the {@link Outliner} must not put whole
 * into a straight-line chunk. A C {@code switch} compiles to a nest of blocks with the
 * {@code br_table} innermost and each arm after its block's {@code end}; the innermost blocks are
 * small, so they used to be counted whole into the chunk before the first large arm, and the
 * dispatch of every iteration of an interpreter loop (SQLite's VDBE, QuickJS's bytecode loop)
 * became a region call that returned one of ~190 exit codes for its caller to switch on again.
 * Kept open, the {@code br_table} stays in the method that holds the nest, where its arms are
 * plain jumps (or calls of the arms' chunks).
 */
final class SwitchNests {
    /**
     * Targets from which a {@code br_table} counts as a switch dispatch
     * ({@code -Dwasmudf.compile.switchTargets}; 0 turns the rule off, for comparisons).
     */
    static final int MIN_TARGETS = Integer.getInteger("wasmudf.compile.switchTargets", 16);

    private final int n;
    /** The blocks marked so far (allocated at the first switch dispatch). */
    private boolean[] open;
    private int[] stack = new int[16];
    // cover[s]: stack entries [cover[s], s] are all marked (valid while entry s is marked)
    private int[] cover = new int[16];
    private int depth;

    /**
     * A pass over a body of {@code n} instructions, fed one at a time by {@link #step} (with the
     * other passes of {@link BodyFacts}); {@link #result} after the last.
     */
    SwitchNests(int n) {
        this.n = n;
    }

    /**
     * For each instruction index, whether it starts a block, loop or if that a switch dispatch
     * inside it leaves (a target deeper than the block itself); null when there is none. Linear:
     * each {@code br_table} marks at most as many blocks as it has targets.
     */
    boolean[] result() {
        return MIN_TARGETS <= 0 ? null : open;
    }

    /** Takes instruction {@code i}, {@code in}: the next of the body. */
    void step(int i, Instruction in) {
        int op = in.opcode();
        if (op == BLOCK || op == LOOP || op == IF || op == TRY_TABLE) {
            if (depth == stack.length) {
                stack = java.util.Arrays.copyOf(stack, depth * 2);
                cover = java.util.Arrays.copyOf(cover, depth * 2);
            }
            stack[depth++] = i;
        } else if (op == END) {
            depth = Math.max(0, depth - 1); // the function's own end pops nothing
        } else if (op == BR_TABLE && in.labels().length >= MIN_TARGETS && MIN_TARGETS > 0) {
            int reach = in.a();
            for (int l : in.labels()) {
                reach = Math.max(reach, l);
            }
            if (open == null) {
                open = new boolean[n];
            }
            // label d leaves the d innermost constructs (and targets the next one's end):
            // mark entries [lowest, depth) of the stack, skipping runs marked before
            int lowest = Math.max(0, depth - reach);
            int s = depth - 1;
            while (s >= lowest) {
                if (open[stack[s]]) {
                    int c = cover[s];
                    cover[s] = Math.min(c, lowest);
                    s = c - 1;
                } else {
                    open[stack[s]] = true;
                    cover[s] = lowest;
                    s--;
                }
            }
        }
    }
}
