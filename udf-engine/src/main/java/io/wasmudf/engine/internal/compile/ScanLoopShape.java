package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.BLOCK;
import static io.wasmudf.engine.internal.model.Opcodes.BR;
import static io.wasmudf.engine.internal.model.Opcodes.BR_IF;
import static io.wasmudf.engine.internal.model.Opcodes.DROP;
import static io.wasmudf.engine.internal.model.Opcodes.I32_ADD;
import static io.wasmudf.engine.internal.model.Opcodes.I32_CONST;
import static io.wasmudf.engine.internal.model.Opcodes.I32_EQ;
import static io.wasmudf.engine.internal.model.Opcodes.I32_EQZ;
import static io.wasmudf.engine.internal.model.Opcodes.I32_GE_U;
import static io.wasmudf.engine.internal.model.Opcodes.I32_GT_U;
import static io.wasmudf.engine.internal.model.Opcodes.I32_LE_U;
import static io.wasmudf.engine.internal.model.Opcodes.I32_LT_U;
import static io.wasmudf.engine.internal.model.Opcodes.I32_NE;
import static io.wasmudf.engine.internal.model.Opcodes.I32_SUB;
import static io.wasmudf.engine.internal.model.Opcodes.IF;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_GET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_SET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_TEE;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recognises a byte-scan loop ({@link ScanLoops}) by evaluating one iteration of its body
 * symbolically. A <em>plain</em> iteration is one whose {@code v128.load; needle; i8x16.eq;
 * i8x16.bitmask} reads 16 in-bounds bytes with no match, so its mask is 0: with that constant the
 * body must be straight-line i32 arithmetic on locals whose every branch is decided either by a
 * constant or by an unsigned comparison of an address-like value growing by a fixed step against
 * a loop-invariant one (a guard such as {@code i + 16 <= len}), ending in the back edge. Then each
 * local the body writes is, after k plain iterations, a linear function of k, and the iterations
 * can be counted instead of run. A {@code block} whose leading {@code br_if 0} a plain iteration
 * takes, and an {@code if} (no else) it does not enter, hold code a plain iteration never runs,
 * which may be anything. Any other instruction — a call, a store, a {@code nop} — means no match.
 */
final class ScanLoopShape {
    private static final int V128_LOAD = SimdFusion.opcode("v128.load");
    private static final int I8X16_EQ = SimdFusion.opcode("i8x16.eq");
    private static final int I8X16_BITMASK = SimdFusion.opcode("i8x16.bitmask");
    /** Largest step of a guard's growing side that is accepted (keeps the counting arithmetic small). */
    private static final int MAX_STEP = 1 << 20;

    /** A plain iteration has {@code x <= y} ({@code x < y} when strict) as unsigned values; x grows by a fixed step, y stays. */
    record Guard(Lin x, Lin y, boolean strict) {}

    /**
     * A recognised loop: the scan's address (growing by 16 per iteration), its static offset and
     * needle instruction, the guards, each written local's value after one plain iteration and
     * each local's step (inductions: written as themselves plus a constant; others written are
     * given by {@code writes} evaluated with k - 1 iterations' steps).
     */
    record Match(Lin address, long offset, Instruction needle, List<Guard> guards, Map<Integer, Lin> writes,
                 Map<Integer, Integer> steps) {}

    /** A value on the symbolic stack: an i32 linear form, or a comparison (a guard's operand). */
    private record Value(Lin lin, int compare, Lin x, Lin y) {
        static Value of(Lin lin) {
            return new Value(lin, 0, null, null);
        }
    }

    private final ValType[] localTypes;
    private final byte[] splitLocals;

    /** Locals as FunctionCompiler keeps them ({@code splitLocals} null when no local is split). */
    ScanLoopShape(ValType[] localTypes, byte[] splitLocals) {
        this.localTypes = localTypes;
        this.splitLocals = splitLocals;
    }

