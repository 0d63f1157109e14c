package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_GET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_SET;
import static io.wasmudf.engine.internal.model.Opcodes.LOCAL_TEE;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.I2B;
import static org.objectweb.asm.Opcodes.I2S;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LUSHR;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.runtime.SimdLaneArray;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Declared v128 locals that the function reads lane by lane ({@code local.get L;
 * i8x16.extract_lane_u k}, the byte histogram's 16 per vector) and writes only with loaded or
 * constant vectors live in a 16-byte array of the activation ({@link SimdEmitter#ARRAY} form,
 * runtime.SimdLaneArray) instead of two long slots: each lane read is then one load from the
 * array where from a long it was a copy, a shift and a mask, and a {@code local.set} is two
 * stores. No vector computed from another is stored, so no arithmetic chain round a loop waits on
 * the array (an accumulator keeps the long form). Other reads make a V128 from the array. The
 * array is made once per call at entry, so recursion and threads each have their own.
 */
final class SimdLaneSpill {
    private SimdLaneSpill() {}

    private static final String OWNER = Type.getInternalName(SimdLaneArray.class);
    /** Lane reads of a local from which the array form pays (below, the long form's registers win). */
    static final int MIN_LANE_READS = 4;
    private static final int[] EXTRACTS = {
        SimdFusion.opcode("i8x16.extract_lane_s"), SimdFusion.opcode("i8x16.extract_lane_u"),
        SimdFusion.opcode("i16x8.extract_lane_s"), SimdFusion.opcode("i16x8.extract_lane_u"),
        SimdFusion.opcode("i32x4.extract_lane"), SimdFusion.opcode("i64x2.extract_lane")};

    /** The split form of declared v128 local {@code local}: {@link SimdFusion#splitForm}'s, or the array form for a local read lane by lane. */
    static byte form(List<Instruction> code, int local) {
        byte form = SimdFusion.splitForm(code, local);
        if (form != SimdEmitter.LONGS || !SimdLaneArray.USABLE) {
            return form;
        }
        int reads = 0;
        for (int pc = 0; pc < code.size(); pc++) {
            Instruction in = code.get(pc);
            if ((in.opcode() == LOCAL_SET || in.opcode() == LOCAL_TEE) && in.a() == local && !loadedOrConstant(code, pc - 1)) {
                // a vector computed (an accumulator whose lanes are read after its loop) would wait
                // on the array's store and load each iteration where the long form keeps registers
                return form;
            }
            if (in.opcode() == LOCAL_GET && in.a() == local && pc + 1 < code.size() && isExtract(code.get(pc + 1).opcode())) {
                reads++;
            }
        }
        return reads >= MIN_LANE_READS ? SimdEmitter.ARRAY : form;
    }

    /** Whether {@code code[pc]} makes a vector from memory or a constant, none from another vector. */
    private static boolean loadedOrConstant(List<Instruction> code, int pc) {
        if (pc < 0) {
            return false;
        }
        int op = code.get(pc).opcode();
        return op == SimdOpcodes.V128_CONST || SimdOpcodes.isSimd(op) && SimdOpcodes.kind(op) == SimdOpcodes.Kind.LOAD;
    }

    static boolean isExtract(int op) {
        for (int e : EXTRACTS) {
            if (e == op) {
                return true;
            }
        }
        return false;
    }

    /** Makes the array of an array-form local at function entry (its value: all zero bits). */
    static void create(MethodVisitor mv, int slot) {
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "create", "()[B", false);
        mv.visitVarInsn(ASTORE, slot);
    }

    /** Pushes the array-form local in {@code slot} as a V128. */
    static void load(MethodVisitor mv, int slot) {
        mv.visitVarInsn(ALOAD, slot);
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "get", "([B)Ljava/lang/Object;", false);
    }

    /** Pops a V128 into the array-form local in {@code slot}. */
    static void store(MethodVisitor mv, int slot) {
        mv.visitVarInsn(ALOAD, slot);
        mv.visitMethodInsn(INVOKESTATIC, OWNER, "set", "(Ljava/lang/Object;[B)V", false);
    }

    /**
     * Emits {@code local.get} of the array-form local in {@code slot} at {@code pc} together with
     * the lane extract after it as one read of the array and returns true, or returns false
     * (nothing emitted) when no lane extract follows.
     */
    static boolean emitLaneRead(MethodVisitor mv, List<ValType> stack, List<Instruction> code, int pc, int slot) {
        if (pc + 1 >= code.size() || !isExtract(code.get(pc + 1).opcode())) {
            return false;
        }
        Instruction extract = code.get(pc + 1);
        ValType result = SimdOpcodes.scalar(extract.opcode());
        mv.visitVarInsn(ALOAD, slot);
        JvmInsns.pushInt(mv, extract.b());
        mv.visitMethodInsn(INVOKESTATIC, OWNER, SimdOpcodes.helperName(extract.opcode()),
                "([BI)" + (result == ValType.I64 ? "J" : "I"), false);
        stack.add(result);
        return true;
    }

    /**
     * If {@code code[pc + 1]} is an integer lane extract, emits it for the long-form local at
     * {@code slot} (low word, high word at {@code slot + 2}) as that word's shift and mask, with no
     * V128 made and no helper called, and returns true. The helper computes the same from the
     * same word; but each {@code new V128} plus call costs C2 parse nodes, and a function with
     * many extracts (the byte histogram: 16 per vector) then ran into C2's inlining node cutoff on
     * the array memory path (JDK 24+), which left helpers as calls and every vector allocated.
     */
    static boolean emitWordLaneRead(MethodVisitor mv, List<ValType> stack, List<Instruction> code, int pc, int slot) {
        if (pc + 1 >= code.size() || !isExtract(code.get(pc + 1).opcode())) {
            return false;
        }
        Instruction extract = code.get(pc + 1);
        int lane = extract.b();
        int perWord = SimdOpcodes.lanes(extract.opcode()) / 2;
        int bits = 64 / perWord;
        mv.visitVarInsn(LLOAD, lane < perWord ? slot : slot + 2);
        if (bits == 64) {
            stack.add(ValType.I64);
            return true;
        }
        int shift = (lane % perWord) * bits;
        if (shift != 0) {
            JvmInsns.pushInt(mv, shift);
            mv.visitInsn(LUSHR);
        }
        mv.visitInsn(L2I);
        boolean signed = SimdOpcodes.name(extract.opcode()).endsWith("_s");
        if (bits == 8) {
            if (signed) {
                mv.visitInsn(I2B);
            } else {
                JvmInsns.pushInt(mv, 0xFF);
                mv.visitInsn(IAND);
            }
        } else if (bits == 16) {
            if (signed) {
                mv.visitInsn(I2S);
            } else {
                JvmInsns.pushInt(mv, 0xFFFF);
                mv.visitInsn(IAND);
            }
        }
        stack.add(ValType.I32);
        return true;
    }
}
