package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.BR;
import static io.wasmudf.engine.internal.model.Opcodes.BR_IF;
import static io.wasmudf.engine.internal.model.Opcodes.DROP;
import static io.wasmudf.engine.internal.model.Opcodes.I32_ADD;
import static io.wasmudf.engine.internal.model.Opcodes.I32_CONST;
import static io.wasmudf.engine.internal.model.Opcodes.I32_GE_U;
import static io.wasmudf.engine.internal.model.Opcodes.I32_GT_U;
import static io.wasmudf.engine.internal.model.Opcodes.I32_LE_U;
import static io.wasmudf.engine.internal.model.Opcodes.I32_LT_U;
import static io.wasmudf.engine.internal.model.Opcodes.I32_NE;
import static io.wasmudf.engine.internal.model.Opcodes.I32_SUB;
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
 * Recognises an f32x4 dot-product loop ({@link DotLoops}) by evaluating one iteration of its body
 * symbolically: straight-line code that reads a declared v128 local {@code acc} once, adds to it
 * P products {@code f32x4.mul(v128.load A_p, v128.load B_p)} one after the other, sets it back,
 * and otherwise only computes i32 locals by {@code local.get/set/tee}, {@code i32.const},
 * {@code add}, {@code sub} (and {@code drop}), ending in the back edge: {@code br 0}, or {@code
 * br_if 0} on a value (continue while not zero), an {@code i32.ne} or an unsigned comparison. Every
 * local a value reads must be loop-invariant or an induction (itself plus a constant), and the
 * loads must be contiguous: A_p at A_0 + 16 p, B_p at B_0 + 16 p, each advancing by 16 P per
 * iteration — so k iterations are the products of k P consecutive vector pairs, in order. Anything
 * else (a call, a store, a branch out, a {@code nop}) means no match.
 */
final class DotLoopShape {
    private static final int V128_LOAD = SimdFusion.opcode("v128.load");
    private static final int F32X4_MUL = SimdFusion.opcode("f32x4.mul");
    private static final int F32X4_ADD = SimdFusion.opcode("f32x4.add");

    /** A load: its i32 address and static offset. */
    record Load(Lin address, long offset) {}

    /**
     * What a plain iteration needs to continue: {@code x <= y} ({@code <} when strict) as unsigned
     * values, or, when {@code y} is null, {@code x != 0}.
     */
    record Guard(Lin x, Lin y, boolean strict) {}

    /**
     * A recognised loop: the accumulator local, the loads of each product in order (a's, b's), the
     * guard (null for {@code br 0}), each written i32 local's value after one iteration and each
     * induction's step.
     */
    record Match(int acc, List<Load> a, List<Load> b, Guard guard, Map<Integer, Lin> writes, Map<Integer, Integer> steps) {
        /** Bytes every load advances per iteration. */
        int stride() {
            return 16 * a.size();
        }
    }

    /** A value on the symbolic stack: an i32 form, a comparison, a load, a product or the accumulator. */
    private record Value(Lin lin, int compare, Lin x, Lin y, Load load, Load times, int products) {
        static Value of(Lin lin) {
            return new Value(lin, 0, null, null, null, null, -1);
        }
    }

    private final ValType[] localTypes;
    private final byte[] splitLocals;

    /** Locals as FunctionCompiler keeps them ({@code splitLocals} null when no local is split). */
    DotLoopShape(ValType[] localTypes, byte[] splitLocals) {
        this.localTypes = localTypes;
        this.splitLocals = splitLocals;
    }

