package io.wasmudf.h2;

import io.wasmudf.engine.ValType;
import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.AbiValues;
import io.wasmudf.sql.BoundExport;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.StaticCall;
import io.wasmudf.engine.Instance;
import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Generates a bridge class for one wasm function: a {@code public static} method {@code call}
 * with a leading {@link Connection} (so H2 passes the session) and exactly-typed SQL parameters,
 * whose body marshals arguments (text and bytea through the guest's {@code cabi_realloc}), calls
 * the export, lifts the result and runs {@code cabi_post_<export>}; the three guest calls are
 * constant {@code invokedynamic} sites (see {@link FunctionBinding#bootstrap}). No boxing to
 * arrays, no reflection: per row the only work besides the guest's is the per-session lookup in
 * {@link FunctionBinding#bind}.
 *
 * <pre>
 * public static R call(Connection c, P1 a1, …) {
 *     if (strict) for each reference-typed argument: if (a == null) return null;
 *     BoundExport e = BINDING.bind(c);
 *     try {
 *         scalar a: a, or the codec's toCore(a) / isSome(a), orZero(a) when nullable
 *         flat a (uuid, interval): the codec's toCore_i(a) for each core value (orZero_i when nullable)
 *         in-memory a (text, bytea): plan = codec.plan(e.guest, a); ptr = indy realloc(0, 0, codec.align(plan), codec.size(plan));
 *                                    codec.write(e.guest, a, plan, ptr)
 *         core result = indy call(lowered arguments…, e, e.instance);
 *         R value = codec lift(result); indy post(result, e, e.instance); return value;
 *         (lift: direct, from the return area at result, or from the packed i64 option itself)
 *     } catch (Throwable t) { throw BINDING.fail(e, t); }
 * }
 * </pre>
 */
final class BridgeGenerator {
    private static final String BINDING = Type.getInternalName(FunctionBinding.class);
    private static final String BOUND = Type.getInternalName(BoundExport.class);
    private static final String GUEST = Type.getInternalName(GuestInstance.class);
    private static final String VALUES = Type.getInternalName(AbiValues.class);
    private static final String MH = Type.getInternalName(MethodHandle.class);

    private BridgeGenerator() {}

    /** The Java parameter types H2 sees: primitives when strict (NULL in, NULL out, without a call). */
    static Class<?> paramClass(SqlType t, boolean strict) {
        return strict ? t.javaType() : t.boxedType();
    }

    /** The Java return type: primitive only when NULL can never be returned. */
    static Class<?> returnClass(FunctionDef def) {
        boolean nullable = !def.strict() || def.paramTypes().stream().anyMatch(t -> !t.javaType().isPrimitive());
        return nullable ? def.result().boxedType() : def.result().javaType();
    }

    /**
     * Starts a bridge class: {@code public final class className} with a static final field
     * {@code field} that {@code <clinit>} sets to {@code owner.forBridge(className)}, so the class
     * finds its binding by its own name (shared with {@link TableBridgeGenerator}).
     */
    static void begin(ClassWriter cw, String className, int fieldAccess, String field, String owner) {
        String internalName = className.replace('.', '/');
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
        cw.visitField(fieldAccess | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, field, "L" + owner + ";", null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        init.visitLdcInsn(className);
        init.visitMethodInsn(Opcodes.INVOKESTATIC, owner, "forBridge", "(Ljava/lang/String;)L" + owner + ";", false);
        init.visitFieldInsn(Opcodes.PUTSTATIC, internalName, field, "L" + owner + ";");
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
    }

    /** The class file of bridge class {@code className} for function {@code def}. */
    static byte[] generate(String className, FunctionDef def) {
        String internalName = className.replace('.', '/');
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        begin(cw, className, Opcodes.ACC_PUBLIC, "BINDING", BINDING);
        emitCall(cw, internalName, def);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void emitCall(ClassWriter cw, String owner, FunctionDef def) {
        AbiLayout abi = def.abi();
        boolean strict = def.strict();
        // a v128 form lowers and lifts with its own codecs (AbiLayout#vectorForm), not the declared types'
        List<SqlType> params = abi.isVectorForm() ? abi.params() : def.paramTypes();
        Class<?> ret = returnClass(def);
        Type[] argTypes = new Type[params.size() + 1];
        argTypes[0] = Type.getType(Connection.class);
        for (int i = 0; i < params.size(); i++) {
            argTypes[i + 1] = Type.getType(paramClass(params.get(i), strict));
        }
        String desc = Type.getMethodDescriptor(Type.getType(ret), argTypes);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, BridgeNames.METHOD, desc, null,
                new String[] {Type.getInternalName(SQLException.class)});
        mv.visitCode();

        int[] slot = new int[argTypes.length];
        int next = 0;
        for (int i = 0; i < argTypes.length; i++) {
            slot[i] = next;
            next += argTypes[i].getSize();
        }
        int eSlot = next;
        int tmpSlot = next + 1; // long
        int resultSlot = next + 3; // up to long/double
        int outSlot = next + 5;
        int planSlot = next + 6; // long
        int ptrSlot = next + 8;

        if (strict) {
            // H2 passes NULL to a reference parameter; a STRICT function then returns NULL without a call
            for (int i = 0; i < params.size(); i++) {
                if (!params.get(i).javaType().isPrimitive()) {
                    Label ok = new Label();
                    mv.visitVarInsn(Opcodes.ALOAD, slot[i + 1]);
                    mv.visitJumpInsn(Opcodes.IFNONNULL, ok);
                    mv.visitInsn(Opcodes.ACONST_NULL);
                    mv.visitInsn(Opcodes.ARETURN);
                    mv.visitLabel(ok);
                }
            }
        }
        mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "BINDING", "L" + BINDING + ";");
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BINDING, "bind", "(Ljava/sql/Connection;)L" + BOUND + ";", false);
        mv.visitVarInsn(Opcodes.ASTORE, eSlot);

        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, "java/lang/Throwable");
        mv.visitLabel(tryStart);

        for (int i = 0; i < params.size(); i++) {
            SqlType t = params.get(i);
            int s = slot[i + 1];
            if (!strict) {
                mv.visitVarInsn(Opcodes.ALOAD, s);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, VALUES, "isSome", "(Ljava/lang/Object;)I", false);
            }
            if (t.lowering() instanceof SqlType.Lowering.Allocated a) {
                lower(mv, eSlot, s, new int[] {tmpSlot, planSlot, ptrSlot}, a, !strict);
            } else if (t.lowering() instanceof SqlType.Lowering.Flat flat) {
                // several core values by value (uuid, interval): one routine per value
                for (StaticCall part : strict ? flat.toCore() : flat.orZero()) {
                    mv.visitVarInsn(Opcodes.ALOAD, s);
                    invoke(mv, part);
                }
            } else {
                SqlType.Lowering.Scalar scalar = (SqlType.Lowering.Scalar) t.lowering();
                mv.visitVarInsn(Type.getType(paramClass(t, strict)).getOpcode(Opcodes.ILOAD), s);
                StaticCall convert = strict ? scalar.toCore() : scalar.orZero();
                if (convert != null) {
                    invoke(mv, convert);
                }
            }
        }
        // a constant call site: the JIT inlines through it into the compiled guest code
        pushBoundAndInstance(mv, eSlot);
        MethodType core = abi.core().methodType();
        mv.visitInvokeDynamicInsn("call", core.appendParameterTypes(BoundExport.class, Instance.class)
                .toMethodDescriptorString(), BOOTSTRAP);

        ValType coreResult = abi.core().results().get(0);
        Type coreType = Type.getType(coreResult.javaType());
        mv.visitVarInsn(coreType.getOpcode(Opcodes.ISTORE), resultSlot);
        Type retType = Type.getType(ret);
        SqlType r = abi.isVectorForm() ? abi.result() : def.result();
        switch (abi.form()) {
            case RETURN_AREA -> {
                mv.visitVarInsn(Opcodes.ALOAD, eSlot);
                mv.visitFieldInsn(Opcodes.GETFIELD, BOUND, "guest", "L" + GUEST + ";");
                mv.visitVarInsn(Opcodes.ILOAD, resultSlot);
                invoke(mv, strict ? r.liftArea() : r.liftOptional());
                box(mv, strict ? r.javaType() : r.boxedType(), ret);
                mv.visitVarInsn(Opcodes.ASTORE, outSlot);
                post(mv, eSlot, resultSlot, coreResult);
                mv.visitVarInsn(Opcodes.ALOAD, outSlot);
                mv.visitLabel(tryEnd);
                mv.visitInsn(Opcodes.ARETURN);
            }
            case PACKED_OPTION -> {
                post(mv, eSlot, resultSlot, coreResult);
                mv.visitVarInsn(Opcodes.LLOAD, resultSlot);
                invoke(mv, r.liftPacked());
                mv.visitLabel(tryEnd);
                mv.visitInsn(Opcodes.ARETURN);
            }
            case DIRECT -> {
                post(mv, eSlot, resultSlot, coreResult);
                mv.visitVarInsn(coreType.getOpcode(Opcodes.ILOAD), resultSlot);
                if (r.liftDirect() != null) {
                    invoke(mv, r.liftDirect());
                }
                box(mv, r.javaType(), ret);
                mv.visitLabel(tryEnd);
                mv.visitInsn(retType.getOpcode(Opcodes.IRETURN));
            }
        }

        mv.visitLabel(handler);
        mv.visitVarInsn(Opcodes.ASTORE, outSlot);
        mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "BINDING", "L" + BINDING + ";");
        mv.visitVarInsn(Opcodes.ALOAD, eSlot);
        mv.visitVarInsn(Opcodes.ALOAD, outSlot);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BINDING, "fail",
                "(L" + BOUND + ";Ljava/lang/Throwable;)Ljava/sql/SQLException;", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void invoke(MethodVisitor mv, StaticCall call) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, call.ownerInternalName(), call.name(), call.descriptor(), false);
    }

    /** Boxes a primitive {@code value} on the stack when the bridge returns {@code ret}, its box. */
    private static void box(MethodVisitor mv, Class<?> value, Class<?> ret) {
        if (value.isPrimitive() && !ret.isPrimitive()) {
            Type boxed = Type.getType(ret);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, boxed.getInternalName(), "valueOf",
                    Type.getMethodDescriptor(boxed, Type.getType(value)), false);
        }
    }

    /**
     * Pushes {@code (ptr, len)} of an argument copied into guest memory: plan, then
     * {@code cabi_realloc} through a constant call site, then copy (the codec's
     * {@link SqlType.Lowering.Allocated} routines). An {@code optional} argument that is NULL is
     * {@code (0, 0)} and allocates nothing. {@code slots}: packed result (long), plan (long),
     * pointer (int).
     */
    private static void lower(MethodVisitor mv, int eSlot, int argSlot, int[] slots, SqlType.Lowering.Allocated a, boolean optional) {
        int tmpSlot = slots[0];
        int planSlot = slots[1];
        int ptrSlot = slots[2];
        Label done = new Label();
        if (optional) {
            Label some = new Label();
            mv.visitVarInsn(Opcodes.ALOAD, argSlot);
            mv.visitJumpInsn(Opcodes.IFNONNULL, some);
            mv.visitInsn(Opcodes.LCONST_0);
            mv.visitJumpInsn(Opcodes.GOTO, done);
            mv.visitLabel(some);
        }
        // the plan may depend on the module (its text encoding), hence the instance
        mv.visitVarInsn(Opcodes.ALOAD, eSlot);
        mv.visitFieldInsn(Opcodes.GETFIELD, BOUND, "guest", "L" + GUEST + ";");
        mv.visitVarInsn(Opcodes.ALOAD, argSlot);
        invoke(mv, a.plan());
        mv.visitVarInsn(Opcodes.LSTORE, planSlot);
        // cabi_realloc(0, 0, align, size)
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.LLOAD, planSlot);
        invoke(mv, a.align());
        mv.visitVarInsn(Opcodes.LLOAD, planSlot);
        invoke(mv, a.size());
        pushBoundAndInstance(mv, eSlot);
        mv.visitInvokeDynamicInsn("realloc", MethodType.methodType(int.class, int.class, int.class, int.class, int.class,
                BoundExport.class, Instance.class).toMethodDescriptorString(), BOOTSTRAP);
        mv.visitVarInsn(Opcodes.ISTORE, ptrSlot);
        mv.visitVarInsn(Opcodes.ALOAD, eSlot);
        mv.visitFieldInsn(Opcodes.GETFIELD, BOUND, "guest", "L" + GUEST + ";");
        mv.visitVarInsn(Opcodes.ALOAD, argSlot);
        mv.visitVarInsn(Opcodes.LLOAD, planSlot);
        mv.visitVarInsn(Opcodes.ILOAD, ptrSlot);
        invoke(mv, a.write());
        mv.visitLabel(done);
        mv.visitVarInsn(Opcodes.LSTORE, tmpSlot);
        mv.visitVarInsn(Opcodes.LLOAD, tmpSlot);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, VALUES, "ptr", "(J)I", false);
        mv.visitVarInsn(Opcodes.LLOAD, tmpSlot);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, VALUES, "len", "(J)I", false);
    }

    private static void post(MethodVisitor mv, int eSlot, int resultSlot, ValType core) {
        Type t = Type.getType(core.javaType());
        mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), resultSlot);
        pushBoundAndInstance(mv, eSlot);
        mv.visitInvokeDynamicInsn("post", MethodType.methodType(void.class, core.javaType(), BoundExport.class, Instance.class)
                .toMethodDescriptorString(), BOOTSTRAP);
    }

    private static void pushBoundAndInstance(MethodVisitor mv, int eSlot) {
        mv.visitVarInsn(Opcodes.ALOAD, eSlot);
        mv.visitVarInsn(Opcodes.ALOAD, eSlot);
        mv.visitFieldInsn(Opcodes.GETFIELD, BOUND, "instance", Type.getDescriptor(Instance.class));
    }

    private static final Handle BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, BINDING, "bootstrap",
            MethodType.methodType(CallSite.class, MethodHandles.Lookup.class, String.class, MethodType.class)
                    .toMethodDescriptorString(), false);
}
