package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.MethodVisitor;

/**
 * A block or loop compiled as its own method {@code static int r…(long[] values, Object[] refs,
 * self)}. The caller stores the region's parameters and the locals it uses into the arrays
 * (numbers as raw bits, references as objects), calls, reloads the locals the region writes,
 * and dispatches on the returned exit code: 0 = the region's end (results in the arrays),
 * k > 0 = a branch to an enclosing label, {@code escapes.get(k - 1)} labels out from the
 * region's parent (results of that branch in the arrays).
 */
final class Region {
    final int start;
    final int end;
    final boolean loop;
    /** A straight-line chunk {@code [start, end)} of one block's instructions, typed [] -> []. */
    final boolean chunk;
    final List<ValType> params;
    final List<ValType> results;
    /** Branch types of the labels enclosing the region, innermost first, ending with the function's. */
    final List<List<ValType>> outer;
    final String methodName;
    /** Wasm locals the region reads or writes, and those it writes. */
    final int[] used;
    final boolean[] writes;
    /** Array index of each used local (in {@code values} or {@code refs} by type). */
    final int[] slot;
    final int valueBase;
    final int refBase;
    final List<Integer> escapes = new ArrayList<>();
    int maxValues;

    Region(int start, int end, boolean loop, boolean chunk, List<ValType> params, List<ValType> results,
           List<List<ValType>> outer, String methodName, int[] used, boolean[] writes, ValType[] localTypes) {
        this.start = start;
        this.end = end;
        this.loop = loop;
        this.chunk = chunk;
        this.params = params;
        this.results = results;
        this.outer = outer;
        this.methodName = methodName;
        this.used = used;
        this.writes = writes;
        this.slot = new int[used.length];
        int nums = 0;
        int refs = 0;
        for (int i = 0; i < used.length; i++) {
            slot[i] = localTypes[used[i]].isReference() ? refs++ : nums++;
        }
        this.valueBase = nums;
        this.refBase = refs;
        this.maxValues = Math.max(params.size(), results.size());
    }

    /** Loads element {@code index} of the region arrays (in slots 0 and 1 of a region method, or given ones) as a {@code t}. */
    static void loadBits(MethodVisitor mv, int valuesSlot, int refsSlot, int index, ValType t) {
        mv.visitVarInsn(ALOAD, t.isReference() ? refsSlot : valuesSlot);
        JvmInsns.pushInt(mv, index);
        mv.visitInsn(t.isReference() ? AALOAD : LALOAD);
        switch (t) {
            case I32: mv.visitInsn(L2I); break;
            case F32:
                mv.visitInsn(L2I);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
                break;
            case F64: mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false); break;
            default: break;
        }
    }

    /** Stores the {@code t} in JVM slot {@code from} into element {@code index} of the region arrays. */
    static void storeBits(MethodVisitor mv, int valuesSlot, int refsSlot, int index, ValType t, int from) {
        mv.visitVarInsn(ALOAD, t.isReference() ? refsSlot : valuesSlot);
        JvmInsns.pushInt(mv, index);
        mv.visitVarInsn(JvmInsns.loadOp(t), from);
        switch (t) {
            case I32: mv.visitInsn(I2L); break;
            case F32:
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                mv.visitInsn(I2L);
                break;
            case F64: mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false); break;
            default: break;
        }
        mv.visitInsn(t.isReference() ? AASTORE : LASTORE);
    }
}
