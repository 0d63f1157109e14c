package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.INVOKESTATIC;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.runtime.SimdFused;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Adjacent vector instruction pairs emitted as one helper call ({@link SimdFused}), chosen by
 * measurement of the SIMD kernels: {@code i8x16.eq; i8x16.bitmask} (memchr, strlen: no 16-byte
 * mask, a three-operation test per half when no byte matches) and {@code f32x4.mul; f32x4.add}
 * (dot products: the product's lanes are not packed into longs and unpacked again). A pair is
 * always fusable where it occurs: no label can fall between two plain instructions.
 */
final class SimdFusion {
    private SimdFusion() {}

    private static final String OWNER = Type.getInternalName(SimdFused.class);
    private static final String OBJ = "Ljava/lang/Object;";

    /** One fusable pair: its instructions, the helper's name and descriptor, its result and operand count. */
    private record Pair(int first, int second, String helper, String descriptor, ValType result, int operands) {}

    private static final List<Pair> PAIRS = List.of(
            new Pair(opcode("i8x16.eq"), opcode("i8x16.bitmask"), "i8x16_eq_bitmask", "(" + OBJ + OBJ + ")I", ValType.I32, 2),
            new Pair(opcode("f32x4.mul"), opcode("f32x4.add"), "f32x4_mul_add", "(" + OBJ + OBJ + OBJ + ")" + OBJ, ValType.V128, 3));

    static int opcode(String name) {
        for (int s = 0; s < SimdOpcodes.LIMIT; s++) {
            if (name.equals(SimdOpcodes.name(SimdOpcodes.BASE + s))) {
                return SimdOpcodes.BASE + s;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /**
     * Emits the pair starting at {@code pc} as one call and returns true, or returns false (nothing
     * emitted) when {@code code[pc], code[pc + 1]} is not a fusable pair.
     */
    static boolean emit(MethodVisitor mv, List<ValType> stack, List<Instruction> code, int pc) {
        if (pc + 1 >= code.size()) {
            return false;
        }
        int first = code.get(pc).opcode();
        int second = code.get(pc + 1).opcode();
        for (Pair p : PAIRS) {
            if (p.first == first && p.second == second) {
                mv.visitMethodInsn(INVOKESTATIC, OWNER, p.helper, p.descriptor, false);
                for (int i = 0; i < p.operands; i++) {
                    stack.remove(stack.size() - 1);
                }
                stack.add(p.result);
                return true;
            }
        }
        return false;
    }
}
