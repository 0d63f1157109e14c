package io.wasmudf.engine;

import io.wasmudf.engine.internal.model.DataSegment;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.ArrayList;
import java.util.List;

/**
 * What every instance of a module starts from, worked out once per {@link CompiledModule} so that
 * instantiation does not redo per-module work: constant segment offsets, element segments as
 * function indices, and the active data segments merged into a few runs of bytes (one
 * {@code arraycopy} each) when no segment can trap. Immutable; shared by all instances.
 */
final class InstanceTemplate {
    /** An element that is {@code ref.null} in {@link Elements#functions}. */
    static final int NULL_REF = -1;
    private static final byte[] EMPTY = new byte[0];

    /**
     * One element segment. {@code offset}: the constant offset of an active segment, or null when it
     * reads a global (evaluated per instance). {@code functions}: the function index of each element
     * ({@link #NULL_REF} for null) when every element is {@code ref.func} or {@code ref.null}, else
     * null (evaluated per instance).
     */
    record Elements(ElementSegment segment, Integer offset, int[] functions) {}

    /** Bytes to copy to {@code offset} of memory 0. */
    record Run(int offset, byte[] bytes) {}

    private final List<Elements> elements;
    private final byte[][] data;
    /** The exact runs (null: apply segment by segment), and the same with small gaps filled with zeros. */
    private final List<Run> runs;
    private final List<Run> freshRuns;
    /** Gaps up to this size between runs are copied as zeros into a fresh memory: one copy instead of two. */
    private static final int FILLED_GAP = 4096;

    private InstanceTemplate(List<Elements> elements, byte[][] data, List<Run> runs) {
        this.elements = elements;
        this.data = data;
        this.runs = runs;
        this.freshRuns = runs == null ? null : fillGaps(runs);
    }

    static InstanceTemplate of(WasmModule module) {
        List<Elements> elements = new ArrayList<>();
        for (ElementSegment seg : module.elements()) {
            elements.add(new Elements(seg, seg.mode() == ElementSegment.Mode.ACTIVE ? constant(seg.offset()) : null, functions(seg)));
        }
        byte[][] data = new byte[module.data().size()][];
        for (int i = 0; i < data.length; i++) {
            DataSegment seg = module.data().get(i);
            // an active segment is dropped once applied: memory.init then sees it empty
            data[i] = seg.active() ? EMPTY : seg.bytes();
        }
        return new InstanceTemplate(List.copyOf(elements), data, runs(module));
    }

    List<Elements> elements() {
        return elements;
    }

    /** The data segments as an instance holds them after instantiation (a fresh array each call). */
    byte[][] data() {
        return data.clone();
    }

    /**
     * The active data segments as runs to copy in order, or null when some segment could trap (its
     * offset is not constant or its end may lie beyond the memory) and they must be applied one by
     * one. {@code fresh}: the memory is the instance's own and still all zeros, so gaps between
     * segments may be filled with zeros and the runs become one.
     */
    List<Run> runs(boolean fresh) {
        return fresh ? freshRuns : runs;
    }

    /** {@code runs} (sorted, disjoint) with those closer than {@link #FILLED_GAP} joined, the gap zeros. */
    private static List<Run> fillGaps(List<Run> runs) {
        List<Run> out = new ArrayList<>();
        int i = 0;
        while (i < runs.size()) {
            int j = i;
            long end = runs.get(i).offset() + (long) runs.get(i).bytes().length;
            while (j + 1 < runs.size() && runs.get(j + 1).offset() - end <= FILLED_GAP) {
                j++;
                end = runs.get(j).offset() + (long) runs.get(j).bytes().length;
            }
            if (j == i) {
                out.add(runs.get(i));
            } else {
                int start = runs.get(i).offset();
                byte[] bytes = new byte[(int) (end - start)];
                for (int k = i; k <= j; k++) {
                    Run r = runs.get(k);
                    System.arraycopy(r.bytes(), 0, bytes, r.offset() - start, r.bytes().length);
                }
                out.add(new Run(start, bytes));
            }
            i = j + 1;
        }
        return List.copyOf(out);
    }

    /** Evaluates a constant i32 offset, or returns null when it is not one instruction {@code i32.const}. */
    private static Integer constant(List<Instruction> expr) {
        List<Instruction> body = withoutEnd(expr);
        if (body.size() == 1 && body.get(0).opcode() == Opcodes.I32_CONST) {
            return (int) body.get(0).c();
        }
        return null;
    }

