package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.V128;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.RefOpcodes;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;

/** Evaluates constant expressions that allocate (3.0 GC: struct.new, array.new*, ref.i31...), values boxed. */
public final class GcConstants {
    private GcConstants() {}

    private static final Object NULL = new Object();

    public static Object eval(List<Instruction> expr, IntFunction<Object> global, ModuleInstance state) {
        Deque<Object> stack = new ArrayDeque<>();
        for (Instruction in : expr) {
            switch (in.opcode()) {
                case Opcodes.I32_CONST -> push(stack, (int) in.c());
                case Opcodes.I64_CONST -> push(stack, in.c());
                case Opcodes.F32_CONST -> push(stack, Float.intBitsToFloat((int) in.c()));
                case Opcodes.F64_CONST -> push(stack, Double.longBitsToDouble(in.c()));
                case SimdOpcodes.V128_CONST -> push(stack, new V128(in.c(), SimdOpcodes.high(in)));
                case Opcodes.REF_NULL -> push(stack, null);
                case Opcodes.REF_FUNC -> push(stack, state.func(in.a()));
                case Opcodes.GLOBAL_GET -> push(stack, global.apply(in.a()));
                case Opcodes.END -> { }
                // extended constants, which may feed a GC allocation
                case Opcodes.I32_ADD, Opcodes.I32_SUB, Opcodes.I32_MUL -> {
                    int b = (Integer) pop(stack);
                    int a = (Integer) pop(stack);
                    push(stack, in.opcode() == Opcodes.I32_ADD ? a + b : in.opcode() == Opcodes.I32_SUB ? a - b : a * b);
                }
                case Opcodes.I64_ADD, Opcodes.I64_SUB, Opcodes.I64_MUL -> {
                    long b = (Long) pop(stack);
                    long a = (Long) pop(stack);
                    push(stack, in.opcode() == Opcodes.I64_ADD ? a + b : in.opcode() == Opcodes.I64_SUB ? a - b : a * b);
                }
                case RefOpcodes.REF_I31 -> push(stack, Gc.i31((Integer) pop(stack)));
                case RefOpcodes.ANY_CONVERT_EXTERN, RefOpcodes.EXTERN_CONVERT_ANY -> { }
                case RefOpcodes.STRUCT_NEW, RefOpcodes.STRUCT_NEW_DEFAULT -> {
                    GcStruct s = (GcStruct) Gc.structNew(state, in.a());
                    if (in.opcode() == RefOpcodes.STRUCT_NEW) {
                        int[] fields = s.type.storage;
                        for (int k = fields.length - 1; k >= 0; k--) {
                            Object v = pop(stack);
                            if (GcType.heldAsObject(fields[k])) {
                                s.refs[s.type.slot[k]] = v;
                            } else {
                                s.nums[s.type.slot[k]] = bits(v);
                            }
                        }
                    }
                    push(stack, s);
                }
                case RefOpcodes.ARRAY_NEW -> {
                    int n = (Integer) pop(stack);
                    Object v = pop(stack);
                    push(stack, GcType.heldAsObject(state.gcTypes[in.a()].storage[0])
                            ? Gc.arrayNewRef(v, n, state, in.a()) : Gc.arrayNewBits(bits(v), n, state, in.a()));
                }
                case RefOpcodes.ARRAY_NEW_DEFAULT -> push(stack, Gc.arrayNew((Integer) pop(stack), state, in.a()));
                case RefOpcodes.ARRAY_NEW_FIXED -> {
                    int n = in.b();
                    GcArray a = (GcArray) Gc.arrayNew(n, state, in.a());
                    for (int k = n - 1; k >= 0; k--) {
                        Object v = pop(stack);
                        if (a.refs != null) {
                            a.refs[k] = v;
                        } else {
                            a.nums[k] = bits(v);
                        }
                    }
                    push(stack, a);
                }
                default -> throw new IllegalStateException("not a constant instruction: " + in);
            }
        }
        return pop(stack);
    }

    private static void push(Deque<Object> stack, Object v) {
        stack.push(v == null ? NULL : v);
    }

    private static Object pop(Deque<Object> stack) {
        Object v = stack.pop();
        return v == NULL ? null : v;
    }

    /** A boxed number's raw bits as GC fields store them. */
    private static long bits(Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Float f) {
            return Float.floatToRawIntBits(f);
        }
        return Double.doubleToRawLongBits((Double) v);
    }
}
