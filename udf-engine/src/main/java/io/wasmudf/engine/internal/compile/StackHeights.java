package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;

/**
 * The operand-stack height before each instruction of a validated body (values pushed since the
 * function started; -1 in unreachable code). The outliner cuts long straight-line code where the
 * height equals the enclosing block's, i.e. where no value is in flight. Computed in the same
 * pass over the body as the other facts the outliner needs (see {@link BodyFacts}).
 */
final class StackHeights {
    private final ModuleLayout layout;
    /** The height before each instruction (-1: unreachable). */
    final int[] heights;
    /** At each block, loop and if, the height of its frame without its parameters (-1 when unreachable). */
    final int[] bases;
    // per open block: its height without params, and its params/results counts
    private final int[] base;
    private final int[] params;
    private final int[] results;
    private int depth;
    private int h;
    private boolean reachable = true;

    /**
     * A pass over a validated body of {@code n} instructions, fed one instruction at a time by
     * {@link #step} (with other passes, see {@link BodyFacts}): {@link #heights} and {@link #bases}
     * are complete after the last one.
     */
    StackHeights(ModuleLayout layout, int n) {
        this.layout = layout;
        this.heights = new int[n];
        this.bases = new int[n];
        this.base = new int[n + 1];
        this.params = new int[n + 1];
        this.results = new int[n + 1];
    }

    /** Takes instruction {@code pc}, {@code in}: the next of the body. */
    void step(int pc, Instruction in) {
        heights[pc] = reachable ? h : -1;
        int op = in.opcode();
        if (op < OpcodeTables.DELTA.length && OpcodeTables.DELTA[op] != OpcodeTables.SPECIAL) {
            h += OpcodeTables.DELTA[op];
            return;
        }
        switch (op) {
            case BLOCK:
            case LOOP:
            case TRY_TABLE:
            case IF: {
                if (op == IF) {
                    h--;
                }
                FuncType bt = blockType(layout, in);
                depth++;
                params[depth] = bt == null ? 0 : bt.params().size();
                results[depth] = bt == null ? (in.a() == Instruction.BLOCK_VALUE ? 1 : 0) : bt.results().size();
                base[depth] = reachable ? h - params[depth] : -1;
                bases[pc] = base[depth];
                break;
            }
            case ELSE:
                h = base[depth] + params[depth];
                reachable = base[depth] >= 0;
                break;
            case END:
                if (depth > 0) {
                    h = base[depth] + results[depth];
                    reachable = base[depth] >= 0;
                    depth--;
                }
                break;
            case UNREACHABLE:
            case BR:
            case BR_TABLE:
            case RETURN:
            case RETURN_CALL:
            case RETURN_CALL_INDIRECT:
            case io.wasmudf.engine.internal.model.RefOpcodes.RETURN_CALL_REF:
            case THROW:
            case THROW_REF:
                reachable = false;
                break;
            default:
                h += delta(layout, in);
        }
    }

    private static FuncType blockType(ModuleLayout layout, Instruction in) {
        return in.a() >= 0 ? layout.module.types().get(in.a()) : null;
    }

    /** Pushes minus pops of a non-control instruction ({@code layout} may be null for one that is not a call or reference instruction). */
    static int delta(ModuleLayout layout, Instruction in) {
        int op = in.opcode();
        if (op >= I32_LOAD && op <= I64_LOAD32_U) {
            return 0;
        }
        if (op >= I32_STORE && op <= I64_STORE32) {
            return -2;
        }
        switch (op) {
            case NOP:
                return 0;
            case BR_IF:
            case DROP:
            case LOCAL_SET:
            case GLOBAL_SET:
                return -1;
            case SELECT:
            case SELECT_T:
                return -2;
            case LOCAL_GET:
            case GLOBAL_GET:
            case I32_CONST:
            case I64_CONST:
            case F32_CONST:
            case F64_CONST:
            case REF_NULL:
            case REF_FUNC:
            case MEMORY_SIZE:
            case TABLE_SIZE:
                return 1;
            case LOCAL_TEE:
            case REF_IS_NULL:
            case MEMORY_GROW:
            case TABLE_GET:
                return 0;
            case TABLE_SET:
            case TABLE_GROW:
                return op == TABLE_SET ? -2 : -1;
            case MEMORY_FILL:
            case MEMORY_COPY:
            case MEMORY_INIT:
            case TABLE_FILL:
            case TABLE_COPY:
            case TABLE_INIT:
                return -3;
            case DATA_DROP:
            case ELEM_DROP:
                return 0;
            case CALL: {
                FuncType t = layout.functionTypes.get(in.a());
                return t.results().size() - t.params().size();
            }
            case CALL_INDIRECT: {
                FuncType t = layout.module.types().get(in.a());
                return t.results().size() - t.params().size() - 1;
            }
            default:
                if (SimdOpcodes.isSimd(op)) {
                    SimdOpcodes.Kind kind = SimdOpcodes.kind(op);
                    return (SimdEmitter.result(op, kind) != null ? 1 : 0) - SimdEmitter.operands(kind);
                }
                return io.wasmudf.engine.internal.model.RefOpcodes.isRefOp(op) ? RefEmitter.delta(layout, in) : numericDelta(op);
        }
    }

    /** Numeric instructions are unary (one in, one out) or binary (two in, one out). */
    private static int numericDelta(int op) {
        boolean binary = op >= 0x46 && op <= 0x4F || op >= 0x51 && op <= 0x66
                || op >= 0x6A && op <= 0x78 || op >= 0x7C && op <= 0x8A
                || op >= 0x92 && op <= 0x98 || op >= 0xA0 && op <= 0xA6;
        return binary ? -1 : 0;
    }
}