    /** The loop at {@code start} as a scan loop on memory 0 (i32 addresses), or null. */
    Match match(List<Instruction> code, int start) {
        Instruction loop = code.get(start);
        if (loop.a() != Instruction.BLOCK_EMPTY) {
            return null;
        }
        int end = (int) loop.c();
        Map<Integer, Lin> writes = new TreeMap<>();
        List<Value> stack = new ArrayList<>();
        List<Guard> guards = new ArrayList<>();
        Lin address = null;
        long offset = 0;
        Instruction needle = null;
        int guardBlockEnd = -1; // inside a guard block: its end
        boolean backEdge = false;
        for (int pc = start + 1; pc < end; pc++) {
            Instruction in = code.get(pc);
            int op = in.opcode();
            if (op == LOCAL_GET) {
                if (localTypes[in.a()] != ValType.I32) {
                    return null;
                }
                stack.add(Value.of(writes.getOrDefault(in.a(), Lin.local(in.a()))));
            } else if (op == LOCAL_SET || op == LOCAL_TEE) {
                Lin v = popLin(stack);
                if (v == null || localTypes[in.a()] != ValType.I32) {
                    return null;
                }
                writes.put(in.a(), v);
                if (op == LOCAL_TEE) {
                    stack.add(Value.of(v));
                }
            } else if (op == I32_CONST) {
                stack.add(Value.of(Lin.constant((int) in.c())));
            } else if (op == I32_ADD || op == I32_SUB) {
                Lin y = popLin(stack);
                Lin x = popLin(stack);
                if (x == null || y == null) {
                    return null;
                }
                stack.add(Value.of(x.plus(y, op == I32_ADD ? 1 : -1)));
            } else if (op == I32_EQZ) {
                Lin x = popLin(stack);
                if (x == null || !x.isConstant()) {
                    return null;
                }
                stack.add(Value.of(Lin.constant(x.c() == 0 ? 1 : 0)));
            } else if (op == I32_EQ || op == I32_NE) {
                Lin y = popLin(stack);
                Lin x = popLin(stack);
                if (x == null || y == null || !x.isConstant() || !y.isConstant()) {
                    return null;
                }
                stack.add(Value.of(Lin.constant((x.c() == y.c()) == (op == I32_EQ) ? 1 : 0)));
            } else if (op == I32_LT_U || op == I32_LE_U || op == I32_GT_U || op == I32_GE_U) {
                Lin y = popLin(stack);
                Lin x = popLin(stack);
                if (x == null || y == null) {
                    return null;
                }
                if (x.isConstant() && y.isConstant()) {
                    stack.add(Value.of(Lin.constant(compare(op, x.c(), y.c()) ? 1 : 0)));
                } else {
                    stack.add(new Value(null, op, x, y));
                }
            } else if (op == DROP) {
                if (popLin(stack) == null) {
                    return null;
                }
            } else if (op == V128_LOAD) {
                // the scan: load; needle; i8x16.eq; i8x16.bitmask, once; a plain iteration's mask is 0
                if (address != null || pc + 3 >= end || SimdOpcodes.memory(in) != 0 || !needle(code.get(pc + 1))
                        || code.get(pc + 2).opcode() != I8X16_EQ || code.get(pc + 3).opcode() != I8X16_BITMASK) {
                    return null;
                }
                address = popLin(stack);
                if (address == null) {
                    return null;
                }
                offset = in.c();
                needle = code.get(pc + 1);
                stack.add(Value.of(Lin.constant(0)));
                pc += 3;
            } else if (op == BLOCK && guardBlockEnd < 0) {
                // a guard block: straight-line code, then a br_if 0 that a plain iteration takes
                if (in.a() != Instruction.BLOCK_EMPTY || !stack.isEmpty()) {
                    return null;
                }
                guardBlockEnd = (int) in.c();
            } else if (op == BR_IF && guardBlockEnd >= 0) {
                if (in.a() != 0 || !require(pop(stack), true, guards) || !stack.isEmpty()) {
                    return null;
                }
                pc = guardBlockEnd; // the rest of the block is cold; continue after its end
                guardBlockEnd = -1;
            } else if (op == IF && guardBlockEnd < 0) {
                // an if a plain iteration does not enter
                boolean hasElse = in.labels() != null && in.labels().length > 0 && in.labels()[0] >= 0;
                if (in.a() != Instruction.BLOCK_EMPTY || hasElse || !require(pop(stack), false, guards) || !stack.isEmpty()) {
                    return null;
                }
                pc = (int) in.c();
            } else if (op == BR_IF && guardBlockEnd < 0) {
                Value v = pop(stack);
                if (in.a() == 0) {
                    // the back edge: only as the body's last instruction
                    if (pc != end - 1 || !require(v, true, guards)) {
                        return null;
                    }
                    backEdge = true;
                } else if (!require(v, false, guards)) { // leaves the loop
                    return null;
                }
            } else if (op == BR && guardBlockEnd < 0 && in.a() == 0 && pc == end - 1) {
                backEdge = true;
            } else {
                return null;
            }
        }
        if (!backEdge || address == null || !stack.isEmpty() || guardBlockEnd >= 0) {
            return null;
        }
        return closed(address, offset, needle, guards, writes);
    }

