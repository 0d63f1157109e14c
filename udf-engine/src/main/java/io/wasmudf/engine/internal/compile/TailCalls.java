package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.RefOpcodes;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;

/**
 * Tail calls ({@code return_call}, {@code return_call_indirect}, {@code return_call_ref}) by trampoline, so that unbounded
 * tail recursion never grows the JVM stack (see the runtime's {@code TailCalls}):
 * <ul>
 * <li>a function containing a tail call is compiled as method {@code f<i>_body}; its usual method
 *     {@code f<i>} calls that body and then {@code TailCalls.finish*}, which runs the pending
 *     callees in a loop. Callers, exports and tables see no difference.</li>
 * <li>a tail call site stores its arguments in the instance ({@code tailValues}/{@code tailRefs}),
 *     sets {@code tailNext} to a constant handle of a tail entry of this class and returns
 *     placeholder results, as {@code return} would (so it works in outlined regions too).</li>
 * <li>the tail entry {@code t<k>(ModuleInstance)} loads the arguments and calls function
 *     {@code k}'s body (its method when it has no tail calls); {@code ti<type>_<table>} does the
 *     same for an indirect one through bridge {@code ct<type>_<table>}, a {@code call_indirect}
 *     bridge whose direct calls go to the bodies; {@code tr<type>} for a {@code return_call_ref}
 *     through {@link TailCallRefs}' bridge {@code ctr<type>}, which calls the body of a function
 *     of this instance directly.</li>
 * </ul>
 * A callee in another instance or a host function runs through its handle: a chain that crosses
 * instances grows the stack by one trampoline per crossing.
 * One per generated class, like {@link IndirectCalls}; entries are emitted once the class's
 * functions are compiled.
 */
final class TailCalls {
    static final String RUNTIME = "io/wasmudf/engine/internal/runtime/TailCalls";
    private static final String BASE_DESC = "L" + ModuleLayout.BASE + ";";

    private final ModuleLayout layout;
    private final String owner;
    /** Entry name → function index (direct entries). */
    final Map<String, Integer> direct = new LinkedHashMap<>();
    /** Entry name → {type index, table index} (indirect entries). */
    final Map<String, int[]> indirect = new LinkedHashMap<>();
    /** Entry name → type index (entries of {@code return_call_ref}). */
    final Map<String, Integer> refs = new LinkedHashMap<>();

    TailCalls(ModuleLayout layout, String owner) {
        this.layout = layout;
        this.owner = owner;
    }

    /** By function index: whether the body contains a tail call (its method then wraps {@link #bodyName}). */
    static boolean[] callers(WasmModule module, int functionCount, int imported) {
        boolean[] callers = new boolean[functionCount];
        for (int i = 0; i < module.bodies().size(); i++) {
            callers[imported + i] = module.bodies().get(i).tailCalls();
        }
        return callers;
    }

    /** The method holding the compiled body of a function that contains tail calls. */
    static String bodyName(int function) {
        return ModuleLayout.functionName(function) + "_body";
    }

    /** The method that runs function {@code f} without completing tail calls it leaves pending. */
    static String innerName(ModuleLayout layout, int f) {
        return layout.tailCallers[f] ? bodyName(f) : layout.functionNames[f];
    }

    /** The descriptor a result type takes in the trampoline: references and multiple results as Object. */
    private static String erased(FuncType t) {
        String r = ModuleLayout.returnDesc(t);
        return r.startsWith("[") ? "Ljava/lang/Object;" : r;
    }

    private static String entryDesc(FuncType t) {
        return "(" + BASE_DESC + ")" + erased(t);
    }