    /** The loop at {@code start} as a dot-product loop on memory 0 (i32 addresses), or null. */
    Match match(List<Instruction> code, int start) {
        Instruction loop = code.get(start);
        if (loop.a() != Instruction.BLOCK_EMPTY || splitLocals == null) {
            return null;
        }
        int end = (int) loop.c();
        Map<Integer, Lin> writes = new TreeMap<>();
        List<Value> stack = new ArrayList<>();
        List<Load> as = new ArrayList<>();
        List<Load> bs = new ArrayList<>();
        int acc = -1;
        boolean accRead = false;
        boolean accSet = false;
        Guard guard = null;
        boolean backEdge = false;
        for (int pc = start + 1; pc < end; pc++) {
            Instruction in = code.get(pc);
            int op = in.opcode();
            if (op == LOCAL_GET && localTypes[in.a()] == ValType.V128) {
                if (accRead || !accumulator(in.a())) {
                    return null;
                }
                acc = in.a();
                accRead = true;
                stack.add(new Value(null, 0, null, null, null, null, 0));
            } else if (op == LOCAL_GET && localTypes[in.a()] == ValType.I32) {
                stack.add(Value.of(writes.getOrDefault(in.a(), Lin.local(in.a()))));
            } else if (op == LOCAL_SET && in.a() == acc && !accSet) {
                Value v = pop(stack);
                if (v == null || v.products <= 0) {
                    return null;
                }
                accSet = true;
            } else if ((op == LOCAL_SET || op == LOCAL_TEE) && localTypes[in.a()] == ValType.I32) {
                Lin v = popLin(stack);
                if (v == null) {
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
            } else if (op == I32_NE || op == I32_LT_U || op == I32_LE_U || op == I32_GT_U || op == I32_GE_U) {
                Lin y = popLin(stack);
                Lin x = popLin(stack);
                if (x == null || y == null) {
                    return null;
                }
                stack.add(new Value(null, op, x, y, null, null, -1));
            } else if (op == DROP) {
                if (popLin(stack) == null) {
                    return null;
                }
            } else if (op == V128_LOAD) {
                Lin address = popLin(stack);
                if (address == null || SimdOpcodes.memory(in) != 0) {
                    return null;
                }
                stack.add(new Value(null, 0, null, null, new Load(address, in.c()), null, -1));
            } else if (op == F32X4_MUL) {
                Value y = pop(stack);
                Value x = pop(stack);
                if (x == null || y == null || x.load == null || y.load == null) {
                    return null;
                }
                stack.add(new Value(null, 0, null, null, x.load, y.load, -1));
            } else if (op == F32X4_ADD) {
                Value p = pop(stack);
                Value s = pop(stack);
                if (p == null || s == null || p.times == null || s.products < 0) {
                    return null;
                }
                as.add(p.load);
                bs.add(p.times);
                stack.add(new Value(null, 0, null, null, null, null, s.products + 1));
            } else if (op == BR_IF && in.a() == 0 && pc == end - 1) {
                Value v = pop(stack);
                if (v == null || (v.lin == null && v.compare == 0)) {
                    return null;
                }
                guard = guard(v);
                backEdge = true;
            } else if (op == BR && in.a() == 0 && pc == end - 1) {
                backEdge = true;
            } else {
                return null;
            }
        }
        if (!backEdge || !accSet || !stack.isEmpty()) {
            return null;
        }
        return closed(acc, as, bs, guard, writes);
    }

    /** A declared v128 local kept in float or long slots (a parameter or an array-held local is not). */
    private boolean accumulator(int local) {
        return splitLocals[local] == SimdEmitter.FLOATS || splitLocals[local] == SimdEmitter.LONGS;
    }

    /** The guard a back edge taken on {@code v} needs. */
    private static Guard guard(Value v) {
        if (v.lin != null) {
            return new Guard(v.lin, null, false);
        }
        switch (v.compare) {
            case I32_NE: return new Guard(v.x.plus(v.y, -1), null, false);
            case I32_LE_U: return new Guard(v.x, v.y, false);
            case I32_LT_U: return new Guard(v.x, v.y, true);
            case I32_GE_U: return new Guard(v.y, v.x, false);
            default: return new Guard(v.y, v.x, true); // gt_u
        }
    }

    /**
     * The match if the iteration repeats as linear functions of the iteration count: every local a
     * value reads is never written or an induction, and the loads are contiguous (see the class
     * comment), each advancing by 16 P.
     */
    private static Match closed(int acc, List<Load> as, List<Load> bs, Guard guard, Map<Integer, Lin> writes) {
        Map<Integer, Integer> steps = new TreeMap<>();
        writes.forEach((l, w) -> {
            if (w.terms().size() == 1 && w.terms().getOrDefault(l, 0) == 1) {
                steps.put(l, w.c());
            }
        });
        List<Lin> read = new ArrayList<>(writes.values());
        for (int p = 0; p < as.size(); p++) {
            read.add(as.get(p).address);
            read.add(bs.get(p).address);
        }
        if (guard != null) {
            read.add(guard.x);
            if (guard.y != null) {
                read.add(guard.y);
            }
        }
        for (Lin v : read) {
            for (int l : v.terms().keySet()) {
                if (writes.containsKey(l) && !steps.containsKey(l)) {
                    return null; // reads a value the previous iteration computed other than by a step
                }
            }
        }
        int stride = 16 * as.size();
        if (!contiguous(as, stride, steps) || !contiguous(bs, stride, steps)) {
            return null;
        }
        return new Match(acc, List.copyOf(as), List.copyOf(bs), guard, writes, steps);
    }

    /** Load p at load 0's address + 16 p (same locals, constant difference), each advancing by {@code stride}. */
    private static boolean contiguous(List<Load> loads, int stride, Map<Integer, Integer> steps) {
        Load first = loads.get(0);
        for (int p = 0; p < loads.size(); p++) {
            Load l = loads.get(p);
            Lin diff = l.address.plus(first.address, -1);
            if (!diff.terms().isEmpty() || (long) diff.c() + l.offset - first.offset != 16L * p
                    || l.address.delta(steps) != stride || l.offset > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    private static Value pop(List<Value> stack) {
        return stack.isEmpty() ? null : stack.remove(stack.size() - 1);
    }

    private static Lin popLin(List<Value> stack) {
        Value v = pop(stack);
        return v == null ? null : v.lin;
    }
}
