package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.Global;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The bridge a {@code return_call_ref} of one type runs from the trampoline ({@link TailCalls}):
 * {@code ctr<type>(params…, Object ref, instance)}. When the reference is a defined function of
 * this very instance, it calls that function's body ({@link TailCalls#innerName}) directly
 * through a {@code lookupswitch} on its index, so a chain of tail calls through references stays
 * on the one trampoline however long it runs. A reference into another instance, to a host
 * function or to a function past the switch's size budget goes through its handle, whose method
 * completes the callee's own tail calls: such a hop grows the stack by one trampoline, as for
 * {@code return_call_indirect} across instances. A null reference traps here, when the
 * trampoline takes the pending call, which is the first thing that happens after the caller's
 * frame is gone.
 */
final class TailCallRefs {
    private static final String REFS = RefEmitter.REFS;
    private static final String MH = "java/lang/invoke/MethodHandle";
    private static final String INSTANCE = "io/wasmudf/engine/internal/runtime/ModuleInstance";

    private TailCallRefs() {}

    static String bridgeName(int typeIndex) {
        return "ctr" + typeIndex;
    }

    /** The bridge's descriptor: the callee's params, the reference, the instance. */
    static String bridgeDesc(ModuleLayout layout, FuncType t) {
        ModuleLayout.checkParameterSlots(t, 2, "a return_call_ref of type " + t);
        return ModuleLayout.descWith(t, "Ljava/lang/Object;" + layout.classDesc);
    }

    /** Emits {@link #bridgeName}{@code (typeIndex)} into {@code cw}. */
    static void emitBridge(ClassVisitor cw, ModuleLayout layout, int typeIndex) {
        FuncType t = layout.module.types().get(typeIndex);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, bridgeName(typeIndex), bridgeDesc(layout, t), null, null);
        mv.visitCode();
        int refSlot = 0;
        for (ValType p : t.params()) {
            refSlot += JvmInsns.size(p);
        }
        int[] keys = candidates(layout, t);
        if (keys.length > 0) {
            mv.visitVarInsn(ALOAD, refSlot);
            mv.visitVarInsn(ALOAD, refSlot + 1);
            mv.visitMethodInsn(INVOKESTATIC, REFS, "tailIndex", "(Ljava/lang/Object;L" + INSTANCE + ";)I", false);
            Label[] labels = new Label[keys.length];
            for (int k = 0; k < keys.length; k++) {
                labels[k] = new Label();
            }
            Label viaHandle = new Label();
            mv.visitLookupSwitchInsn(viaHandle, keys, labels);
            for (int k = 0; k < keys.length; k++) {
                int f = keys[k];
                mv.visitLabel(labels[k]);
                mv.visitFrame(F_SAME, 0, null, 0, null);
                loadParams(mv, t);
                mv.visitVarInsn(ALOAD, refSlot + 1);
                mv.visitMethodInsn(INVOKESTATIC, layout.functionOwners[f], TailCalls.innerName(layout, f), layout.functionDescs[f], false);
                emitReturn(mv, t);
            }
            mv.visitLabel(viaHandle);
            mv.visitFrame(F_SAME, 0, null, 0, null);
        }
        mv.visitVarInsn(ALOAD, refSlot);
        mv.visitMethodInsn(INVOKESTATIC, REFS, "callee", "(Ljava/lang/Object;)L" + MH + ";", false);
        loadParams(mv, t);
        mv.visitMethodInsn(INVOKEVIRTUAL, MH, "invokeExact", ModuleLayout.descWith(t, ""), false);
        emitReturn(mv, t);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * The defined functions a reference of type {@code t} to this instance may name and the bridge
     * calls directly, ascending: those the module can make references to (named by {@code ref.func}
     * anywhere, or exported) whose method has the descriptor of {@code t} (a subtype's does: the JVM
     * types of its params and results are the same), as many as the size budget allows.
     */
    static int[] candidates(ModuleLayout layout, FuncType t) {
        String desc = layout.methodDesc(t);
        int perCase = 8 + 2 * t.params().size() + 6;
        int max = ModuleCompiler.DIRECT_CALL_BYTES / perCase;
        BitSet named = referenced(layout.module, layout.importedFunctions);
        int[] out = new int[Math.min(max, named.cardinality())];
        int n = 0;
        for (int f = named.nextSetBit(0); f >= 0 && n < out.length; f = named.nextSetBit(f + 1)) {
            if (f < layout.functionDescs.length && layout.functionDescs[f].equals(desc)) {
                out[n++] = f;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Defined functions (index {@code >= imported}) named by a {@code ref.func} or an export. */
    private static BitSet referenced(WasmModule module, int imported) {
        BitSet named = new BitSet();
        for (ElementSegment seg : module.elements()) {
            for (List<Instruction> expr : seg.init()) {
                mark(named, expr, imported);
            }
        }
        for (Global g : module.globals()) {
            mark(named, g.init(), imported);
        }
        for (var body : module.bodies()) {
            mark(named, body.code(), imported);
        }
        for (Export e : module.exports()) {
            if (e.kind() == io.wasmudf.engine.ExternKind.FUNC && e.index() >= imported) {
                named.set(e.index());
            }
        }
        return named;
    }

    private static void mark(BitSet named, List<Instruction> code, int imported) {
        for (Instruction in : code) {
            if (in.opcode() == Opcodes.REF_FUNC && in.a() >= imported) {
                named.set(in.a());
            }
        }
    }

    private static void loadParams(MethodVisitor mv, FuncType t) {
        int slot = 0;
        for (ValType p : t.params()) {
            mv.visitVarInsn(JvmInsns.loadOp(p), slot);
            slot += JvmInsns.size(p);
        }
    }

    private static void emitReturn(MethodVisitor mv, FuncType t) {
        switch (t.results().size()) {
            case 0 -> mv.visitInsn(RETURN);
            case 1 -> mv.visitInsn(JvmInsns.returnOp(t.results().get(0)));
            default -> mv.visitInsn(ARETURN);
        }
    }
}
