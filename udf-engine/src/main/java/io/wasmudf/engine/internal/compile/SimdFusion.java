package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.I32_ADD;
import static io.wasmudf.engine.internal.model.Opcodes.I32_AND;
import static io.wasmudf.engine.internal.model.Opcodes.I32_CONST;
import static io.wasmudf.engine.internal.model.Opcodes.I32_MUL;
import static io.wasmudf.engine.internal.model.Opcodes.I32_SHL;
import static io.wasmudf.engine.internal.model.Opcodes.I32_SUB;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_GET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_SET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_TEE;
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
 * always fusable where it occurs: no label can fall between two plain instructions. Also picks
 * the float form of {@code v128.load} where f32x4 arithmetic consumes the vector ({@link #loadFeedsF32}).
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

    static final int V128_LOAD = opcode("v128.load");
    /** The f32x4 instructions whose helpers work on float lanes (see runtime.F32Lanes). */
    private static final int[] F32_ARITHMETIC = {opcode("f32x4.add"), opcode("f32x4.sub"), opcode("f32x4.mul"), opcode("f32x4.div")};
    /** How far {@link #loadFeedsF32} looks for the consumer. */
    private static final int LOOKAHEAD = 16;

    /**
     * Whether the vector the {@code v128.load} at {@code pc} leaves is consumed by f32x4 arithmetic:
     * follows the stack through the instructions that typically come between (the other operand's
     * address arithmetic and load) to the one that pops it; anything else ends the search with no.
     * Either answer is correct (both load forms make the same value); yes saves splitting longs.
     */
    static boolean loadFeedsF32(List<Instruction> code, int pc) {
        int above = 0; // values pushed on top of the loaded vector
        for (int i = pc + 1; i < code.size() && i <= pc + LOOKAHEAD; i++) {
            int op = code.get(i).opcode();
            int pops;
            if (op == LOCAL_GET || op == I32_CONST) {
                pops = 0;
            } else if (op == LOCAL_TEE || op == V128_LOAD) {
                pops = 1;
            } else if (op == I32_ADD || op == I32_SUB || op == I32_MUL || op == I32_SHL || op == I32_AND) {
                pops = 2;
            } else if (isF32Arithmetic(op)) {
                if (above < 2) {
                    return true; // pops the loaded vector
                }
                pops = 2;
            } else {
                return false;
            }
            if (pops > above) {
                return false; // something else consumes it
            }
            above += 1 - pops;
        }
        return false;
    }

    /**
     * The split form of declared v128 local {@code local} (see SimdEmitter#loadSplit): four float
     * slots when every {@code local.set}/{@code local.tee} of it stores what f32x4 arithmetic just
     * made or a constant (an accumulator and its start), else two long slots. Either form holds any value exactly (float slots
     * and moves keep every bit on the JVMs we run on); the float form keeps an f32 loop's
     * accumulator in float registers instead of packing it into longs each iteration.
     */
    static byte splitForm(List<Instruction> code, int local) {
        boolean written = false;
        for (int pc = 1; pc < code.size(); pc++) {
            Instruction in = code.get(pc);
            if ((in.opcode() == LOCAL_SET || in.opcode() == LOCAL_TEE) && in.a() == local) {
                int before = code.get(pc - 1).opcode();
                if (!isF32Arithmetic(before) && before != SimdOpcodes.V128_CONST) {
                    return SimdEmitter.LONGS;
                }
                written = true;
            }
        }
        Instruction first = code.isEmpty() ? null : code.get(0);
        if (first != null && (first.opcode() == LOCAL_SET || first.opcode() == LOCAL_TEE) && first.a() == local) {
            return SimdEmitter.LONGS;
        }
        return written ? SimdEmitter.FLOATS : SimdEmitter.LONGS;
    }

    private static boolean isF32Arithmetic(int op) {
        for (int f : F32_ARITHMETIC) {
            if (f == op) {
                return true;
            }
        }
        return false;
    }

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
