package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The generic call of exported functions without method handles: the instance class overrides
 * {@code ModuleInstance.callExport(int, Object[])} with a switch over the exported functions whose
 * parameters and result are numbers, each case unboxing the arguments, calling the function's
 * static method and boxing its result. Why: {@code WasmFunction.call} used to go through the
 * function's bound method handle and {@code MethodHandle.invoke}, whose first use in a young JVM
 * spins a dozen LambdaForm and species classes (17–30 ms of a first call after a restart, more
 * than loading the module from the code cache); the switch is plain bytecode, verified with the
 * class. Which functions it covers is {@link #covered}, computed the same way by the compiler and by
 * the caller ({@code CompiledModule}), so a covered function is never entered twice.
 */
public final class ExportCalls {
    /** The overridden method: {@code (function index, boxed arguments) -> boxed result, null for none}. */
    public static final String NAME = "callExport";
    static final String DESC = "(I[Ljava/lang/Object;)Ljava/lang/Object;";
    /** Bytecode budget of the switch method (the JVM's limit is 64 KB): exports past it stay on the method-handle path. */
    private static final int MAX_BYTES = 32_000;

    private ExportCalls() {}

    /**
     * Defined functions (by function index) that the switch covers: exported ones whose parameters
     * are all numeric and which return at most one numeric value, in export order until the
     * switch's bytecode budget is spent.
     */
    public static BitSet covered(List<Export> exports, List<FuncType> functionTypes, int importedFunctions) {
        BitSet out = new BitSet();
        int bytes = 16;
        for (Export e : exports) {
            if (e.kind() != ExternKind.FUNC || e.index() < importedFunctions || out.get(e.index())) {
                continue;
            }
            FuncType t = functionTypes.get(e.index());
            if (!numeric(t)) {
                continue;
            }
            // per argument: aload, sipush, aaload, checkcast, invokevirtual; per case: call, box, return, switch entry
            int cost = 24 + 11 * t.params().size();
            if (bytes + cost > MAX_BYTES) {
                break;
            }
            bytes += cost;
            out.set(e.index());
        }
        return out;
    }

    private static boolean numeric(FuncType t) {
        if (t.results().size() > 1 || (t.results().size() == 1 && !t.results().get(0).isNumeric())) {
            return false;
        }
        for (ValType p : t.params()) {
            if (!p.isNumeric()) {
                return false;
            }
        }
        return true;
    }

    /** Emits the override into the instance class; nothing when no export is covered. */
    static void emit(ClassWriter cw, ModuleLayout layout) {
        WasmModule module = layout.module;
        BitSet covered = covered(module.exports(), layout.functionTypes, layout.importedFunctions);
        if (covered.isEmpty()) {
            return;
        }
        int[] keys = new int[covered.cardinality()];
        for (int i = 0, f = covered.nextSetBit(0); f >= 0; i++, f = covered.nextSetBit(f + 1)) {
            keys[i] = f;
        }
        Label[] cases = new Label[keys.length];
        for (int i = 0; i < keys.length; i++) {
            cases[i] = new Label();
        }
        Label other = new Label();
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, NAME, DESC, null, null);
        mv.visitCode();
        mv.visitVarInsn(ILOAD, 1);
        mv.visitLookupSwitchInsn(other, keys, cases);
        for (int i = 0; i < keys.length; i++) {
            int index = keys[i];
            FuncType t = layout.functionTypes.get(index);
            mv.visitLabel(cases[i]);
            // locals (this, index, args) and an empty stack at every case, as at entry
            mv.visitFrame(F_SAME, 0, null, 0, null);
            List<ValType> params = t.params();
            for (int p = 0; p < params.size(); p++) {
                mv.visitVarInsn(ALOAD, 2);
                mv.visitIntInsn(SIPUSH, p);
                mv.visitInsn(AALOAD);
                String box = box(params.get(p));
                mv.visitTypeInsn(CHECKCAST, box);
                mv.visitMethodInsn(INVOKEVIRTUAL, box, primitiveName(params.get(p)) + "Value", "()" + ModuleLayout.desc(params.get(p)), false);
            }
            mv.visitVarInsn(ALOAD, 0);
            mv.visitMethodInsn(INVOKESTATIC, layout.functionOwners[index], layout.functionNames[index], layout.functionDescs[index], false);
            if (t.results().isEmpty()) {
                mv.visitInsn(ACONST_NULL);
            } else {
                ValType r = t.results().get(0);
                mv.visitMethodInsn(INVOKESTATIC, box(r), "valueOf", "(" + ModuleLayout.desc(r) + ")L" + box(r) + ";", false);
            }
            mv.visitInsn(ARETURN);
        }
        mv.visitLabel(other);
        mv.visitFrame(F_SAME, 0, null, 0, null);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitMethodInsn(INVOKESPECIAL, ModuleLayout.BASE, NAME, DESC, false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static String box(ValType t) {
        switch (t) {
            case I32: return "java/lang/Integer";
            case I64: return "java/lang/Long";
            case F32: return "java/lang/Float";
            default: return "java/lang/Double";
        }
    }

    private static String primitiveName(ValType t) {
        switch (t) {
            case I32: return "int";
            case I64: return "long";
            case F32: return "float";
            default: return "double";
        }
    }
}
