package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the lane-read windows of a function body (see {@link SimdLaneWindows}) by following the
 * straight-line code after each {@code v128.load; local.set|tee L} with an interval per stack value
 * and per local it sets (unsigned 32-bit bounds; unknown is [0, 2^32 - 1]): constants, the
 * unsigned 8- and 16-bit lane extracts and loads, and i32 add, sub, mul, shifts by a constant and
 * {@code and} keep bounds. Each store's address interval plus its offset and width widens the
 * window's store interval; a store with an unknown address, anything not listed (control flow,
 * calls, other memories, vector ops other than lane extracts, 64-bit and float arithmetic) or a
 * write of L ends the window there. A window with fewer than {@link SimdLaneSpill#MIN_LANE_READS}
 * lane reads of L is not used.
 */
final class LaneWindowShape {
    /** A window: its local and the bytes {@code [lo, hi)} its stores may write (empty: lo = hi = 0). */
    record Window(int local, long lo, long hi) {}

    private static final long MAX = 0xFFFF_FFFFL;
    private static final long[] TOP = {0, MAX};
    private static final int I8_EXTRACT_U = SimdFusion.opcode("i8x16.extract_lane_u");
    private static final int I16_EXTRACT_U = SimdFusion.opcode("i16x8.extract_lane_u");
    /** Bytes each store writes, by {@code opcode - I32_STORE}. */
    private static final int[] STORE_WIDTHS = {4, 8, 4, 8, 1, 2, 1, 2, 4};

    final Window[] windows;
    final int[] readOf;
    /** The locals that have a window. */
    final boolean[] locals;

    private LaneWindowShape(int size, int localCount) {
        windows = new Window[size];
        readOf = new int[size];
        Arrays.fill(readOf, -1);
        locals = new boolean[localCount];
    }

    /**
     * The windows of {@code code}, whose declared v128 locals are held as {@code splitLocals} says,
     * or null when there is none (or the form is not usable in this JVM: see SimdLaneWindow#USABLE).
     */
    static LaneWindowShape find(List<Instruction> code, byte[] splitLocals) {
        if (splitLocals == null || !io.wasmudf.engine.internal.runtime.SimdLaneWindow.USABLE) {
            return null;
        }
        LaneWindowShape shape = null;
        for (int pc = 0; pc + 1 < code.size(); pc++) {
            Instruction load = code.get(pc);
            Instruction set = code.get(pc + 1);
            if (load.opcode() != SimdFusion.V128_LOAD || SimdOpcodes.memory(load) != 0
                    || set.opcode() != LOCAL_SET && set.opcode() != LOCAL_TEE || splitLocals[set.a()] != SimdEmitter.LONGS) {
                continue;
            }
            shape = shape != null ? shape : new LaneWindowShape(code.size(), splitLocals.length);
            shape.follow(code, pc);
        }
        if (shape == null) {
            return null;
        }
        for (boolean b : shape.locals) {
            if (b) {
                return shape;
            }
        }
        return null;
    }

    /** Follows the window of the load at {@code load}; records it when it has enough lane reads. */
    private void follow(List<Instruction> code, int load) {
        int local = code.get(load + 1).a();
        List<long[]> stack = new ArrayList<>();
        Map<Integer, long[]> set = new HashMap<>();
        List<Integer> reads = new ArrayList<>();
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        int pc = load + 2;
        if (code.get(load + 1).opcode() == LOCAL_TEE) {
            if (pc < code.size() && SimdLaneSpill.isExtract(code.get(pc).opcode())) {
                reads.add(load + 1); // tee; extract: a set and a read
                stack.add(extracted(code.get(pc).opcode()));
                pc++;
            } else {
                stack.add(TOP); // the vector
            }
        }
        for (; pc < code.size(); pc++) {
            Instruction in = code.get(pc);
            int op = in.opcode();
            if (op == LOCAL_GET && pc + 1 < code.size() && SimdLaneSpill.isExtract(code.get(pc + 1).opcode())) {
                if (in.a() == local) {
                    reads.add(pc);
                }
                stack.add(extracted(code.get(++pc).opcode()));
            } else if (op == LOCAL_GET) {
                stack.add(in.a() == local ? TOP : set.getOrDefault(in.a(), TOP));
            } else if (op == LOCAL_SET || op == LOCAL_TEE) {
                if (in.a() == local) {
                    break;
                }
                set.put(in.a(), op == LOCAL_SET ? pop(stack) : peek(stack));
            } else if (op >= I32_STORE && op <= I64_STORE32) {
                pop(stack);
                long[] a = pop(stack);
                if (in.b() != 0 || a[1] == MAX) {
                    break;
                }
                lo = Math.min(lo, a[0] + in.c());
                hi = Math.max(hi, a[1] + in.c() + STORE_WIDTHS[op - I32_STORE]);
            } else if (op >= I32_LOAD && op <= I64_LOAD32_U) {
                if (in.b() != 0) {
                    break;
                }
                pop(stack);
                boolean u8 = op == I32_LOAD8_U || op == I64_LOAD8_U;
                boolean u16 = op == I32_LOAD16_U || op == I64_LOAD16_U;
                stack.add(u8 ? new long[] {0, 0xFF} : u16 ? new long[] {0, 0xFFFF} : TOP);
            } else if (!simple(op, in, stack)) {
                break;
            }
        }
        if (reads.size() < SimdLaneSpill.MIN_LANE_READS) {
            return;
        }
        windows[load] = lo > hi ? new Window(local, 0, 0) : new Window(local, lo, hi);
        locals[local] = true;
        for (int r : reads) {
            readOf[r] = load;
        }
    }

    /** Applies a constant, numeric or stack instruction to {@code stack}; false for any other. */
    private static boolean simple(int op, Instruction in, List<long[]> stack) {
        switch (op) {
            case NOP:
                return true;
            case DROP:
                pop(stack);
                return true;
            case GLOBAL_GET:
                stack.add(TOP);
                return true;
            case I32_CONST:
                long c = in.c() & MAX;
                stack.add(new long[] {c, c});
                return true;
            case I32_EQZ:
                pop(stack);
                stack.add(new long[] {0, 1});
                return true;
            case I32_CLZ: case I32_CTZ: case I32_POPCNT:
                pop(stack);
                stack.add(new long[] {0, 32});
                return true;
            default:
                break;
        }
        if (op >= I32_EQ && op <= I32_GE_U) {
            pop(stack);
            pop(stack);
            stack.add(new long[] {0, 1});
            return true;
        }
        if (op < I32_ADD || op > I32_ROTR) {
            return false;
        }
        long[] b = pop(stack);
        long[] a = pop(stack);
        stack.add(binary(op, a, b));
        return true;
    }

    /** The interval of i32 {@code a op b}, every value of both operands considered. */
    private static long[] binary(int op, long[] a, long[] b) {
        switch (op) {
            case I32_ADD:
                return a[1] + b[1] <= MAX ? new long[] {a[0] + b[0], a[1] + b[1]} : TOP;
            case I32_SUB:
                return a[0] >= b[1] ? new long[] {a[0] - b[1], a[1] - b[0]} : TOP;
            case I32_MUL:
                return b[1] == 0 || a[1] <= MAX / b[1] ? new long[] {a[0] * b[0], a[1] * b[1]} : TOP;
            case I32_AND:
                return new long[] {0, Math.min(a[1], b[1])};
            case I32_SHL: {
                if (b[0] != b[1]) {
                    return TOP;
                }
                int k = (int) (b[0] & 31);
                return a[1] << k <= MAX ? new long[] {a[0] << k, a[1] << k} : TOP;
            }
            case I32_SHR_U:
                return b[0] == b[1] ? new long[] {a[0] >>> (b[0] & 31), a[1] >>> (b[0] & 31)} : new long[] {0, a[1]};
            default:
                return TOP;
        }
    }

    private static long[] extracted(int extract) {
        return extract == I8_EXTRACT_U ? new long[] {0, 0xFF} : extract == I16_EXTRACT_U ? new long[] {0, 0xFFFF} : TOP;
    }

    // values from before the window are unknown
    private static long[] pop(List<long[]> stack) {
        return stack.isEmpty() ? TOP : stack.remove(stack.size() - 1);
    }

    private static long[] peek(List<long[]> stack) {
        return stack.isEmpty() ? TOP : stack.get(stack.size() - 1);
    }
}
