package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.CALL;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_GET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_SET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_TEE;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
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
    /** Frame height of each block, loop and if without its parameters (see {@link StackHeights}), with {@link #heights}. */
    final int[] bases;
    /**
     * Prefix counts of local accesses ({@code local.get/set/tee} before each instruction), with
     * {@link #heights}: the planner's bound on a construct's call cost. Once per function, not per
     * method planned (a function cut into thousands of methods re-counted its whole body for each).
     */
    final int[] localOps;
    /**
     * The body's local accesses in order, with {@link #localOps}: the local's index shifted left
     * by one, the low bit set for a write ({@code local.set/tee}). {@link Region} reads the ones
     * of its range here: a region's scan of its own instructions also covered every region nested
     * in it, so each instruction was read once per enclosing region (chains of nested regions
     * in the cut functions), each read a visit to an instruction record.
     */
    final int[] localRefs;
    /** With {@link #localOps}: the positions, ascending, of the calls and {@code memory.grow}s (see {@link OpcodeTables#REPLACES_MEMORY}). */
    final int[] replacePcs;
    /** Blocks a switch dispatch leaves, kept out of chunks (see {@link SwitchNests}), with {@link #heights}; else null. */
    final boolean[] switchNests;
    /** The most values any label of the body carries (block results, loop parameters): the region value area's size. */
    final int maxArity;
    /** Whether the body loads or stores memory (then its methods cache the buffer in a local). */
    final boolean usesMemory;
    /** The estimated bytes above which the function's methods get parts outlined (see {@link Outliner}). */
    final int limit;
    /** Whether the body makes no calls (see {@link CheckEmitter}). */
    final boolean leaf;
    /** Whether the body calls its own function directly (see {@link SelfRecursion}). */
    final boolean selfCalls;
    /** Whether its loads and stores are inline bytecode rather than {@code Mem} helper calls (see {@link MemoryTableEmitter#inlineAccesses}). */
    final boolean inlineAccesses;
    /** {@link HomedLocals#sums}, computed at the first homed method of the function (not again for each). */
    int[] homedSums;

    private BodyFacts(int[] sums, int[] heights, int[] bases, int[] localOps, int[] localRefs, int[] replacePcs, boolean[] switchNests,
                      int maxArity, int limit, boolean usesMemory, boolean leaf, boolean inlineAccesses, boolean selfCalls) {
        this.localRefs = localRefs;
        this.replacePcs = replacePcs;
        this.selfCalls = selfCalls;
        this.limit = limit;
        this.localOps = localOps;
        this.switchNests = switchNests;
        this.sums = sums;
        this.heights = heights;
        this.bases = bases;
        this.maxArity = maxArity;
        this.usesMemory = usesMemory;
        this.leaf = leaf;
        this.inlineAccesses = inlineAccesses;
    }

    /** The facts of {@code code}, function {@code funcIndex}'s body, whose methods are cut to about {@code limit} estimated bytes. */
    static BodyFacts of(ModuleLayout layout, List<Instruction> code, int limit, int funcIndex) {
        int n = code.size();
        int[] sums = new int[n + 1];
        int accesses = 0;
        boolean simdMemory = false;
        boolean leaf = true;
        boolean selfCalls = false;
        int arity = 0;
        boolean legacyEh = false;
        // the cutting facts are gathered in this pass when the body will likely need cutting (each
        // pass over the instruction records of a large function is a visible part of its compile),
        // in a second one when it needs them after all
        boolean likelyCut = n > limit / 4;
        int[] localOps = likelyCut ? new int[n + 1] : null;
        Refs refs = likelyCut ? new Refs(n) : null;
        StackHeights stackHeights = likelyCut ? new StackHeights(layout, n) : null;
        SwitchNests nests = likelyCut ? new SwitchNests(n) : null;
        int sum = 0;
        int locals = 0;
        for (int i = 0; i < n; i++) {
            Instruction in = code.get(i);
            int op = in.opcode();
            // by table (see OpcodeTables): no opcode of more than one byte has any of these flags
            int f = op < OpcodeTables.FLAGS.length ? OpcodeTables.FLAGS[op] : 0;
            // legacy exception handling (rethrow reads a catch's slot, delegate names handlers) stays in one method
            legacyEh |= (f & OpcodeTables.LEGACY_EH) != 0;
            if ((f & OpcodeTables.CONSTRUCT) != 0) {
                if (in.a() >= 0) {
                    FuncType t = layout.module.types().get(in.a());
                    arity = Math.max(arity, Math.max(t.params().size(), t.results().size()));
                } else if (in.a() == Instruction.BLOCK_VALUE) {
                    arity = Math.max(arity, 1);
                }
            }
            accesses += f & OpcodeTables.ACCESS;
            if (op >= OpcodeTables.FLAGS.length) {
                simdMemory |= SimdOpcodes.touchesMemory(op); // vector accesses are helper calls, not counted above
            }
            // a tail call is a call: a chain of them must check interrupts at each entry
            leaf &= (f & OpcodeTables.CALLS) == 0;
            selfCalls |= op == CALL && in.a() == funcIndex;
            sum += Outliner.cost(in);
            sums[i + 1] = sum;
            if (likelyCut) {
                locals += (f & OpcodeTables.LOCAL) >> 1;
                localOps[i + 1] = locals;
                if ((f & (OpcodeTables.LOCAL | OpcodeTables.REPLACES_MEMORY)) != 0) {
                    refs.add(i, in, f);
                }
                stackHeights.step(i, in);
                nests.step(i, in);
            }
        }
        // stack heights are only needed to cut functions too big for one method
        int[] bases = null;
        int[] heights = null;
        boolean[] switchNests = null;
        if (legacyEh) {
            limit = Integer.MAX_VALUE;
        }
        if (sums[n] > limit) {
            if (!likelyCut) {
                localOps = new int[n + 1];
                refs = new Refs(n);
                stackHeights = new StackHeights(layout, n);
                nests = new SwitchNests(n);
                for (int i = 0; i < n; i++) {
                    Instruction in = code.get(i);
                    int op = in.opcode();
                    localOps[i + 1] = localOps[i] + (isLocalOp(op) ? 1 : 0);
                    int f = op < OpcodeTables.FLAGS.length ? OpcodeTables.FLAGS[op] : 0;
                    if ((f & (OpcodeTables.LOCAL | OpcodeTables.REPLACES_MEMORY)) != 0) {
                        refs.add(i, in, f);
                    }
                    stackHeights.step(i, in);
                    nests.step(i, in);
                }
            }
            switchNests = nests.result();
            bases = stackHeights.bases;
            heights = stackHeights.heights;
        } else {
            localOps = null;
            refs = null;
        }
        return new BodyFacts(sums, heights, bases, localOps, refs == null ? null : refs.locals, refs == null ? null : refs.replaces(),
                switchNests, arity, limit, accesses > 0 || simdMemory, leaf, MemoryTableEmitter.inlineAccesses(sums[n], accesses, limit),
                selfCalls);
    }

    /** Whether an instruction of {@code [from, to)} may replace the memory buffer; needs {@link #replacePcs}. */
    boolean replacesMemoryIn(int from, int to) {
        int k = java.util.Arrays.binarySearch(replacePcs, from);
        k = k >= 0 ? k : -k - 1; // the first position at or after from
        return k < replacePcs.length && replacePcs[k] < to;
    }

    /** Gathers {@link #localRefs} and {@link #replacePcs} in a pass over the body. */
    private static final class Refs {
        int[] locals;
        int count;
        int[] replaces = new int[16];
        int replaceCount;

        Refs(int n) {
            locals = new int[Math.max(16, n / 2)];
        }

        /** Instruction {@code pc}, a local access or one that may replace the memory, with its {@link OpcodeTables#FLAGS} {@code f}. */
        void add(int pc, Instruction in, int f) {
            if ((f & OpcodeTables.LOCAL) != 0) {
                if (count == locals.length) {
                    locals = java.util.Arrays.copyOf(locals, 2 * count);
                }
                locals[count++] = in.a() << 1 | (in.opcode() != LOCAL_GET ? 1 : 0);
            }
            if ((f & OpcodeTables.REPLACES_MEMORY) != 0) {
                if (replaceCount == replaces.length) {
                    replaces = java.util.Arrays.copyOf(replaces, 2 * replaceCount);
                }
                replaces[replaceCount++] = pc;
            }
        }

        int[] replaces() {
            return java.util.Arrays.copyOf(replaces, replaceCount);
        }
    }

    private static boolean isLocalOp(int op) {
        return op == LOCAL_GET || op == LOCAL_SET || op == LOCAL_TEE;
    }
}