    /**
     * The expression without its {@code end}s; a loop, not a stream: instantiation runs in young
     * JVMs (a code-cache hit), where each first stream or lambda costs generated classes.
     */
    private static List<Instruction> withoutEnd(List<Instruction> expr) {
        List<Instruction> body = new ArrayList<>(expr.size());
        for (Instruction in : expr) {
            if (in.opcode() != Opcodes.END) {
                body.add(in);
            }
        }
        return body;
    }

    private static int[] functions(ElementSegment seg) {
        int[] f = new int[seg.init().size()];
        for (int i = 0; i < f.length; i++) {
            List<Instruction> body = withoutEnd(seg.init().get(i));
            if (body.size() != 1) {
                return null;
            }
            Instruction in = body.get(0);
            if (in.opcode() == Opcodes.REF_FUNC) {
                f[i] = in.a();
            } else if (in.opcode() == Opcodes.REF_NULL) {
                f[i] = NULL_REF;
            } else {
                return null;
            }
        }
        return f;
    }

    /**
     * The active data segments as maximal runs of touching or overlapping segments, later segments
     * written over earlier ones as the spec's order does; null when a segment may trap: its offset
     * is not a constant, or it may end beyond the memory's declared minimum (the size every memory
     * that can be linked has at least).
     */
    private static List<Run> runs(WasmModule module) {
        long minBytes = memoryMinBytes(module);
        List<long[]> spans = new ArrayList<>(); // {start, end, segment}
        for (int i = 0; i < module.data().size(); i++) {
            DataSegment seg = module.data().get(i);
            if (!seg.active()) {
                continue;
            }
            Integer offset = constant(seg.offset());
            if (offset == null || seg.memoryIndex() != 0) {
                return null;
            }
            long start = Integer.toUnsignedLong(offset);
            long end = start + seg.bytes().length;
            if (end > minBytes || end > Integer.MAX_VALUE) {
                return null;
            }
            spans.add(new long[] {start, end, i});
        }
        // group in the spec's order: a run is a set of segments whose union has no gap
        List<long[]> groups = new ArrayList<>(); // {start, end}
        List<List<Integer>> members = new ArrayList<>();
        for (long[] s : spans) {
            List<Integer> joined = new ArrayList<>();
            long start = s[0];
            long end = s[1];
            for (int g = 0; g < groups.size(); g++) {
                long[] r = groups.get(g);
                if (r[0] <= end && start <= r[1]) {
                    joined.add(g);
                    start = Math.min(start, r[0]);
                    end = Math.max(end, r[1]);
                }
            }
            List<Integer> m = new ArrayList<>();
            for (int k = joined.size() - 1; k >= 0; k--) {
                int g = joined.get(k);
                m.addAll(0, members.remove(g));
                groups.remove(g);
            }
            m.add((int) s[2]);
            m.sort(null);
            groups.add(new long[] {start, end});
            members.add(m);
        }
        List<Run> runs = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            long[] r = groups.get(g);
            byte[] bytes = new byte[(int) (r[1] - r[0])];
            for (int i : members.get(g)) {
                // segment order within the run: later segments overwrite earlier ones
                DataSegment seg = module.data().get(i);
                long start = Integer.toUnsignedLong(constant(seg.offset()));
                System.arraycopy(seg.bytes(), 0, bytes, (int) (start - r[0]), seg.bytes().length);
            }
            runs.add(new Run((int) r[0], bytes));
        }
        runs.sort(BY_OFFSET);
        return List.copyOf(runs);
    }

    /** Runs by offset; a class, not a lambda (see {@link #withoutEnd}). */
    private static final java.util.Comparator<Run> BY_OFFSET = new java.util.Comparator<Run>() {
        @Override
        public int compare(Run a, Run b) {
            return Integer.compare(a.offset(), b.offset());
        }
    };

    /** The declared minimum of memory 0 in bytes (own or imported), or 0 when the module has none. */
    private static long memoryMinBytes(WasmModule module) {
        for (Import imp : module.imports()) {
            if (imp.desc() instanceof ImportDesc.Memory m) {
                return m.type().limits().min() * Memory.PAGE_SIZE;
            }
        }
        return module.memories().isEmpty() ? 0 : module.memories().get(0).limits().min() * Memory.PAGE_SIZE;
    }
}
