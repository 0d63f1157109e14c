package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.EngineBugException;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ResourceLimitException;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.TypeIds;
import io.wasmudf.engine.internal.util.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;

/**
 * Turns a validated module into a JVM class: a subclass of {@code ModuleInstance} with a typed
 * field per private global, a {@code Global} field per shared one, a {@code MethodHandle} field per
 * imported function, and a static method {@code f<i>(params..., self)} per function (imports get a
 * small forwarding method, so every call site looks the same). A large module's functions go to
 * part classes instead, compiled in parallel.
 */
public final class ModuleCompiler {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String MH = "java/lang/invoke/MethodHandle";

    /** Default instructions per class before a module is split into parts (see {@link #compile(WasmModule, Checks, int, int)}). */
    public static final int DEFAULT_CLASS_LIMIT = 32_768;

    private ModuleCompiler() {}

    /** One generated class: its binary name and bytes. */
    public record ClassFile(String binaryName, byte[] bytes) {}

    /**
     * Result of compilation: the instance class ({@code binaryName}, {@code bytes}), the part
     * classes holding the functions of a split module (empty otherwise), and by function index the
     * binary name of the class whose static method {@code f<index>} is the function.
     */
    public record Output(String binaryName, byte[] bytes, List<ClassFile> parts, List<String> functionClasses) {}

    /** Thrown when a function or the module does not fit the JVM's class-file limits. */
    public static final class TooLargeException extends ResourceLimitException {
        TooLargeException(String message, Throwable cause) {
            super(message, cause);
        }

        TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Which resource checks to compile into every function (see {@link CheckEmitter}); with all
     * three off the generated code has no checks at all.
     */
    public record Checks(boolean interrupt, boolean fuel, boolean callDepth) {
        public static final Checks NONE = new Checks(false, false, false);

        public boolean any() {
            return interrupt || fuel || callDepth;
        }
    }

    public static Output compile(WasmModule module, boolean interruptible) {
        return compile(module, new Checks(interruptible, false, false));
    }

    public static Output compile(WasmModule module, Checks checks) {
        return compile(module, checks, Outliner.DEFAULT_LIMIT);
    }

    /**
     * Compiles with an explicit method-size target: regions of functions estimated above
     * {@code methodLimit} bytes of bytecode become separate methods (0 outlines every block,
     * which tests use to exercise outlining on the whole spec suite).
     */
    public static Output compile(WasmModule module, Checks checks, int methodLimit) {
        return compile(module, checks, methodLimit, DEFAULT_CLASS_LIMIT);
    }

    /**
     * Compiles with explicit size targets. A module with more than {@code classLimit} instructions
     * in its function bodies is split: its functions go to part classes of about that many
     * instructions each, compiled in parallel (1 puts every function in its own class, which tests
     * use on the whole spec suite). The instance class then keeps the fields, {@code init} and the
     * import forwarders. Parts keep each class's constant pool under the JVM's 65,535 entries,
     * which a single class for a module of more than about 1 MB of code would overflow.
     */
    public static Output compile(WasmModule module, Checks checks, int methodLimit, int classLimit) {
        try {
            return compileUnchecked(module, checks, methodLimit, classLimit);
        } catch (TooLargeException | EngineBugException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // ASM's own exceptions (LimitExceededException …) and our defects: never the module's fault
            throw new EngineBugException("the compiler failed on a valid module: " + e, e);
        }
    }

