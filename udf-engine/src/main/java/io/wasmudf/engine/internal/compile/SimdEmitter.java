package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.runtime.SimdFloatOps;
import io.wasmudf.engine.internal.runtime.SimdFused;
import io.wasmudf.engine.internal.runtime.SimdIntOps;
import io.wasmudf.engine.internal.runtime.SimdLaneOps;
import io.wasmudf.engine.internal.runtime.SimdMemory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Emits the vector instructions. A v128 is a {@code V128} object (two longs) held like a reference:
 * one JVM stack word and local slot, typed {@code Object} in descriptors, so locals, blocks,
 * branches, calls and outlined regions carry it with no code of their own. Each instruction is a
 * static call of its helper, found by name (see {@link SimdOpcodes#helperName}) among the runtime's
 * SIMD classes; immediates (offset, lane, shuffle pattern) are pushed as constants after the
 * operands, and {@code v128.const} is a constant-dynamic entry resolved once per class.
 */
final class SimdEmitter {
    private static final Class<?>[] HELPER_CLASSES = {SimdIntOps.class, SimdFloatOps.class, SimdLaneOps.class, SimdMemory.class};
    /** Helper by instruction name: owner internal name and descriptor. */
    private static final Map<String, String[]> HELPERS = helpers();
    private static final Handle CONSTANT = new Handle(H_INVOKESTATIC, Type.getInternalName(SimdMemory.class), "constant",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;JJ)Lio/wasmudf/engine/V128;", false);

    private static final String V128 = "io/wasmudf/engine/V128";

    private final MethodVisitor mv;
    private final List<ValType> stack;
    private final int memSlot;
    /** The byte-scan sequences, or null where instructions must not fuse (see {@link #emit(List, int)}). */
    private final SimdScans scans;

    /**
     * {@code fuse}: whether adjacent instructions may be emitted as one call, true in methods that
     * outline nothing (no chunk or region boundary can fall between them); {@code localSlots} and
     * {@code splitLocals} as FunctionCompiler keeps them.
     */
    SimdEmitter(MethodVisitor mv, List<ValType> stack, int memSlot, boolean fuse, int[] localSlots, byte[] splitLocals) {
        this.mv = mv;
        this.stack = stack;
        this.memSlot = memSlot;
        this.scans = fuse ? new SimdScans(mv, stack, memSlot, localSlots, splitLocals) : null;
    }

    private static Map<String, String[]> helpers() {
        Map<String, String[]> map = new HashMap<>(512);
        for (Class<?> c : HELPER_CLASSES) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
                    map.put(m.getName(), new String[] {Type.getInternalName(c), Type.getMethodDescriptor(m)});
                }
            }
        }
        return map;
    }

    /** Whether every vector instruction has its helper (checked by the engine's tests). */
    static String missingHelper() {
        for (int s = 0; s < SimdOpcodes.LIMIT; s++) {
            int op = SimdOpcodes.BASE + s;
            if (SimdOpcodes.isSimd(op) && op != SimdOpcodes.V128_CONST && !HELPERS.containsKey(SimdOpcodes.helperName(op))) {
                return SimdOpcodes.name(op);
            }
        }
        return null;
    }

    /**
     * Emits {@code code[pc]}, or the fused sequence starting there ({@link SimdScans}, {@link
     * SimdFusion}); returns the index of the last instruction emitted. A {@code v128.load} that
     * f32x4 arithmetic consumes is emitted in its float form.
     */
    int emit(List<Instruction> code, int pc) {
        if (scans != null) {
            int last = scans.emit(code, pc);
            if (last >= 0) {
                return last;
            }
            if (SimdFusion.emit(mv, stack, code, pc)) {
                return pc + 1;
            }
        }
        Instruction in = code.get(pc);
        boolean f32 = in.opcode() == SimdFusion.V128_LOAD && SimdFusion.loadFeedsF32(code, pc);
        emit(in, f32 ? "v128_load_f32" : SimdOpcodes.helperName(in.opcode()));
        return pc;
    }

    private void emit(Instruction in, String helperName) {
        int op = in.opcode();
        SimdOpcodes.Kind kind = SimdOpcodes.kind(op);
        if (kind == SimdOpcodes.Kind.CONST) {
            mv.visitLdcInsn(new ConstantDynamic("v128", "Ljava/lang/Object;", CONSTANT, in.c(), SimdOpcodes.high(in)));
            stack.add(ValType.V128);
            return;
        }
        switch (kind) {
            case LOAD: case STORE: case LOAD_LANE: case STORE_LANE:
                mv.visitVarInsn(ALOAD, memSlot);
                mv.visitVarInsn(ILOAD, memSlot + 1); // the memory's bound (see FunctionCompiler#reloadMemory)
                // offsets of 2^31 and more are never in bounds; clamped as for scalar accesses
                JvmInsns.pushInt(mv, (int) Math.min(in.c(), Integer.MAX_VALUE));
                if (kind == SimdOpcodes.Kind.LOAD_LANE || kind == SimdOpcodes.Kind.STORE_LANE) {
                    JvmInsns.pushInt(mv, in.b());
                }
                break;
            case EXTRACT: case REPLACE:
                JvmInsns.pushInt(mv, in.b());
                break;
            case SHUFFLE:
                JvmInsns.pushLong(mv, in.c());
                JvmInsns.pushLong(mv, SimdOpcodes.high(in));
                break;
            default:
                break;
        }
        String[] helper = HELPERS.get(helperName);
        mv.visitMethodInsn(INVOKESTATIC, helper[0], helperName, helper[1], false);
        for (int i = operands(kind); i > 0; i--) {
            stack.remove(stack.size() - 1);
        }
        ValType result = result(op, kind);
        if (result != null) {
            stack.add(result);
        }
    }

    /** Split forms of a declared v128 local: two long slots (its bits), four float slots (f32 lanes) or a 16-byte array (see SimdLaneSpill). */
    static final byte LONGS = 1;
    static final byte FLOATS = 2;
    static final byte ARRAY = 3;

    private static final String FUSED = Type.getInternalName(SimdFused.class);

    /** Gives a split v128 local its four slots (verification types as the form holds it); returns the first. */
    static int assignSplit(List<Object> slotTypes, byte form) {
        int slot = slotTypes.size();
        if (form == ARRAY) {
            slotTypes.add("[B");
        } else if (form == FLOATS) {
            for (int k = 0; k < 4; k++) {
                slotTypes.add(FLOAT);
            }
        } else {
            slotTypes.add(LONG);
            slotTypes.add(null);
            slotTypes.add(LONG);
            slotTypes.add(null);
        }
        return slot;
    }

    /**
     * Pushes the declared v128 local held from {@code slot} on as a fresh V128: in {@link #LONGS}
     * form the low half in {@code slot}, the high in {@code slot + 2}; in {@link #FLOATS} form (a
     * local only f32x4 arithmetic writes, see SimdFusion#splitForm) lanes 0-3 in four float slots,
     * made into float lanes (runtime.F32Lanes). Functions that outline nothing keep their declared
     * v128 locals this way: a loop carrying a vector in a local then merges longs or floats at its
     * header, not an object, and C2's escape analysis removes the V128 of every {@code local.get}
     * feeding a helper; as one reference, each loop iteration allocated the vector it carried
     * (measured: the f32x4 dot product kernel allocated 4 MB per call). In float form the dot
     * product's accumulator never leaves float registers. Parameters and stack values stay objects.
     */
    static void loadSplit(MethodVisitor mv, int slot, byte form) {
        if (form == ARRAY) {
            SimdLaneSpill.load(mv, slot);
            return;
        }
        if (form == FLOATS) {
            for (int k = 0; k < 4; k++) {
                mv.visitVarInsn(FLOAD, slot + k);
            }
            mv.visitMethodInsn(INVOKESTATIC, FUSED, "f32x4", "(FFFF)Ljava/lang/Object;", false);
            return;
        }
        mv.visitTypeInsn(NEW, V128);
        mv.visitInsn(DUP);
        mv.visitVarInsn(LLOAD, slot);
        mv.visitVarInsn(LLOAD, slot + 2);
        mv.visitMethodInsn(INVOKESPECIAL, V128, "<init>", "(JJ)V", false);
    }

    /** Pops a V128 into the slots of a declared v128 local (see {@link #loadSplit}). */
    static void storeSplit(MethodVisitor mv, int slot, byte form) {
        if (form == ARRAY) {
            SimdLaneSpill.store(mv, slot);
            return;
        }
        if (form == FLOATS) {
            for (int k = 0; k < 4; k++) {
                if (k < 3) {
                    mv.visitInsn(DUP);
                }
                mv.visitMethodInsn(INVOKESTATIC, FUSED, "lane" + k, "(Ljava/lang/Object;)F", false);
                mv.visitVarInsn(FSTORE, slot + k);
            }
            return;
        }
        mv.visitTypeInsn(CHECKCAST, V128);
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKEVIRTUAL, V128, "lo", "()J", false);
        mv.visitVarInsn(LSTORE, slot);
        mv.visitMethodInsn(INVOKEVIRTUAL, V128, "hi", "()J", false);
        mv.visitVarInsn(LSTORE, slot + 2);
    }

    /** Stack values an instruction of this kind consumes. */
    static int operands(SimdOpcodes.Kind kind) {
        switch (kind) {
            case CONST: return 0;
            case LOAD: case SPLAT: case EXTRACT: case UNARY: case TEST: return 1;
            case TERNARY: return 3;
            default: return 2;
        }
    }

    /** The value an instruction leaves, or null. */
    static ValType result(int op, SimdOpcodes.Kind kind) {
        switch (kind) {
            case STORE: case STORE_LANE: return null;
            case EXTRACT: return SimdOpcodes.scalar(op);
            case TEST: return ValType.I32;
            default: return ValType.V128;
        }
    }
}