    /**
     * The match if the iteration's effect repeats as linear functions: every local a value reads
     * is either never written or an induction (written as itself plus a constant), the address
     * grows by exactly 16, and each guard's x grows by a positive step (or stays) while its y stays.
     */
    private static Match closed(Lin address, long offset, Instruction needle, List<Guard> guards, Map<Integer, Lin> writes) {
        Map<Integer, Integer> steps = new TreeMap<>();
        writes.forEach((l, w) -> {
            if (w.terms().size() == 1 && w.terms().getOrDefault(l, 0) == 1) {
                steps.put(l, w.c());
            }
        });
        List<Lin> read = new ArrayList<>(writes.values());
        read.add(address);
        for (Guard g : guards) {
            read.add(g.x);
            read.add(g.y);
        }
        for (Lin v : read) {
            for (int l : v.terms().keySet()) {
                if (writes.containsKey(l) && !steps.containsKey(l)) {
                    return null; // reads a value the previous iteration computed other than by a step
                }
            }
        }
        if (address.delta(steps) != 16) {
            return null;
        }
        for (Guard g : guards) {
            int dx = g.x.delta(steps);
            if (g.y.delta(steps) != 0 || dx < 0 || dx > MAX_STEP) {
                return null;
            }
        }
        return new Match(address, offset, needle, List.copyOf(guards), writes, steps);
    }

    /** Records what a plain iteration needs of a branch condition; false if it can never hold or is not a guard. */
    private static boolean require(Value v, boolean want, List<Guard> guards) {
        if (v == null) {
            return false;
        }
        if (v.lin != null) {
            return v.lin.isConstant() && (v.lin.c() != 0) == want;
        }
        int op = v.compare;
        if (!want) { // the negation: !(x < y) is y <= x, and so on
            op = op == I32_LT_U ? I32_GE_U : op == I32_LE_U ? I32_GT_U : op == I32_GT_U ? I32_LE_U : I32_LT_U;
        }
        switch (op) {
            case I32_LE_U: guards.add(new Guard(v.x, v.y, false)); break;
            case I32_LT_U: guards.add(new Guard(v.x, v.y, true)); break;
            case I32_GE_U: guards.add(new Guard(v.y, v.x, false)); break;
            default: guards.add(new Guard(v.y, v.x, true)); break; // gt_u
        }
        return true;
    }

    private static boolean compare(int op, int x, int y) {
        int c = Integer.compareUnsigned(x, y);
        switch (op) {
            case I32_LT_U: return c < 0;
            case I32_LE_U: return c <= 0;
            case I32_GT_U: return c > 0;
            default: return c >= 0;
        }
    }

    /** A needle the scan helper takes as two longs: a constant, or a declared v128 local in long slots. */
    private boolean needle(Instruction in) {
        if (in.opcode() == SimdOpcodes.V128_CONST) {
            return true;
        }
        return in.opcode() == LOCAL_GET && splitLocals != null && splitLocals[in.a()] == SimdEmitter.LONGS;
    }

    private static Value pop(List<Value> stack) {
        return stack.isEmpty() ? null : stack.remove(stack.size() - 1);
    }

    private static Lin popLin(List<Value> stack) {
        Value v = pop(stack);
        return v == null ? null : v.lin;
    }
}
