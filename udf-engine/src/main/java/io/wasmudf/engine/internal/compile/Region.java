package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_GET;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import java.util.ArrayList;
import java.util.List;

/**
 * A block, loop or straight-line chunk compiled as its own method
 * {@code static int r…(params…, locals…, long[] values, Object[] refs, self)}: the block's
 * parameters and the Wasm locals it uses arrive as typed JVM arguments (no copying, no boxing);
 * the locals it writes, and the values its exits carry, go back through the function's frame
 * arrays {@code values}/{@code refs}, allocated once per activation of the function and passed
 * down to every region (each local has a fixed element; carried values follow the locals). It
 * returns an exit code: 0 = the region's end, k > 0 = a branch to the enclosing label at depth
 * {@code k - 1} from the function's own (the function's label is 1, its outermost block 2 …), so
 * that a code means the same label in every method of the function: a caller passes on an
 * escape that leaves it too without translating it. {@link RegionCalls} emits both
 * sides. Past {@link #MAX_ARGUMENT_SLOTS} the least used locals are not arguments: the region
 * reads and writes their elements of the frame arrays directly.
 */
final class Region {
    /**
     * Argument slots a region may use for its parameters and locals. The class file allows 255,
     * but C2 (JDK 17, x86-64) refuses methods with more than about 50 argument slots ("unsupported
     * incoming calling sequence") and they then stay in the interpreter: measured, 40 int arguments
     * compile, 60 do not. The arrays and the instance take three.
     */
    static final int MAX_ARGUMENT_SLOTS = 24 - 3;

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
    /** Whether each used local is a JVM argument (else it lives in the frame arrays while the region runs). */
    final boolean[] passed;
    /** Whether the region keeps all its locals in the frame arrays ({@link HomedLocals}): then none is passed. */
    final boolean homed;
    /**
     * Whether the region is called from a homed method and is not homed itself: it then loads
     * its {@link #passed} locals from the frame arrays at entry instead of taking them as
     * arguments, which the homed caller would have had to load from the arrays anyway (six
     * bytes each at every call site of the skeleton, one copy in the region instead).
     */
    final boolean loads;
    /** The region method's descriptor. */
    final String desc;
    final List<Integer> escapes = new ArrayList<>();
    /**
     * Whether the region may replace the memory buffer (a call or {@code memory.grow}): only then
     * does its caller re-read the buffer and bound after the call (22 bytes of bytecode a call site).
     */
    final boolean mayReplaceMemory;
    /** The label depths in {@link #escapes}, indexed: a region may have hundreds of escapes. */
    final java.util.Map<Integer, Integer> escapeCodes = new java.util.HashMap<>();
    /**
     * The shared exit epilogue's labels, all placed at its start, once an exit jumps to it (see
     * {@link RegionCalls#exit}). Several, since ASM grows a label's list of forward jumps by a
     * constant step: thousands of exits to one label made that quadratic.
     */
    final List<org.objectweb.asm.Label> epilogue = new ArrayList<>();
    /** Jumps to the newest label in {@link #epilogue}. */
    int epilogueJumps;

    /**
     * The region {@code [start, end]} of {@code code} (a chunk: {@code [start, end)}) in a function
     * whose locals have {@code localTypes}, in the class described by {@code classDesc}.
     */
    Region(List<Instruction> code, int start, int end, boolean loop, boolean chunk, List<ValType> params,
           List<ValType> results, List<List<ValType>> outer, String methodName, ValType[] localTypes, String classDesc,
           boolean homed, boolean callerHomed, BodyFacts facts) {
        this.start = start;
        this.end = end;
        this.loop = loop;
        this.chunk = chunk;
        this.params = params;
        this.results = results;
        this.outer = outer;
        this.methodName = methodName;
        this.homed = homed;
        this.loads = callerHomed && !homed;
        boolean[] isUsed = new boolean[localTypes.length];
        boolean[] isWritten = new boolean[localTypes.length];
        int[] uses = new int[localTypes.length];
        boolean replaces = false;
        int to = chunk ? end : end + 1;
        if (facts != null && facts.localRefs != null) {
            // the function's local accesses, gathered once (see BodyFacts#localRefs): only this range's
            int[] refs = facts.localRefs;
            for (int k = facts.localOps[start], last = facts.localOps[to]; k < last; k++) {
                int l = refs[k] >>> 1;
                uses[l]++;
                isUsed[l] = true;
                isWritten[l] |= (refs[k] & 1) != 0;
            }
            replaces = facts.replacesMemoryIn(start, to);
        } else {
            for (int pc = start; pc < to; pc++) {
                Instruction in = code.get(pc);
                int op = in.opcode();
                int f = op < OpcodeTables.FLAGS.length ? OpcodeTables.FLAGS[op] : 0; // (no wider opcode has these flags)
                replaces |= (f & OpcodeTables.REPLACES_MEMORY) != 0;
                if ((f & OpcodeTables.LOCAL) != 0) {
                    int l = in.a();
                    uses[l]++;
                    isUsed[l] = true;
                    isWritten[l] |= op != LOCAL_GET;
                }
            }
        }
        this.mayReplaceMemory = replaces;
        int count = 0;
        for (boolean u : isUsed) {
            count += u ? 1 : 0;
        }
        this.used = new int[count];
        this.writes = new boolean[count];
        this.passed = new boolean[count];
        StringBuilder d = new StringBuilder("(");
        int slots = 0;
        for (ValType p : params) {
            d.append(ModuleLayout.desc(p));
            slots += JvmInsns.size(p);
        }
        for (int i = 0, k = 0; i < isUsed.length; i++) {
            if (isUsed[i]) {
                writes[k] = isWritten[i];
                used[k++] = i;
            }
        }
        // the most used locals are arguments (JVM locals in the region); the rest live in the
        // frame arrays while the region runs, read and written there directly
        // most uses first, ties in local order (a stable sort's order), as primitive keys: a boxed
        // sort with a comparator was a quarter of this constructor in png's hundreds of chunks
        long[] byUse = new long[count];
        for (int k = 0; k < count; k++) {
            byUse[k] = (long) (Integer.MAX_VALUE - uses[used[k]]) << 32 | k;
        }
        java.util.Arrays.sort(byUse);
        for (long key : byUse) {
            int k = (int) key;
            int size = JvmInsns.size(localTypes[used[k]]);
            if (slots + size <= MAX_ARGUMENT_SLOTS && !homed) {
                passed[k] = true;
                slots += size;
            }
        }
        for (int k = 0; k < count && !loads; k++) {
            if (passed[k]) {
                d.append(ModuleLayout.desc(localTypes[used[k]]));
            }
        }
        this.desc = d.append("[J[Ljava/lang/Object;").append(classDesc).append(")I").toString();
    }

    /** Whether a block with these parameters can be a region at all (they must all be JVM arguments). */
    static boolean fits(List<ValType> params) {
        int slots = 0;
        for (ValType p : params) {
            slots += JvmInsns.size(p);
        }
        return slots <= MAX_ARGUMENT_SLOTS;
    }
}
