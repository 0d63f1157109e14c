package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;

import io.wasmudf.engine.internal.model.Instruction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses which parts of a large function to compile as separate JVM methods. HotSpot does not
 * JIT-compile methods over 8,000 bytes of bytecode ({@code -XX:HugeMethodLimit}) and the class-file
 * format stops at 64 KB, while compiled C often has functions far larger; an interpreter fallback
 * would be ~25x slower (Chicory's experience).
 *
 * <p>The plan keeps the function's control-flow skeleton in its method and moves the leaves out:
 * constructs larger than the limit stay inline (their headers, branches and loop back-edges cost
 * little) and the planner descends into them; the runs of smaller code between them — statements,
 * the arms of a {@code br_table} switch, the body of an {@code if} — are cut into chunks of up to
 * the limit where no value is in flight. An interpreter loop such as SQLite's VDBE then stays one
 * loop in one method that calls the one arm each iteration takes, instead of a chain of hundreds of
 * nested methods every iteration passes through. Chunks outside loops go first, then chunks in the
 * fewest enclosing loops, largest first. Only when the skeleton itself is still too big (thousands
 * of arms) does a large block or loop go to a method of its own, the smallest one that is enough,
 * and that method is planned the same way. Each call's cost is estimated from the locals it
 * passes, so the estimate also bounds the caller's size.
 */
final class Outliner {
    /**
     * Estimated bytecode bytes above which a method gets parts outlined when no limit is given
     * (the engine passes {@code Engine.Builder.methodSizeLimit}). Below HotSpot's 8,000 with room
     * for the estimate's error; the system property lowers it for experiments.
     */
    static final int DEFAULT_LIMIT = Integer.getInteger("wasmudf.compile.methodLimit", 6000);
    /**
     * What a load or store counts for: its own bytecode. Inline (see MemoryTableEmitter) that is
     * about 22 bytes with offset 0 and 31 with an offset (stores 4 more), 26 on average in SQLite;
     * as a call to a {@code Mem} helper (no {@code Unsafe}) 8-10. Tunable for experiments.
     */
    static final int MEMORY_ACCESS_COST = Integer.getInteger("wasmudf.compile.memoryAccessCost",
            MemoryTableEmitter.RAW ? 26 : 8);
    /** Estimated fixed bytes of a call site (the call, the exit code, the arrays and instance pushed, the memory buffer reloaded). */
    static final int CALL_OVERHEAD = 24;
    /** Estimated bytes per local a call passes, and per local it writes (reloaded after the call). */
    private static final int PASS_COST = 3;
    private static final int RELOAD_COST = 12;
    /**
     * Per local, from a method whose locals are homed ({@link HomedLocals}): nothing, since the
     * region loads the locals it keeps in slots itself ({@link Region#loads}) and writes them back.
     */
    private static final int HOMED_PASS_COST = 0;
    /**
     * A call site's fixed bytes in a homed method, measured in SQLite's VDBE: the arrays, the
     * instance and the call (9), the exit code kept (2), the memory buffer and bound reloaded
     * (19), its test and the jump past the escapes (8). The homed skeleton is planned with no
     * margin for calls otherwise, so this must not be low: a method over 8,000 bytes is never JIT-compiled.
     */
    static final int HOMED_CALL_OVERHEAD = Integer.getInteger("wasmudf.compile.homedCallOverhead", 40);
    /** Below this limit (test modes) chunks are cut even when a call costs more than it saves. */
    private static final int STRESS_LIMIT = 64;

    private static final boolean DEBUG = Boolean.getBoolean("wasmudf.compile.debug");

    private Outliner() {}

    /** A rough upper estimate of the bytecode an instruction compiles to. */
    static int cost(Instruction in) {
        int op = in.opcode();
        if (op < OpcodeTables.COST.length && OpcodeTables.COST[op] >= 0) {
            return OpcodeTables.COST[op];
        }
        return costOf(in);
    }

    /** {@link #cost}, computed (see {@link OpcodeTables}). */
    static int costOf(Instruction in) {
        int op = in.opcode();
        if (op >= I32_LOAD && op <= I64_STORE32) {
            return MEMORY_ACCESS_COST;
        }
        switch (op) {
            case BLOCK:
            case LOOP:
            case END:
            case NOP:
                return 0;
            case LOCAL_GET:
            case LOCAL_SET:
            case LOCAL_TEE:
                return 3;
            case CALL:
            case CALL_INDIRECT:
                return 18;
            case RETURN_CALL:
            case RETURN_CALL_INDIRECT:
            case io.wasmudf.engine.internal.model.RefOpcodes.RETURN_CALL_REF:
                return 40; // operands stored into the instance's tail-call arguments, then a return
            case BR_TABLE:
                return 20 + 4 * in.labels().length;
            case TRY_TABLE:
                return 30 + 10 * in.labels().length; // the spills at entry, the handler's tag tests and branches
            case THROW:
                return 30;
            case BR:
            case BR_IF:
            case IF:
            case ELSE:
                return 12;
            case GLOBAL_GET:
            case GLOBAL_SET:
                return 10;
            case I32_CONST:
            case I64_CONST:
            case F32_CONST:
            case F64_CONST:
                return 3;
            case I32_LT_U:
            case I32_GT_U:
            case I32_LE_U:
            case I32_GE_U:
                return 8; // fused with a branch: both operands biased by 2^31 and a swap (CompareJumps)
            case I64_LT_U:
            case I64_GT_U:
            case I64_LE_U:
            case I64_GE_U:
                return 12; // fused: two ldc2_w + ladd, a two-long swap and lcmp
            case SELECT:
            case SELECT_T:
                return 12; // of f32, f64, i64: a branch, a frame and a swap (HelperFreeForms)
            default:
                int helperFree = HelperFreeForms.cost(op);
                if (helperFree >= 0) {
                    return helperFree;
                }
                return op >= MEMORY_SIZE && op <= MEMORY_GROW || op >= 0xFC08 ? 14 : 4;
        }
    }

    /**
     * What a compilation unit outlines: blocks/loops by start index, and straight-line chunks
     * {@code [start, end)} (mapped start → end), at any depth inside the unit.
     */
    record Plan(Set<Integer> blocks, Map<Integer, Integer> chunks) {
        static final Plan NONE = new Plan(Set.of(), Map.of());
    }

    /** A part that may be outlined: {@code [start, end)}; a construct's end is its {@code end}'s index + 1. */
    private static final class Piece {
        final int start;
        final int end;
        final int size;
        final int loopDepth;
        /** The enclosing large construct (index into the planner's list), or -1. */
        final int parent;
        final boolean construct;
        /** For a construct: its size less what the chosen pieces inside it take out. */
        int remaining;
        int callCost = -1;
        boolean chosen;

        Piece(int start, int end, int size, int loopDepth, int parent, boolean construct) {
            this.start = start;
            this.end = end;
            this.size = size;
            this.loopDepth = loopDepth;
            this.parent = parent;
            this.construct = construct;
            this.remaining = size;
        }
    }

    /**
     * The plan of the method compiling {@code region} of a function with {@code locals} locals
     * (the whole body when null): what it calls instead of inlining, and whether it homes its
     * locals ({@link HomedLocals}).
     */
    static HomedLocals.Planned planFor(Region region, List<Instruction> code, BodyFacts facts, int locals) {
        int innerStart;
        int innerEnd;
        int frameHeight;
        if (region == null) {
            innerStart = 0;
            innerEnd = code.size() - 1;
            frameHeight = 0;
        } else if (region.chunk) {
            innerStart = region.start;
            innerEnd = region.end;
            frameHeight = facts.heights[region.start];
        } else {
            innerStart = region.start + 1;
            innerEnd = region.end;
            frameHeight = facts.heights[region.start] - region.params.size();
        }
        return HomedLocals.plan(code, facts, region, innerStart, innerEnd, frameHeight, locals);
    }

    /**
     * Plans the unit whose own instructions are {@code [innerStart, innerEnd)} (for a block, the
     * instructions between it and its {@code end}; {@code frameHeight} is the stack height at which
     * that sequence has no value in flight) so that what stays in its method fits {@code limit}.
     */
    static Plan plan(List<Instruction> code, int[] sums, int[] heights, int[] bases, int[] localOps, boolean[] switchNests, int innerStart, int innerEnd,
                     int frameHeight, int limit, int locals, boolean homed) {
        int estimate = sums[innerEnd] - sums[innerStart];
        if (estimate <= limit) {
            return Plan.NONE;
        }
        List<Piece> chunks = new ArrayList<>();
        List<Piece> constructs = new ArrayList<>();
        walk(code, sums, heights, bases, switchNests, innerStart, innerEnd, frameHeight, limit, chunks, constructs);
        byte[] seen = new byte[locals];
        // chunks outside loops first, then by loop depth; within a depth, largest first
        chunks.sort(Comparator.<Piece>comparingInt(p -> p.loopDepth).thenComparingInt(p -> -p.size));
        int[] taken = new int[constructs.size()];
        for (Piece p : chunks) {
            if (estimate <= limit) {
                break;
            }
            int cost = callCost(code, p, seen, homed);
            if (p.size <= cost && limit >= STRESS_LIMIT) {
                continue;
            }
            p.chosen = true;
            estimate -= p.size - cost;
            if (p.parent >= 0) {
                taken[p.parent] += p.size - cost;
            }
        }
        // what the chosen chunks take out of each construct and the ones around it: a construct's
        // index is above its parent's (the walk adds a construct before what is inside it), so one
        // pass from the innermost out sums each subtree (walking up from every chunk was O(chunks x depth))
        for (int c = constructs.size() - 1; c >= 0; c--) {
            Piece k = constructs.get(c);
            k.remaining -= taken[c];
            if (k.parent >= 0) {
                taken[k.parent] += taken[c];
            }
        }
        // the skeleton is still too big: move the smallest large block or loop that is enough
        List<Piece> moved = new ArrayList<>();
        while (estimate > limit) {
            int excess = estimate - limit;
            Piece enough = null; // the smallest one whose move is enough
            Piece largest = null; // else the one that takes out most
            for (Piece c : constructs) {
                if (c.chosen || insideChosen(c, moved) || code.get(c.start).opcode() == IF || code.get(c.start).opcode() == TRY_TABLE) {
                    continue;
                }
                int gain = c.remaining - constructCost(c, localOps, locals, homed, switchNests);
                if (gain <= 0 && limit >= STRESS_LIMIT) {
                    continue;
                }
                if (gain >= excess && (enough == null || c.remaining < enough.remaining)) {
                    enough = c;
                }
                if (largest == null || gain > largest.remaining - largest.callCost) {
                    largest = c;
                }
            }
            Piece best = enough != null ? enough : largest;
            if (best == null) {
                break; // nothing left to move: the method is what it is (the class writer checks 64 KB)
            }
            best.chosen = true;
            moved.add(best);
            estimate -= best.remaining - best.callCost;
            for (int c = best.parent; c >= 0; c = constructs.get(c).parent) {
                constructs.get(c).remaining -= best.remaining - best.callCost;
            }
        }
        if (DEBUG) {
            System.err.printf("plan [%d,%d) limit %d: estimate %d after %d chunks, %d blocks%n", innerStart, innerEnd, limit,
                    estimate, chunks.stream().filter(p -> p.chosen).count(), moved.size());
        }
        Set<Integer> blocks = new HashSet<>();
        for (Piece c : moved) {
            if (!insideChosen(c, moved)) {
                blocks.add(c.start);
            }
        }
        Map<Integer, Integer> cut = new HashMap<>();
        for (Piece p : chunks) {
            if (p.chosen && !insideChosen(p, moved)) {
                cut.put(p.start, p.end);
            }
        }
        return new Plan(blocks, cut);
    }

    /** Whether a chosen construct encloses {@code p} (then {@code p} is compiled, and planned, inside its method). */
    private static boolean insideChosen(Piece p, List<Piece> chosen) {
        for (Piece c : chosen) {
            if (c != p && c.start <= p.start && p.end <= c.end) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds the candidate pieces: walks the unit's instruction sequences, descending into
     * constructs larger than {@code limit} (kept inline: {@code constructs}) and cutting the runs of
     * smaller code between them into chunks ({@code chunks}). Iterative: nesting may be deep.
     */
    private static void walk(List<Instruction> code, int[] sums, int[] heights, int[] bases, boolean[] switchNests, int innerStart, int innerEnd,
                             int frameHeight, int limit, List<Piece> chunks, List<Piece> constructs) {
        int maxChunk = Math.max(limit, 1);
        Deque<int[]> sequences = new ArrayDeque<>(); // {start, end, base, loop depth, parent construct}
        sequences.push(new int[] {innerStart, innerEnd, frameHeight, 0, -1});
        while (!sequences.isEmpty()) {
            int[] seq = sequences.pop();
            int base = seq[2];
            int depth = seq[3];
            int parent = seq[4];
            int chunkStart = -1;
            int lastCut = -1;
            int i = seq[0];
            while (true) {
                boolean atEnd = i >= seq[1];
                // a boundary: no value in flight, reachable code (no chunk spans unreachable code)
                boolean boundary = i < heights.length && heights[i] == base && heights[i] >= 0;
                if (boundary) {
                    if (chunkStart < 0) {
                        chunkStart = i;
                    } else if (sums[i] - sums[chunkStart] > maxChunk && lastCut > chunkStart) {
                        addChunk(chunks, sums, chunkStart, lastCut, depth, parent, innerStart, innerEnd);
                        chunkStart = lastCut;
                    }
                    lastCut = i;
                } else if (i < heights.length && heights[i] < 0) {
                    if (chunkStart >= 0 && lastCut > chunkStart) {
                        addChunk(chunks, sums, chunkStart, lastCut, depth, parent, innerStart, innerEnd);
                    }
                    chunkStart = -1;
                }
                if (atEnd) {
                    if (chunkStart >= 0 && lastCut > chunkStart) {
                        addChunk(chunks, sums, chunkStart, lastCut, depth, parent, innerStart, innerEnd);
                    }
                    break;
                }
                Instruction in = code.get(i);
                int op = in.opcode();
                if (op != BLOCK && op != LOOP && op != IF && op != TRY_TABLE) { // a try_table stays inline, its insides planned
                    i++;
                    continue;
                }
                int end = (int) in.c();
                int size = sums[end + 1] - sums[i];
                boolean open = switchNests != null && switchNests[i]; // a switch leaves it: never whole in a chunk
                if ((size <= limit && !open) || bases[i] < 0) {
                    i = end + 1; // small: part of the run, counted whole
                    continue;
                }
                // large: stays inline; the run before it ends here and its insides are planned
                if (chunkStart >= 0 && lastCut > chunkStart) {
                    addChunk(chunks, sums, chunkStart, lastCut, depth, parent, innerStart, innerEnd);
                }
                chunkStart = -1;
                int me = constructs.size();
                constructs.add(new Piece(i, end + 1, size, depth, parent, true));
                int inner = depth + (op == LOOP ? 1 : 0);
                int elseAt = op == IF && in.labels() != null ? in.labels()[0] : -1;
                if (elseAt >= 0) {
                    sequences.push(new int[] {i + 1, elseAt, bases[i], inner, me});
                    sequences.push(new int[] {elseAt + 1, end, bases[i], inner, me});
                } else {
                    sequences.push(new int[] {i + 1, end, bases[i], inner, me});
                }
                i = end + 1;
            }
        }
    }

    private static void addChunk(List<Piece> chunks, int[] sums, int start, int end, int depth, int parent,
                                 int innerStart, int innerEnd) {
        // never the unit's whole sequence: its own method would plan the same chunk again
        if (start == innerStart && end == innerEnd) {
            return;
        }
        chunks.add(new Piece(start, end, sums[end] - sums[start], depth, parent, false));
    }

    /**
     * Estimated bytes of the call site of {@code p}: the locals it reads are passed (a load each),
     * the locals it writes come back through the frame array (about seven bytes each), plus the
     * branches out of it that the caller completes.
     */
    /**
     * A cheap bound on a large construct's call cost, from prefix counts ({@code localOps[i]}:
     * local accesses before {@code i}); the exact count would rescan every construct, which is
     * quadratic in the nesting depth.
     */
    private static int constructCost(Piece p, int[] localOps, int locals, boolean homed, boolean[] switchNests) {
        if (p.callCost < 0) {
            // from a homed method (HomedLocals): a homed region is called with the arrays alone, another one
            // gets its arguments from the arrays and needs no reloads
            int perLocal = !homed ? PASS_COST + RELOAD_COST / 2 : switchNests != null && switchNests[p.start] ? 0 : HOMED_PASS_COST;
            p.callCost = (homed ? HOMED_CALL_OVERHEAD : CALL_OVERHEAD) + perLocal * Math.min(localOps[p.end] - localOps[p.start], locals);
        }
        return p.callCost;
    }

    private static int callCost(List<Instruction> code, Piece p, byte[] seen, boolean homed) {
        if (p.callCost >= 0) {
            return p.callCost;
        }
        int cost = homed ? HOMED_CALL_OVERHEAD : CALL_OVERHEAD;
        List<Integer> touched = new ArrayList<>();
        int end = Math.min(p.end, code.size());
        for (int i = p.start; i < end; i++) {
            Instruction in = code.get(i);
            int op = in.opcode();
            int f = op < OpcodeTables.FLAGS.length ? OpcodeTables.FLAGS[op] : 0; // (no wider opcode has these flags)
            if ((f & OpcodeTables.LOCAL) != 0) {
                // seen: 1 = read, 2 = written; a passed local costs a load (wide past slot 255),
                // a written one its reload from the frame array (aload, index, laload, convert, store)
                int l = in.a();
                if (seen[l] == 0) {
                    touched.add(l);
                    cost += homed ? HOMED_PASS_COST : PASS_COST;
                    seen[l] = 1;
                }
                if (op != LOCAL_GET && seen[l] == 1) {
                    cost += homed ? 0 : RELOAD_COST; // a homed caller reads it from the arrays, where the region left it
                    seen[l] = 2;
                }
            } else if ((f & OpcodeTables.EXITS) != 0) {
                cost += 2;
            }
        }
        for (int l : touched) {
            seen[l] = 0;
        }
        p.callCost = cost;
        return cost;
    }
}
