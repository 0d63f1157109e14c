package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;
import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Numeric instructions and {@code select} as plain bytecode instead of a call to a helper
 * ({@code Ops}, {@code Integer.divideUnsigned} …), for the code's first runs: a young JVM runs
 * generated code in the interpreter, where each helper call is a frame pushed and popped (or a
 * trip through an interpreted-to-compiled adapter once the JIT compiled the helper), ten and more
 * times the cost of the few stack instructions it stands for. The first call of a large module
 * is mostly such code, most of whose functions run a handful of times before any is compiled.
 *
 * <p>Each form here is what C2 sees anyway once it has inlined the helper, so compiled code does
 * not change: the helper's own body (the i64 shifts, the unsigned conversions, the unsigned i32
 * division on JDKs where {@code Integer.divideUnsigned} is not an intrinsic), its branches with
 * this call site's own profile ({@code select}), or a branch-free equivalent of a comparison
 * ({@code fcmpl}/{@code dcmpg} and shifts). Operations the benchmark kernels use stay calls
 * (their C2 code was measured in that form: i32 comparisons and {@code select}, which C2 turns
 * into a conditional move, see {@link #covers}).
 */
final class HelperFreeForms {
    /** Whether {@code Integer.divideUnsigned}/{@code remainderUnsigned} are C2 intrinsics (JDK 19+): then they stay calls. */
    private static final boolean UNSIGNED_DIV_INTRINSIC = Runtime.version().feature() >= 19;
    private static final long U32 = 0xFFFFFFFFL;
    /**
     * Which forms are emitted ({@code -Dwasmudf.compile.helperFreeForms}, part of the code-cache
     * key): {@code small} (the default), all but the unsigned division and {@code select} forms;
     * {@code all}; {@code none}. The two left out are several times their call's size: with
     * them the 444 KB benchmark module came to 715 KB of classes (559 KB at 309ac15, 573 KB
     * without them) and compiled 1.43× slower than at 309ac15 (JMH compileLarge, best
     * iterations, three alternated single-fork pairs, quiet, 2026-12-07 22:10 UTC); without
     * them 1.05× (seven pairs). {@code all} gave the interpreted first call of that module a
     * few ms on JDK 17 (docs/ENGINE.md "Helper-free forms for the interpreted call"). Any other
     * value makes building an engine fail ({@link CompileProperties#check}).
     */
    static final String FORMS = CompileProperties.HELPER_FREE_FORMS;
    private static final boolean ANY = !FORMS.equals("none");
    private static final boolean BULKY = FORMS.equals("all");

    private final FunctionCompiler fc;
    private final MethodVisitor mv;

    HelperFreeForms(FunctionCompiler fc, MethodVisitor mv) {
        this.fc = fc;
        this.mv = mv;
    }

    /** Whether {@link #emit} has a form for numeric instruction {@code op}. */
    static boolean covers(int op) {
        if (!ANY) {
            return false;
        }
        if (op >= F32_EQ && op <= F64_GE) {
            return true;
        }
        switch (op) {
            case I32_DIV_U:
            case I32_REM_U:
                return !UNSIGNED_DIV_INTRINSIC && BULKY;
            case I64_SHL:
            case I64_SHR_S:
            case I64_SHR_U:
            case F32_CONVERT_I32_U:
            case F64_CONVERT_I32_U:
                return true;
            default:
                return false;
        }
    }

    /** Bytes of {@link #emit}'s form of {@code op} (for Outliner's estimate), or -1 when it has none. */
    static int cost(int op) {
        if (!covers(op)) {
            return -1;
        }
        switch (op) {
            case I32_DIV_U:
            case I32_REM_U:
                return 18;
            case I64_SHL:
            case I64_SHR_S:
            case I64_SHR_U:
                return 2;
            case F32_CONVERT_I32_U:
            case F64_CONVERT_I32_U:
                return 6;
            default:
                return 6; // comparisons
        }
    }

    /**
     * Emits numeric instruction {@code op} if {@link #covers} it, updating the shadow type stack;
     * false (nothing emitted) otherwise. A float comparison that feeds {@code br_if} or {@code if}
     * ({@code next}), directly or through {@code i32.eqz}, stays a call: C2 turns the helper's 0/1
     * and the test of it back into one compare-and-branch, which the shifts of the branch-free
     * form would hide from it (the mandelbrot kernel's loop condition is such a site).
     */
    boolean emit(int op, int next, List<ValType> stack) {
        if (!covers(op) || (op >= F32_EQ && op <= F64_GE && (next == BR_IF || next == IF || next == I32_EQZ))) {
            return false;
        }
        ValType result;
        if (op >= F32_EQ && op <= F64_GE) {
            emitFloatCompare(op);
            stack.remove(stack.size() - 1);
            stack.remove(stack.size() - 1);
            result = ValType.I32;
        } else {
            switch (op) {
                case I32_DIV_U:
                case I32_REM_U:
                    // Integer.divideUnsigned's body before JDK 19: [a, b] -> [a & M (long), b & M (long)]
                    // without a scratch slot (b widened, moved under a, a widened, the two swapped)
                    mv.visitInsn(I2L);
                    mv.visitLdcInsn(U32);
                    mv.visitInsn(LAND);
                    mv.visitInsn(DUP2_X1);
                    mv.visitInsn(POP2);
                    mv.visitInsn(I2L);
                    mv.visitLdcInsn(U32);
                    mv.visitInsn(LAND);
                    mv.visitInsn(DUP2_X2);
                    mv.visitInsn(POP2);
                    mv.visitInsn(op == I32_DIV_U ? LDIV : LREM);
                    mv.visitInsn(L2I);
                    stack.remove(stack.size() - 1);
                    result = ValType.I32;
                    break;
                case I64_SHL:
                case I64_SHR_S:
                case I64_SHR_U:
                    // the JVM masks the count to 6 bits, as Wasm does
                    mv.visitInsn(L2I);
                    mv.visitInsn(op == I64_SHL ? LSHL : op == I64_SHR_S ? LSHR : LUSHR);
                    stack.remove(stack.size() - 1);
                    result = ValType.I64;
                    break;
                default: // F32_CONVERT_I32_U, F64_CONVERT_I32_U: the exact unsigned value, rounded once
                    mv.visitInsn(I2L);
                    mv.visitLdcInsn(U32);
                    mv.visitInsn(LAND);
                    mv.visitInsn(op == F32_CONVERT_I32_U ? L2F : L2D);
                    result = op == F32_CONVERT_I32_U ? ValType.F32 : ValType.F64;
            }
            stack.remove(stack.size() - 1);
        }
        stack.add(result);
        return true;
    }

    /**
     * A float comparison's 0/1 without a branch: {@code fcmpl}/{@code dcmpl} give -1/0/1 and -1 for
     * NaN, the {@code g} forms 1 for NaN, so an unordered pair fails every test but {@code ne}.
     */
    private void emitFloatCompare(int op) {
        boolean dbl = op >= F64_EQ;
        int k = op - (dbl ? F64_EQ : F32_EQ); // eq ne lt gt le ge
        boolean nanIsGreater = k == 2 || k == 4; // lt, le: NaN must compare as not less
        mv.visitInsn(dbl ? (nanIsGreater ? DCMPG : DCMPL) : (nanIsGreater ? FCMPG : FCMPL));
        switch (k) {
            case 0: // eq: r == 0
                mv.visitInsn(ICONST_1);
                mv.visitInsn(IAND);
                mv.visitInsn(ICONST_1);
                mv.visitInsn(IXOR);
                break;
            case 1: // ne: r != 0 (NaN: -1)
                mv.visitInsn(ICONST_1);
                mv.visitInsn(IAND);
                break;
            case 2: // lt: r == -1
                JvmInsns.pushInt(mv, 31);
                mv.visitInsn(IUSHR);
                break;
            case 3: // gt: r == 1, i.e. -r == -1
                mv.visitInsn(INEG);
                JvmInsns.pushInt(mv, 31);
                mv.visitInsn(IUSHR);
                break;
            case 4: // le: r <= 0, i.e. r - 1 < 0
                mv.visitInsn(ICONST_1);
                mv.visitInsn(ISUB);
                JvmInsns.pushInt(mv, 31);
                mv.visitInsn(IUSHR);
                break;
            default: // ge: r >= 0, i.e. ~r < 0
                mv.visitInsn(ICONST_M1);
                mv.visitInsn(IXOR);
                JvmInsns.pushInt(mv, 31);
                mv.visitInsn(IUSHR);
        }
    }

    /** Whether {@link #emitSelect} has a form for a {@code select} of {@code t}. */
    static boolean coversSelect(ValType t) {
        return BULKY && (t == ValType.F32 || t == ValType.F64 || t == ValType.I64);
    }

    /**
     * {@code select} of f32, f64 or i64 as {@code Ops.select*}'s own branch: {@code [a, b, c]} ->
     * {@code c != 0 ? a : b}; false (nothing emitted) for other types.
     */
    boolean emitSelect(List<ValType> stack) {
        ValType t = stack.get(stack.size() - 2);
        if (!coversSelect(t)) {
            return false;
        }
        boolean wide = JvmInsns.size(t) == 2;
        stack.remove(stack.size() - 1);
        Label takeB = new Label();
        Label end = new Label();
        mv.visitJumpInsn(IFEQ, takeB);
        mv.visitInsn(wide ? POP2 : POP); // [a, b] -> [a]
        mv.visitJumpInsn(GOTO, end);
        fc.maps.place(takeB, stack, stack.size(), List.of());
        if (wide) {
            mv.visitInsn(DUP2_X2); // [a, b] -> [b, a, b] -> [b]
            mv.visitInsn(POP2);
            mv.visitInsn(POP2);
        } else {
            mv.visitInsn(SWAP);
            mv.visitInsn(POP);
        }
        stack.remove(stack.size() - 1);
        fc.maps.place(end, stack, stack.size() - 1, List.of(t));
        return true;
    }
}