    /**
     * The tail call {@code in}: pops its operands (JVM and shadow {@code stack}) into the
     * instance, leaves the callee pending and pushes placeholder results of {@code results};
     * the caller then emits a {@code return}. Uses local slots from {@code temp} on.
     */
    void emitPending(MethodVisitor mv, Instruction in, List<ValType> stack, List<ValType> results, int selfSlot, int temp) {
        boolean isIndirect = in.opcode() == Opcodes.RETURN_CALL_INDIRECT;
        boolean isRef = in.opcode() == RefOpcodes.RETURN_CALL_REF;
        FuncType t;
        String entry;
        if (isRef) {
            t = layout.module.types().get(in.a());
            entry = "tr" + in.a();
            refs.putIfAbsent(entry, in.a());
        } else if (isIndirect) {
            t = layout.module.types().get(in.a());
            entry = "ti" + in.a() + "_" + in.b();
            indirect.putIfAbsent(entry, new int[] {in.a(), in.b()});
        } else {
            t = layout.functionTypes.get(in.a());
            entry = "t" + in.a();
            direct.putIfAbsent(entry, in.a());
        }
        List<ValType> args = new ArrayList<>(t.params());
        if (isIndirect) {
            args.add(ValType.I32);
        } else if (isRef) {
            args.add(ValType.FUNCREF); // the reference, a reference argument like any other
        }
        int[] slots = new int[args.size()];
        int slot = temp;
        for (int i = args.size() - 1; i >= 0; i--) {
            ValType a = args.get(i);
            slots[i] = slot;
            mv.visitVarInsn(JvmInsns.storeOp(a), slot);
            slot += JvmInsns.size(a);
            stack.remove(stack.size() - 1);
        }
        int numerics = 0;
        int refs = 0;
        for (ValType a : args) {
            if (isObject(a)) {
                refs++;
            } else {
                numerics++;
            }
        }
        if (numerics > 0) {
            mv.visitVarInsn(ALOAD, selfSlot);
            JvmInsns.pushInt(mv, numerics);
            mv.visitMethodInsn(INVOKEVIRTUAL, ModuleLayout.BASE, "tailValues", "(I)[J", false);
            int k = 0;
            for (int i = 0; i < args.size(); i++) {
                ValType a = args.get(i);
                if (!isObject(a)) {
                    mv.visitInsn(DUP);
                    JvmInsns.pushInt(mv, k++);
                    mv.visitVarInsn(JvmInsns.loadOp(a), slots[i]);
                    toBits(mv, a);
                    mv.visitInsn(LASTORE);
                }
            }
            mv.visitInsn(POP);
        }
        if (refs > 0) {
            mv.visitVarInsn(ALOAD, selfSlot);
            JvmInsns.pushInt(mv, refs);
            mv.visitMethodInsn(INVOKEVIRTUAL, ModuleLayout.BASE, "tailRefs", "(I)[Ljava/lang/Object;", false);
            int k = 0;
            for (int i = 0; i < args.size(); i++) {
                if (isObject(args.get(i))) {
                    mv.visitInsn(DUP);
                    JvmInsns.pushInt(mv, k++);
                    mv.visitVarInsn(ALOAD, slots[i]);
                    mv.visitInsn(AASTORE);
                }
            }
            mv.visitInsn(POP);
        }
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitLdcInsn(new Handle(H_INVOKESTATIC, owner, entry, entryDesc(t), false));
        mv.visitFieldInsn(PUTFIELD, ModuleLayout.BASE, "tailNext", "Ljava/lang/invoke/MethodHandle;");
        for (ValType r : results) {
            JvmInsns.pushZero(mv, r);
            stack.add(r);
        }
    }

    /** Whether a value travels in {@code tailRefs}: references, and v128 (a {@code V128} object). */
    private static boolean isObject(ValType t) {
        return t.isReference() || t == ValType.V128;
    }

