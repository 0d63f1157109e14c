package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;

import io.wasmudf.engine.internal.model.Instruction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
            default:
                return op >= MEMORY_SIZE && op <= MEMORY_GROW || op >= 0xFC08 ? 14 : 4;
        }
    }

    /** Prefix sums of {@link #cost}: the estimate of {@code [a, b]} is {@code sums[b + 1] - sums[a]}. */
    static int[] prefixCosts(List<Instruction> code) {
        int[] sums = new int[code.size() + 1];
        for (int i = 0; i < code.size(); i++) {
            sums[i + 1] = sums[i] + cost(code.get(i));
        }
        return sums;
    }

    /**
     * The start indices of the regions strictly inside {@code [from, to]} to outline so that the
     * rest of that range fits {@code limit}; empty when it already fits. Prefers the largest regions
     * that fit a method themselves, then, if the remainder is still too big, larger regions, which
     * are split again when compiled.
     */
    static Set<Integer> plan(List<Instruction> code, int[] sums, int from, int to, int limit) {
        int estimate = sums[to + 1] - sums[from];
        if (estimate <= limit) {
            return Set.of();
        }
        List<int[]> candidates = new ArrayList<>(); // {start, end, size}
        for (int i = from + 1; i < to; i++) {
            int op = code.get(i).opcode();
            if (op == BLOCK || op == LOOP) {
                int end = (int) code.get(i).c();
                if (end < to) {
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
        return starts;
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