    private static Output compileUnchecked(WasmModule module, Checks checks, int methodLimit, int classLimit) {
        String name = "io/wasmudf/gen/WasmModule" + SEQUENCE.incrementAndGet();
        ModuleLayout layout = new ModuleLayout(name, module, checks);
        layout.methodLimit = methodLimit;
        List<int[]> ranges = partRuns(module, classLimit, methodLimit);
        boolean split = ranges.size() > 1;
        if (split) {
            for (int p = 0; p < ranges.size(); p++) {
                for (int i = ranges.get(p)[0]; i < ranges.get(p)[1]; i++) {
                    layout.functionOwners[layout.importedFunctions + i] = partName(name, p);
                }
            }
        }
        // the compiler writes the stack map frames itself (see StackMapFrames): ASM only sizes the frames
        byte[] main = build(layout, () -> {
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, name, null, ModuleLayout.BASE, null);
            emitFields(cw, layout);
            emitConstructor(cw);
            emitInit(cw, layout);
            if (layout.exactMemory) {
                emitExactMemory(cw);
            }
            ExportCalls.emit(cw, layout);
            for (int i = 0; i < layout.importedFunctions; i++) {
                emitImportForwarder(cw, layout, i);
            }
            if (!split) {
                emitFunctions(cw, name, layout, 0, module.bodies().size());
            }
            cw.visitEnd();
            return cw;
        });
        List<ClassFile> parts = List.of();
        if (split) {
            parts = Parallel.map(ranges.size(), p -> {
                String part = partName(name, p);
                return new ClassFile(part.replace('/', '.'), build(layout, () -> {
                    ClassWriter pw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
                    pw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, part, null, "java/lang/Object", null);
                    emitFunctions(pw, part, layout, ranges.get(p)[0], ranges.get(p)[1]);
                    pw.visitEnd();
                    return pw;
                }));
            });
        }
        List<String> classes = new ArrayList<>(layout.functionOwners.length);
        for (String owner : layout.functionOwners) {
            classes.add(owner.replace('/', '.'));
        }
        return new Output(name.replace('/', '.'), main, parts, classes);
    }

    /**
     * Instructions per thread from which a module is cut into parts for parallelism alone (see
     * {@link Parallel#split}): below it a thread costs more than it saves.
     */
    static final int PARALLEL_PART_INSTRUCTIONS = Integer.getInteger("wasmudf.compile.parallelPart", 2000);

    /**
     * The runs of functions compiled into one class each: at most {@code classLimit} instructions
     * (the constant pool must fit), and for a module of up to a few classes a multiple of the
     * threads of balanced runs, so that every core compiles and then defines a part (qoi, argon2,
     * resize had the whole compile on one core), balanced by estimated work rather than
     * instructions. A limit above the default asks for fewer, bigger classes and is kept as it
     * is. Each function's code is the same in any class.
     */
    static List<int[]> partRuns(WasmModule module, int classLimit, int methodLimit) {
        int n = module.bodies().size();
        java.util.function.IntToLongFunction size = i -> module.bodies().get(i).code().size();
        if (classLimit > DEFAULT_CLASS_LIMIT) {
            return Parallel.runs(n, size, classLimit);
        }
        List<int[]> runs = Parallel.split(n, size, classLimit, PARALLEL_PART_INSTRUCTIONS);
        if (runs.size() < 2 || runs.size() > 2 * Parallel.threads() || classLimit < PARALLEL_PART_INSTRUCTIONS) {
            return runs; // one class, enough parts for the threads to share out, or a test mode's tiny classes
        }
        // a part per thread or two: as many, balanced by work. A function the outliner cuts costs
        // about a third more per instruction (its plan, the region methods and their call sites):
        // png's three such functions (23,000 of 59,000 instructions) put 61 % of the compile's
        // thread time in its first part of two by instruction count, 50 % by this estimate
        long outlined = Math.max(1, methodLimit / 4); // the estimate BodyFacts starts counting locals from
        return Parallel.balanced(n, i -> {
            long s = size.applyAsLong(i);
            return s > outlined ? s + s / 3 : s;
        }, runs.size());
    }

    private static String partName(String className, int part) {
        return className + "_p" + part;
    }

    /** Defined functions {@code [from, to)} and the {@code call_indirect} bridges they use. */
    private static void emitFunctions(ClassWriter cw, String owner, ModuleLayout layout, int from, int to) {
        IndirectCalls indirect = new IndirectCalls(layout, owner);
        for (int i = from; i < to; i++) {
            int index = layout.importedFunctions + i;
            FuncType type = layout.functionTypes.get(index);
            if (layout.tailCallers[index]) {
                TailCalls.emitWrapper(cw, layout, owner, index);
            }
            var body = layout.module.bodies().get(i);
            try {
                BodyFacts facts = BodyFacts.of(layout, body.code(), layout.methodLimit(index), index);
                MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, TailCalls.innerName(layout, index), layout.functionDescs[index], null, null);
                if (SelfRecursion.applies(layout, facts, body.code().size(), index)) {
                    SelfRecursion.emitWrapper(mv, layout, owner, index);
                    mv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, SelfRecursion.bodyName(layout.functionNames[index]),
                            SelfRecursion.bodyDesc(layout.functionDescs[index]), null, null);
                }
                new FunctionCompiler(layout, cw, mv, index, type, body, indirect, null, facts).compile();
            } catch (TooLargeException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                throw new EngineBugException("the compiler failed on function " + index + ": " + e, e);
            }
        }
        java.util.TreeSet<Integer> types = new java.util.TreeSet<>();
        for (Map.Entry<String, int[]> e : indirect.bridges.entrySet()) {
            if (e.getValue()[1] < 0) {
                emitRefBridge(cw, layout, indirect, e.getKey(), e.getValue()[0]);
                continue;
            }
            emitIndirectBridge(cw, owner, layout, indirect, e.getKey(), e.getValue()[0], e.getValue()[1], false);
            types.add(e.getValue()[0]);
        }
        for (int[] b : indirect.tails.emitEntries(cw)) {
            emitIndirectBridge(cw, owner, layout, indirect, TailCalls.bridgeName(b[0], b[1]), b[0], b[1], true);
            types.add(b[0]);
        }
        emitTypeIdFields(cw, owner, layout, types);
    }

    private static String typeIdField(int typeIndex) {
        return "typeId" + typeIndex;
    }

    /**
     * The type ids the {@code call_indirect} bridges compare against, as {@code static final} fields
     * set by the class initialiser from each type's encoding ({@code TypeIds.ofEncoded}): ids are
     * interned per JVM, in whatever order types are first seen, so a class file that carried them as
     * constants would compare against another JVM's numbering when loaded from the code cache. C2
     * folds a static final of an initialised class like a constant, so the bridges pay nothing.
     */
    private static void emitTypeIdFields(ClassWriter cw, String owner, ModuleLayout layout, java.util.Set<Integer> types) {
        if (types.isEmpty()) {
            return;
        }
        MethodVisitor mv = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        for (int typeIndex : types) {
            cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, typeIdField(typeIndex), "I", null, null).visitEnd();
            mv.visitLdcInsn(TypeIds.encode(layout.module.types().get(typeIndex)));
            mv.visitMethodInsn(INVOKESTATIC, "io/wasmudf/engine/internal/runtime/TypeIds", "ofEncoded", "(Ljava/lang/String;)I", false);
            mv.visitFieldInsn(PUTSTATIC, owner, typeIdField(typeIndex), "I");
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The method size target below which halving it again is not tried: such a function cannot be split further. */
    private static final int MIN_RETRY_LIMIT = 200;

    /**
     * Writes the class {@code emit} builds. The outliner works on estimates; should a method still
     * come out over 64 KB, its function is compiled again with half the size target, until it
     * fits or the target is too small to matter (then the function is too large for the JVM).
     */
    private static byte[] build(ModuleLayout layout, java.util.function.Supplier<ClassWriter> emit) {
        while (true) {
            ClassWriter cw = emit.get();
            try {
                return cw.toByteArray();
            } catch (MethodTooLargeException e) {
                int f = functionOf(e.getMethodName());
                int limit = f >= 0 ? layout.methodLimit(f) : 0;
                if (f >= 0 && limit < MIN_RETRY_LIMIT && layout.limitOverrides.putIfAbsent(f, Outliner.DEFAULT_LIMIT) == null) {
                    // a test mode's tiny target (0 outlines everything) made call sites the bulk: use the usual one
                    continue;
                }
                if (limit <= MIN_RETRY_LIMIT) {
                    throw new TooLargeException("function " + (f >= 0 ? f : e.getMethodName())
                            + " is too large for the JVM (method " + e.getMethodName() + " of " + e.getCodeSize()
                            + " bytes of bytecode, limit 65535)", e);
                }
                layout.limitOverrides.put(f, limit / 2);
                if (Boolean.getBoolean("wasmudf.compile.timing")) {
                    System.err.printf("compile retry: %s of %d bytes, function %d at target %d%n", e.getMethodName(), e.getCodeSize(), f, limit / 2);
                }
            } catch (ClassTooLargeException e) {
                throw new TooLargeException("module is too large for one JVM class (constant pool of "
                        + e.getConstantPoolCount() + " entries)", e);
            }
        }
    }

    /** The function index in a generated method's name ({@code f12}, region {@code r12_40}, chunk {@code c12_40_90}), or -1. */
    private static int functionOf(String method) {
        if (method.length() < 2 || "frc".indexOf(method.charAt(0)) < 0 || !Character.isDigit(method.charAt(1))) {
            return -1;
        }
        int end = method.indexOf('_');
        try {
            return Integer.parseInt(method.substring(1, end < 0 ? method.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void emitFields(ClassWriter cw, ModuleLayout layout) {
        for (int i = 0; i < layout.globalTypes.size(); i++) {
            String desc = layout.globalIsCell[i] ? "L" + ModuleLayout.GLOBAL + ";" : ModuleLayout.desc(layout.globalTypes.get(i).type());
            cw.visitField(ACC_PUBLIC, ModuleLayout.globalField(i), desc, null, null).visitEnd();
        }
        for (int i = 0; i < layout.importedFunctions; i++) {
            cw.visitField(ACC_PUBLIC, ModuleLayout.importHandleField(i), "L" + MH + ";", null, null).visitEnd();
        }
    }

    private static void emitConstructor(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, ModuleLayout.BASE, "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void emitExactMemory(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "exactMemory", "()Z", null, null);
        mv.visitCode();
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void emitInit(ClassWriter cw, ModuleLayout layout) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "init", "([L" + ModuleLayout.GLOBAL + ";[L" + MH + ";)V", null, null);
        mv.visitCode();
        for (int i = 0; i < layout.globalTypes.size(); i++) {
            ValType t = layout.globalTypes.get(i).type();
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitLdcInsn(i);
            mv.visitInsn(AALOAD);
            if (layout.globalIsCell[i]) {
                mv.visitFieldInsn(PUTFIELD, layout.className, ModuleLayout.globalField(i), "L" + ModuleLayout.GLOBAL + ";");
            } else {
                mv.visitMethodInsn(INVOKEVIRTUAL, ModuleLayout.GLOBAL, Boxing.getter(t), "()" + ModuleLayout.desc(t), false);
                mv.visitFieldInsn(PUTFIELD, layout.className, ModuleLayout.globalField(i), ModuleLayout.desc(t));
            }
        }
        for (int i = 0; i < layout.importedFunctions; i++) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 2);
            mv.visitLdcInsn(i);
            mv.visitInsn(AALOAD);
            mv.visitFieldInsn(PUTFIELD, layout.className, ModuleLayout.importHandleField(i), "L" + MH + ";");
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Loads the parameters of a function of type {@code t} starting at slot {@code slot}; returns the next slot. */
    private static int loadParams(MethodVisitor mv, FuncType t, int slot) {
        for (ValType p : t.params()) {
            mv.visitVarInsn(JvmInsns.loadOp(p), slot);
            slot += p == ValType.I64 || p == ValType.F64 ? 2 : 1;
        }
        return slot;
    }

    private static String handleDesc(FuncType t) {
        return ModuleLayout.descWith(t, "");
    }

    private static void emitReturn(MethodVisitor mv, FuncType t) {
        switch (t.results().size()) {
            case 0: mv.visitInsn(RETURN); break;
            case 1: mv.visitInsn(JvmInsns.returnOp(t.results().get(0))); break;
            default: mv.visitInsn(ARETURN);
        }
    }

    private static void emitImportForwarder(ClassWriter cw, ModuleLayout layout, int index) {
        FuncType t = layout.functionTypes.get(index);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, layout.functionNames[index], layout.functionDescs[index], null, null);
        mv.visitCode();
        int selfSlot = 0;
        for (ValType p : t.params()) {
            selfSlot += p == ValType.I64 || p == ValType.F64 ? 2 : 1;
        }
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, layout.className, ModuleLayout.importHandleField(index), "L" + MH + ";");
        loadParams(mv, t, 0);
        mv.visitMethodInsn(INVOKEVIRTUAL, MH, "invokeExact", handleDesc(t), false);
        emitReturn(mv, t);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Bytes of bytecode a bridge's direct calls may take: the bridge must stay well under HotSpot's 8,000. */
    static final int DIRECT_CALL_BYTES = Integer.getInteger("wasmudf.compile.directCallBytes", 5000);

    /**
     * The {@code call_indirect} bridge of one (type, table): checks the element ({@code Tables.direct})
     * and, when it is a defined function of this instance named in an element segment, calls that
     * function's method with a {@code lookupswitch} on its index, as a {@code call} would; anything
     * else (another instance's or a host function, or past the bridge's size budget) goes through
     * its raw handle. A call through a handle that is not a constant is an indirect jump through a
     * lambda form that C2 cannot inline; a direct call is an ordinary one, inlined when the target is
     * small. A same-instance call needs no {@code GuestBoundary}: the call is already inside.
     * With {@code tail}, the bridge of {@code return_call_indirect} (see {@link TailCalls}).
     */
    private static void emitIndirectBridge(ClassWriter cw, String owner, ModuleLayout layout, IndirectCalls indirect, String name,
                                           int typeIndex, int tableIndex, boolean tail) {
        FuncType t = layout.module.types().get(typeIndex);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, name, indirect.desc(t), null, null);
        mv.visitCode();
        int idxSlot = 0;
        for (ValType p : t.params()) {
            idxSlot += p == ValType.I64 || p == ValType.F64 ? 2 : 1;
        }
        if (!layout.module.defTypes().get(typeIndex).isPlain() && tail) {
            // as below, then return_call_ref's bridge: a same-instance callee's body, so chains stay flat
            loadParams(mv, t, 0);
            mv.visitVarInsn(ILOAD, idxSlot);
            loadTable(mv, idxSlot + 1, tableIndex);
            mv.visitVarInsn(ALOAD, idxSlot + 1);
            mv.visitLdcInsn(typeIndex);
            mv.visitMethodInsn(INVOKESTATIC, FunctionCompiler.TABLES, "elementSub",
                    "(IL" + FunctionCompiler.TABLE + ";Lio/wasmudf/engine/internal/runtime/ModuleInstance;I)Lio/wasmudf/engine/WasmFunction;", false);
            mv.visitVarInsn(ALOAD, idxSlot + 1);
            mv.visitMethodInsn(INVOKESTATIC, owner, TailCallRefs.bridgeName(typeIndex), TailCallRefs.bridgeDesc(layout, t), false);
            emitReturn(mv, t);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return;
        }
        if (!layout.module.defTypes().get(typeIndex).isPlain()) {
            // a 3.0 type: subtyping decides, against the instance's canonical ids (no direct calls)
            mv.visitVarInsn(ILOAD, idxSlot);
            loadTable(mv, idxSlot + 1, tableIndex);
            mv.visitVarInsn(ALOAD, idxSlot + 1);
            mv.visitLdcInsn(typeIndex);
            mv.visitMethodInsn(INVOKESTATIC, FunctionCompiler.TABLES, "indirectSub",
                    "(IL" + FunctionCompiler.TABLE + ";Lio/wasmudf/engine/internal/runtime/ModuleInstance;I)L" + MH + ";", false);
            loadParams(mv, t, 0);
            mv.visitMethodInsn(INVOKEVIRTUAL, MH, "invokeExact", handleDesc(t), false);
            emitReturn(mv, t);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return;
        }
        int typeId = TypeIds.of(t);
        int[] candidates = layout.tableFunctions.getOrDefault(typeId, new int[0]);
        int perCase = 8 + 2 * t.params().size() + 6;
        int cases = Math.min(candidates.length, DIRECT_CALL_BYTES / perCase);
        if (cases > 0) {
            mv.visitVarInsn(ILOAD, idxSlot);
            loadTable(mv, idxSlot + 1, tableIndex);
            mv.visitFieldInsn(GETSTATIC, owner, typeIdField(typeIndex), "I");
            mv.visitVarInsn(ALOAD, idxSlot + 1);
            mv.visitMethodInsn(INVOKESTATIC, FunctionCompiler.TABLES, "direct",
                    "(IL" + FunctionCompiler.TABLE + ";ILjava/lang/Object;)I", false);
            int[] keys = java.util.Arrays.copyOf(candidates, cases);
            org.objectweb.asm.Label[] labels = new org.objectweb.asm.Label[cases];
            for (int k = 0; k < cases; k++) {
                labels[k] = new org.objectweb.asm.Label();
            }
            org.objectweb.asm.Label viaHandle = new org.objectweb.asm.Label();
            mv.visitLookupSwitchInsn(viaHandle, keys, labels);
            for (int k = 0; k < cases; k++) {
                int f = keys[k];
                mv.visitLabel(labels[k]);
                mv.visitFrame(F_SAME, 0, null, 0, null);
                loadParams(mv, t, 0);
                mv.visitVarInsn(ALOAD, idxSlot + 1);
                // a tail call's bridge runs the callee's body: the trampoline completes its own tail calls
                String method = tail ? TailCalls.innerName(layout, f) : layout.functionNames[f];
                mv.visitMethodInsn(INVOKESTATIC, layout.functionOwners[f], method, layout.functionDescs[f], false);
                emitReturn(mv, t);
            }
            mv.visitLabel(viaHandle);
            mv.visitFrame(F_SAME, 0, null, 0, null);
        }
        mv.visitVarInsn(ILOAD, idxSlot);
        loadTable(mv, idxSlot + 1, tableIndex);
        mv.visitFieldInsn(GETSTATIC, owner, typeIdField(typeIndex), "I");
        mv.visitMethodInsn(INVOKESTATIC, FunctionCompiler.TABLES, "indirect",
                "(IL" + FunctionCompiler.TABLE + ";I)L" + MH + ";", false);
        loadParams(mv, t, 0);
        mv.visitMethodInsn(INVOKEVIRTUAL, MH, "invokeExact", handleDesc(t), false);
        emitReturn(mv, t);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The {@code call_ref} bridge of one type: the reference's handle ({@code Refs.callee} traps on null), invoked. */
    private static void emitRefBridge(ClassWriter cw, ModuleLayout layout, IndirectCalls indirect, String name, int typeIndex) {
        FuncType t = layout.module.types().get(typeIndex);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, name, indirect.refDesc(t), null, null);
        mv.visitCode();
        int refSlot = 0;
        for (ValType p : t.params()) {
            refSlot += p == ValType.I64 || p == ValType.F64 ? 2 : 1;
        }
        mv.visitVarInsn(ALOAD, refSlot);
        mv.visitMethodInsn(INVOKESTATIC, RefEmitter.REFS, "callee", "(Ljava/lang/Object;)L" + MH + ";", false);
        loadParams(mv, t, 0);
        mv.visitMethodInsn(INVOKEVIRTUAL, MH, "invokeExact", handleDesc(t), false);
        emitReturn(mv, t);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void loadTable(MethodVisitor mv, int selfSlot, int tableIndex) {
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "tables", "[L" + FunctionCompiler.TABLE + ";");
        mv.visitLdcInsn(tableIndex);
        mv.visitInsn(AALOAD);
    }
}
