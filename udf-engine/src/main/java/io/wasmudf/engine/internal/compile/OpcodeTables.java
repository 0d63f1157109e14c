package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.RefOpcodes;

/**
 * What the per-instruction passes over a large body ({@link BodyFacts}, {@link StackHeights},
 * the planner's and {@link Region}'s scans) ask of a single-byte opcode, as tables: one load instead of chains of switches and compares
 * whose branches the mix of opcodes in real code defeats (png's bodies took about 65 ns an
 * instruction in those passes, where a plain loop over the records takes about 1). Each entry is
 * what the method it stands for returns, computed from it, so the answers are the same.
 */
final class OpcodeTables {
    /** {@link #DELTA} of an instruction that {@link StackHeights#step} handles itself. */
    static final byte SPECIAL = Byte.MIN_VALUE;
    /** {@link #FLAGS}: a load or store of the memory instructions {@code i32.load} … {@code i64.store32}. */
    static final int ACCESS = 1;
    /** {@link #FLAGS}: {@code local.get}, {@code local.set} or {@code local.tee}. */
    static final int LOCAL = 2;
    /** {@link #FLAGS}: a call of any kind, tail calls included (the body is no leaf). */
    static final int CALLS = 4;
    /** {@link #FLAGS}: {@code block}, {@code loop}, {@code if} or {@code try_table}. */
    static final int CONSTRUCT = 8;
    /** {@link #FLAGS}: legacy exception handling ({@code try}, {@code rethrow}). */
    static final int LEGACY_EH = 16;
    /** {@link #FLAGS}: a branch or return the caller of an outlined piece may have to complete ({@link Outliner}). */
    static final int EXITS = 32;
    /** {@link #FLAGS}: a call or {@code memory.grow}, either of which may replace the memory buffer ({@link Region}). */
    static final int REPLACES_MEMORY = 64;

    /** {@link Outliner#cost} by opcode; -1 where it depends on the immediates ({@code br_table}, {@code try_table}). */
    static final short[] COST = new short[256];
    /** Pushes minus pops by opcode (see {@link StackHeights}), or {@link #SPECIAL}. */
    static final byte[] DELTA = new byte[256];
    /** The bits above by opcode. */
    static final byte[] FLAGS = new byte[256];

    static {
        for (int op = 0; op < 256; op++) {
            COST[op] = op == BR_TABLE || op == TRY_TABLE ? -1 : (short) Outliner.costOf(Instruction.of(op));
            DELTA[op] = special(op) ? SPECIAL : (byte) StackHeights.delta(null, Instruction.of(op));
            FLAGS[op] = (byte) flags(op);
        }
    }

    private OpcodeTables() {}

    /** Control instructions, calls and reference instructions: their effect on the stack needs the instruction or the module. */
    private static boolean special(int op) {
        switch (op) {
            case BLOCK: case LOOP: case TRY_TABLE: case IF: case ELSE: case END:
            case UNREACHABLE: case BR: case BR_TABLE: case RETURN: case RETURN_CALL: case RETURN_CALL_INDIRECT:
            case RefOpcodes.RETURN_CALL_REF: case THROW: case THROW_REF:
            case CALL: case CALL_INDIRECT:
                return true;
            default:
                return RefOpcodes.isRefOp(op);
        }
    }

    private static int flags(int op) {
        int f = 0;
        if (op >= I32_LOAD && op <= I64_STORE32) {
            f |= ACCESS;
        }
        if (op == LOCAL_GET || op == LOCAL_SET || op == LOCAL_TEE) {
            f |= LOCAL;
        }
        if (op == CALL || op == CALL_INDIRECT || op == RefOpcodes.CALL_REF || op == RETURN_CALL || op == RETURN_CALL_INDIRECT
                || op == RefOpcodes.RETURN_CALL_REF) {
            f |= CALLS;
        }
        if (op == BLOCK || op == LOOP || op == IF || op == TRY_TABLE) {
            f |= CONSTRUCT;
        }
        if (op == TRY || op == RETHROW) {
            f |= LEGACY_EH;
        }
        if (op == BR || op == BR_IF || op == BR_TABLE || op == RETURN || op == RETURN_CALL || op == RETURN_CALL_INDIRECT
                || op == RefOpcodes.RETURN_CALL_REF) {
            f |= EXITS;
        }
        if (op == CALL || op == CALL_INDIRECT || op == RETURN_CALL || op == RETURN_CALL_INDIRECT
                || op == RefOpcodes.CALL_REF || op == RefOpcodes.RETURN_CALL_REF || op == MEMORY_GROW) {
            f |= REPLACES_MEMORY;
        }
        return f;
    }
}
