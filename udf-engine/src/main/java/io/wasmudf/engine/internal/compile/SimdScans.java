package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.I32_EQZ;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_GET;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.LLOAD;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.runtime.SimdScan;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Byte-scanning sequences emitted as one helper call ({@link SimdScan}), chosen by measurement of
 * the memchr, strlen and UTF-8 validation kernels:
 * <ul>
 *   <li>{@code v128.load; (v128.const | local.get L); i8x16.eq; i8x16.bitmask}, L a declared v128
 *   local held in two long slots (see SimdEmitter#loadSplit): the loaded halves are compared with
 *   the needle's longs straight from memory, with no V128 made for either (a constant needle's
 *   longs then fold into the test, e.g. strlen's zero vector);
 *   <li>{@code i8x16.bitmask; i32.eqz} (the ASCII skip): one test of both halves' top bits, where
 *   the bitmask alone gathers all 16 bits with multiplies whenever some byte is non-ASCII;
 *   <li>{@code i8x16.eq; v128.any_true} (a scan that only asks whether some byte matched): one
 *   zero-byte test of the xor, no 16-byte mask.
 * </ul>
 * Like {@link SimdFusion}'s pairs, these fuse only in methods that outline nothing (no chunk
 * boundary can fall inside), and no label can fall between their plain instructions.
 */
final class SimdScans {
    private static final String OWNER = Type.getInternalName(SimdScan.class);
    private static final int V128_LOAD = SimdFusion.opcode("v128.load");
    private static final int I8X16_EQ = SimdFusion.opcode("i8x16.eq");
    private static final int I8X16_BITMASK = SimdFusion.opcode("i8x16.bitmask");
    private static final int V128_ANY_TRUE = SimdFusion.opcode("v128.any_true");

    private final MethodVisitor mv;
    private final List<ValType> stack;
    private final int memSlot;
    private final int[] localSlots;
    private final byte[] splitLocals;

    /** {@code splitLocals} as FunctionCompiler keeps them (null when no local is split). */
    SimdScans(MethodVisitor mv, List<ValType> stack, int memSlot, int[] localSlots, byte[] splitLocals) {
        this.mv = mv;
        this.stack = stack;
        this.memSlot = memSlot;
        this.localSlots = localSlots;
        this.splitLocals = splitLocals;
    }

    /**
     * Emits the sequence starting at {@code pc} as one call and returns the index of its last
     * instruction, or returns -1 (nothing emitted) when no sequence starts there.
     */
    int emit(List<Instruction> code, int pc) {
        int op = code.get(pc).opcode();
        if (op == V128_LOAD && pc + 3 < code.size() && code.get(pc + 2).opcode() == I8X16_EQ
                && code.get(pc + 3).opcode() == I8X16_BITMASK && needle(code.get(pc + 1))) {
            Instruction load = code.get(pc);
            mv.visitVarInsn(ALOAD, memSlot);
            mv.visitVarInsn(ILOAD, memSlot + 1);
            // offsets of 2^31 and more are never in bounds; clamped as SimdEmitter clamps them
            JvmInsns.pushInt(mv, (int) Math.min(load.c(), Integer.MAX_VALUE));
            pushNeedle(code.get(pc + 1));
            mv.visitMethodInsn(INVOKESTATIC, OWNER, "v128_load_eq_bitmask", "(I[BIIJJ)I", false);
            stack.set(stack.size() - 1, ValType.I32); // the address, now the mask
            return pc + 3;
        }
        if (op == I8X16_BITMASK && pc + 1 < code.size() && code.get(pc + 1).opcode() == I32_EQZ) {
            mv.visitMethodInsn(INVOKESTATIC, OWNER, "i8x16_bitmask_eqz", "(Ljava/lang/Object;)I", false);
            stack.set(stack.size() - 1, ValType.I32);
            return pc + 1;
        }
        if (op == I8X16_EQ && pc + 1 < code.size() && code.get(pc + 1).opcode() == V128_ANY_TRUE) {
            mv.visitMethodInsn(INVOKESTATIC, OWNER, "i8x16_eq_any_true", "(Ljava/lang/Object;Ljava/lang/Object;)I", false);
            stack.remove(stack.size() - 1);
            stack.set(stack.size() - 1, ValType.I32);
            return pc + 1;
        }
        return -1;
    }

    /** A needle the fused load can take as two longs: a constant, or a v128 local in long slots. */
    private boolean needle(Instruction in) {
        if (memSlot < 0) {
            return false;
        }
        if (in.opcode() == SimdOpcodes.V128_CONST) {
            return true;
        }
        return in.opcode() == LOCAL_GET && splitLocals != null && splitLocals[in.a()] == SimdEmitter.LONGS;
    }

    private void pushNeedle(Instruction in) {
        if (in.opcode() == SimdOpcodes.V128_CONST) {
            JvmInsns.pushLong(mv, in.c());
            JvmInsns.pushLong(mv, SimdOpcodes.high(in));
        } else {
            int slot = localSlots[in.a()];
            mv.visitVarInsn(LLOAD, slot);
            mv.visitVarInsn(LLOAD, slot + 2);
        }
    }
}
