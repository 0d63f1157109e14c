package io.wasmudf.engine.internal.decode;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;

/**
 * One JVM-wide instance of each of the commonest instructions with immediates ({@code local.get 3},
 * {@code i32.const 0}, {@code i32.load offset=8}, {@code br_if 1}), found by array index.
 * A large module's decoded code is most of the heap a compile keeps, and these forms recur
 * thousands of times in it. They replace a per-module hash table of every distinct instruction,
 * whose lookups (and growth, per decoded run) made decoding the 444 KB benchmark module about
 * 1.4× as slow as allocating each instruction; esbuild's decoded module keeps 68 MB instead of
 * 62. Slots fill on first use; instructions are immutable records, so a racing duplicate is
 * harmless and their final fields publish them safely.
 */
final class CommonInstructions {
    /** Indexes ({@code local.*}, {@code global.*}, {@code br}, {@code br_if}, {@code call}) below this are kept. */
    private static final int INDEXES = 1 << 10;
    /** Constants in {@code [CONST_LOW, CONST_LOW + CONSTS)} are kept. */
    private static final int CONST_LOW = -256;
    private static final int CONSTS = 1 << 12;
    /** Memory accesses to memory 0 with an alignment exponent up to 3 and an offset below this are kept. */
    private static final int OFFSETS = 1 << 8;
    private static final int ALIGNS = 4;
    private static final int ACCESS_OPS = Opcodes.I64_STORE32 - Opcodes.I32_LOAD + 1;

    /** Row of each single-byte opcode in {@link #INDEXED}, or -1. */
    private static final byte[] INDEX_ROW = new byte[256];
    private static final Instruction[] INDEXED;
    private static final Instruction[] CONSTANTS = new Instruction[2 * CONSTS];
    private static final Instruction[] ACCESSES = new Instruction[ACCESS_OPS * ALIGNS * OFFSETS];

    static {
        java.util.Arrays.fill(INDEX_ROW, (byte) -1);
        int[] ops = {Opcodes.BR, Opcodes.BR_IF, Opcodes.CALL, Opcodes.LOCAL_GET, Opcodes.LOCAL_SET, Opcodes.LOCAL_TEE,
            Opcodes.GLOBAL_GET, Opcodes.GLOBAL_SET};
        for (int i = 0; i < ops.length; i++) {
            INDEX_ROW[ops[i]] = (byte) i;
        }
        INDEXED = new Instruction[ops.length * INDEXES];
    }

    private CommonInstructions() {}

    /** The shared {@code (op, a, 0, c)} without labels, or null when it is not one of the kept forms. */
    static Instruction get(int op, int a, long c) {
        Instruction[] table;
        int slot;
        if (op >= Opcodes.I32_LOAD && op <= Opcodes.I64_STORE32) {
            if (a < 0 || a >= ALIGNS || c < 0 || c >= OFFSETS) {
                return null;
            }
            table = ACCESSES;
            slot = ((op - Opcodes.I32_LOAD) * ALIGNS + a) * OFFSETS + (int) c;
        } else if (op == Opcodes.I32_CONST || op == Opcodes.I64_CONST) {
            long k = c - CONST_LOW;
            if (a != 0 || k < 0 || k >= CONSTS) {
                return null;
            }
            table = CONSTANTS;
            slot = (op - Opcodes.I32_CONST) * CONSTS + (int) k;
        } else {
            int row = op >= 0 && op < INDEX_ROW.length ? INDEX_ROW[op] : -1;
            if (row < 0 || c != 0 || a < 0 || a >= INDEXES) {
                return null;
            }
            table = INDEXED;
            slot = row * INDEXES + a;
        }
        Instruction in = table[slot];
        if (in == null) {
            in = new Instruction(op, a, 0, c, null);
            table[slot] = in;
        }
        return in;
    }
}
