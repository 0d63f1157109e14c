package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;

import io.wasmudf.engine.internal.model.Instruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses which {@code block}/{@code loop} regions of a large function to compile as separate JVM
 * methods. HotSpot does not JIT-compile methods over 8,000 bytes of bytecode
 * ({@code -XX:HugeMethodLimit}) and the class-file format stops at 64 KB, while compiled C often has
 * functions far larger; an interpreter fallback would be ~25x slower (Chicory's experience).
 * Structured control flow makes any block a single-entry region, so it can move to its own method
 * (see {@link Region}) with the locals it uses passed in and out.
 */
final class Outliner {
    /**
     * Estimated bytecode bytes above which a method gets regions outlined when no limit is given
     * (the engine passes {@code Engine.Builder.methodSizeLimit}). Below HotSpot's 8,000 with room
     * for the estimate's error; the system property lowers it for experiments.
     */
    static final int DEFAULT_LIMIT = Integer.getInteger("wasmudf.compile.methodLimit", 6000);
    /** Estimated bytes a region call costs at its call site (spills, call, dispatch). */
    static final int CALL_OVERHEAD = 60;

    private Outliner() {}

    /** A rough upper estimate of the bytecode an instruction compiles to. */
    static int cost(Instruction in) {
        int op = in.opcode();
        if (op >= I32_LOAD && op <= I64_STORE32) {
            return 8;
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
            case BR_TABLE:
                return 20 + 4 * in.labels().length;
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
            default:
                return op >= MEMORY_SIZE && op <= MEMORY_GROW || op >= 0xFC08 ? 14 : 4;
        }
    }

    /**
     * What a compilation unit outlines: blocks/loops by start index, and straight-line chunks
     * {@code [start, end)} (mapped start → end) of its own instruction sequence.
     */
    record Plan(Set<Integer> blocks, Map<Integer, Integer> chunks) {
        static final Plan NONE = new Plan(Set.of(), Map.of());
    }

    /**
     * Plans the unit whose own instruction sequence is {@code [innerStart, innerEnd)} (for a block,
     * the instructions between it and its {@code end}; {@code frameHeight} is the stack height of
     * that block without its parameters) so that what stays in its method fits {@code limit}.
     * Prefers the largest blocks that fit a method themselves, then larger blocks (split again when
     * compiled), then cuts the sequence itself into chunks where no value is in flight.
     */
    static Plan plan(List<Instruction> code, int[] sums, int[] heights, int innerStart, int innerEnd,
                     int frameHeight, int limit) {
        int estimate = sums[innerEnd] - sums[innerStart];
        if (estimate <= limit) {
            return Plan.NONE;
        }
        List<int[]> candidates = new ArrayList<>(); // {start, end, size}
        for (int i = innerStart; i < innerEnd; i++) {
            int op = code.get(i).opcode();
            if (op == BLOCK || op == LOOP) {
                int end = (int) code.get(i).c();
                if (end < innerEnd) {
                    candidates.add(new int[] {i, end, sums[end + 1] - sums[i]});
                }
            }
        }
        candidates.sort((x, y) -> Integer.compare(y[2], x[2]));
        List<int[]> chosen = new ArrayList<>();
        for (int pass = 0; pass < 2 && estimate > limit; pass++) {
            for (int[] c : candidates) {
                if (estimate <= limit) {
                    break;
                }
                boolean fits = c[2] <= limit;
                if ((pass == 0) != fits || c[2] < Math.min(CALL_OVERHEAD, limit) || inside(c, chosen)) {
                    continue;
                }
                // a region chosen earlier inside this one is compiled as part of it
                for (int k = chosen.size() - 1; k >= 0; k--) {
                    int[] o = chosen.get(k);
                    if (o[0] > c[0] && o[1] < c[1]) {
                        estimate += o[2] - CALL_OVERHEAD;
                        chosen.remove(k);
                    }
                }
                chosen.add(c);
                estimate -= c[2] - CALL_OVERHEAD;
            }
        }
        Set<Integer> starts = new HashSet<>();
        for (int[] c : chosen) {
            starts.add(c[0]);
        }
        Map<Integer, Integer> chunks = new HashMap<>();
        if (estimate > limit) {
            chunk(code, sums, heights, innerStart, innerEnd, frameHeight, Math.max(limit / 2, 1), starts, estimate - limit, chunks);
        }
        return new Plan(starts, chunks);
    }

    /**
     * Cuts the unit's own sequence into chunks of about {@code target} estimated bytes, at
     * instructions where the stack holds exactly the block's values ({@code heights[i] ==
     * frameHeight}); nested blocks count whole. Stops once {@code excess} bytes are moved out.
     */
    private static void chunk(List<Instruction> code, int[] sums, int[] heights, int innerStart, int innerEnd,
                              int frameHeight, int target, Set<Integer> blocks, int excess, Map<Integer, Integer> chunks) {
        int chunkStart = -1;
        int size = 0;
        int i = innerStart;
        while (i <= innerEnd && excess > 0) {
            boolean boundary = i < heights.length && heights[i] == frameHeight;
            if (heights[Math.min(i, heights.length - 1)] < 0) {
                chunkStart = -1; // unreachable code is never compiled: no chunk may span it
                size = 0;
            } else if (boundary) {
                // never the whole sequence: its method would plan the same chunk again
                boolean whole = chunkStart == innerStart && i == innerEnd;
                if (chunkStart >= 0 && size >= target && size > CALL_OVERHEAD && !whole) {
                    chunks.put(chunkStart, i);
                    excess -= size - CALL_OVERHEAD;
                    chunkStart = i;
                    size = 0;
                } else if (chunkStart < 0) {
                    chunkStart = i;
                    size = 0;
                }
            }
            if (i == innerEnd) {
                break;
            }
            Instruction in = code.get(i);
            int op = in.opcode();
            int next = op == BLOCK || op == LOOP || op == IF ? (int) in.c() + 1 : i + 1;
            size += blocks.contains(i) ? CALL_OVERHEAD : sums[next] - sums[i];
            i = next;
        }
    }

    private static boolean inside(int[] c, List<int[]> chosen) {
        for (int[] o : chosen) {
            if (c[0] >= o[0] && c[1] <= o[1]) {
                return true;
            }
        }
        return false;
    }
}