    private static void toBits(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32 -> mv.visitInsn(I2L);
            case F32 -> {
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                mv.visitInsn(I2L);
            }
            case F64 -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
            default -> { }
        }
    }

    private static void fromBits(MethodVisitor mv, ValType t) {
        switch (t) {
            case I32 -> mv.visitInsn(L2I);
            case F32 -> {
                mv.visitInsn(L2I);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
            }
            case F64 -> mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
            default -> { }
        }
    }

    /** Loads the pending call's arguments {@code args} from the instance in slot 0 onto the stack. */
    private static void loadArgs(MethodVisitor mv, List<ValType> args) {
        int k = 0;
        int r = 0;
        for (ValType a : args) {
            mv.visitVarInsn(ALOAD, 0);
            if (isObject(a)) {
                mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "tailRefs", "[Ljava/lang/Object;");
                JvmInsns.pushInt(mv, r++);
                mv.visitInsn(AALOAD);
            } else {
                mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "tailValues", "[J");
                JvmInsns.pushInt(mv, k++);
                mv.visitInsn(LALOAD);
                fromBits(mv, a);
            }
        }
        // the instance must not keep the host's objects alive after the call
        for (int i = 0; i < r; i++) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "tailRefs", "[Ljava/lang/Object;");
            JvmInsns.pushInt(mv, i);
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(AASTORE);
        }
    }

    /**
     * The tail entries the class's call sites named, and the bridges of {@code return_call_ref}; returns
     * the {type, table} of the {@code return_call_indirect} bridges the caller emits.
     */
    List<int[]> emitEntries(ClassVisitor cw) {
        for (Map.Entry<String, Integer> e : direct.entrySet()) {
            int f = e.getValue();
            FuncType t = layout.functionTypes.get(f);
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, e.getKey(), entryDesc(t), null, null);
            mv.visitCode();
            loadArgs(mv, t.params());
            mv.visitVarInsn(ALOAD, 0);
            mv.visitTypeInsn(CHECKCAST, layout.className);
            mv.visitMethodInsn(INVOKESTATIC, layout.functionOwners[f], innerName(layout, f), layout.functionDescs[f], false);
            returnErased(mv, t);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        List<int[]> bridges = new ArrayList<>();
        for (Map.Entry<String, int[]> e : indirect.entrySet()) {
            int typeIndex = e.getValue()[0];
            int tableIndex = e.getValue()[1];
            FuncType t = layout.module.types().get(typeIndex);
            List<ValType> args = new ArrayList<>(t.params());
            args.add(ValType.I32);
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, e.getKey(), entryDesc(t), null, null);
            mv.visitCode();
            loadArgs(mv, args);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitTypeInsn(CHECKCAST, layout.className);
            mv.visitMethodInsn(INVOKESTATIC, owner, bridgeName(typeIndex, tableIndex), IndirectCalls.bridgeDesc(layout, t), false);
            returnErased(mv, t);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            bridges.add(new int[] {typeIndex, tableIndex});
        }
        java.util.Set<Integer> refBridges = new java.util.TreeSet<>(refs.values());
        for (int[] b : bridges) {
            if (!layout.module.defTypes().get(b[0]).isPlain()) {
                refBridges.add(b[0]); // the ct bridge of a 3.0 type calls it (see ModuleCompiler#emitIndirectBridge)
            }
        }
        for (int typeIndex : refBridges) {
            TailCallRefs.emitBridge(cw, layout, typeIndex);
        }
        for (Map.Entry<String, Integer> e : refs.entrySet()) {
            int typeIndex = e.getValue();
            FuncType t = layout.module.types().get(typeIndex);
            List<ValType> args = new ArrayList<>(t.params());
            args.add(ValType.FUNCREF);
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, e.getKey(), entryDesc(t), null, null);
            mv.visitCode();
            loadArgs(mv, args);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitTypeInsn(CHECKCAST, layout.className);
            mv.visitMethodInsn(INVOKESTATIC, owner, TailCallRefs.bridgeName(typeIndex), TailCallRefs.bridgeDesc(layout, t), false);
            returnErased(mv, t);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        return bridges;
    }

    /** The {@code call_indirect} bridge whose direct calls go to the callees' bodies. */
    static String bridgeName(int typeIndex, int tableIndex) {
        return "ct" + typeIndex + "_" + tableIndex;
    }

    private static void returnErased(MethodVisitor mv, FuncType t) {
        switch (t.results().size()) {
            case 0 -> mv.visitInsn(RETURN);
            case 1 -> mv.visitInsn(JvmInsns.returnOp(t.results().get(0)));
            default -> mv.visitInsn(ARETURN);
        }
    }

    /**
     * The method {@code f<i>} of a function that contains tail calls: calls its body, then the
     * trampoline with the body's result.
     */
    static void emitWrapper(ClassVisitor cw, ModuleLayout layout, String owner, int f) {
        FuncType t = layout.functionTypes.get(f);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, layout.functionNames[f], layout.functionDescs[f], null, null);
        mv.visitCode();
        int slot = 0;
        for (ValType p : t.params()) {
            mv.visitVarInsn(JvmInsns.loadOp(p), slot);
            slot += JvmInsns.size(p);
        }
        mv.visitVarInsn(ALOAD, slot);
        mv.visitMethodInsn(INVOKESTATIC, owner, bodyName(f), layout.functionDescs[f], false);
        mv.visitVarInsn(ALOAD, slot);
        String r = erased(t);
        if (r.equals("V")) {
            mv.visitMethodInsn(INVOKESTATIC, RUNTIME, "finishV", "(" + BASE_DESC + ")V", false);
            mv.visitInsn(RETURN);
        } else {
            String variant = r.length() == 1 ? r : "L";
            mv.visitMethodInsn(INVOKESTATIC, RUNTIME, "finish" + variant, "(" + r + BASE_DESC + ")" + r, false);
            if (t.results().size() > 1) {
                mv.visitTypeInsn(CHECKCAST, "[Ljava/lang/Object;");
            }
            returnErased(mv, t);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
