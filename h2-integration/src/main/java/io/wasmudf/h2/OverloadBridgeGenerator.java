package io.wasmudf.h2;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.h2.value.Value;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Generates the dispatching class of an overloaded name (H2 resolves an alias by argument count
 * only, and refuses two methods of one count): one {@code call} per arity. An arity with one
 * function is that function's own bridge, called through a constant method handle (exactly
 * typed, so H2 converts the arguments as it would for the function alone). An arity several
 * functions share takes H2 {@link Value}s, whose runtime types choose the function
 * ({@link OverloadSet#choose}, cached per combination of types):
 *
 * <pre>
 * static final OverloadSet SET = OverloadSet.forBridge(className);
 * static final MethodHandle M0 = SET.handle(0, "(Ljava/sql/Connection;I)Ljava/lang/Integer;"), M1 = …;
 * public static R call(Connection c, P a1) { return M0.invokeExact(c, a1); }          // one function of this arity
 * public static R call(Connection c, Value a1, Value a2) {                             // several
 *     switch (SET.choose(2, code(a1) << 8 | code(a2))) {
 *         case NULL_RESULT: return null;
 *         case 1: return M1.invokeExact(c, (P) SET.arg(1, 0, a1, c), (P) SET.arg(1, 1, a2, c));  // R: Value when results differ
 *         …
 *     }
 * }
 * </pre>
 */
final class OverloadBridgeGenerator {
    private static final String SET = Type.getInternalName(OverloadSet.class);
    private static final String MH = Type.getInternalName(MethodHandle.class);
    private static final String VALUE = Type.getInternalName(Value.class);

    /** Value getters for the parameter classes converted inline; others go through {@link OverloadSet#arg}. */
    private static final Map<Class<?>, String> DIRECT = Map.of(int.class, "getInt", long.class, "getLong", short.class, "getShort",
            double.class, "getDouble", float.class, "getFloat", boolean.class, "getBoolean", String.class, "getString");

    private OverloadBridgeGenerator() {}

    /** The class file of dispatching class {@code className} over {@code members} (in the class name's order). */
    static byte[] generate(String className, List<FunctionDef> members) {
        String owner = className.replace('.', '/');
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, owner, null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "SET", "L" + SET + ";", null, null).visitEnd();
        // static final handles: the JIT treats them as constants and inlines through invokeExact into each function's bridge
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        init.visitLdcInsn(className);
        init.visitMethodInsn(Opcodes.INVOKESTATIC, SET, "forBridge", "(Ljava/lang/String;)L" + SET + ";", false);
        init.visitFieldInsn(Opcodes.PUTSTATIC, owner, "SET", "L" + SET + ";");
        for (int i = 0; i < members.size(); i++) {
            cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "M" + i, "L" + MH + ";", null, null).visitEnd();
            init.visitFieldInsn(Opcodes.GETSTATIC, owner, "SET", "L" + SET + ";");
            init.visitLdcInsn(i);
            init.visitLdcInsn(OverloadSet.memberType(members.get(i)).toMethodDescriptorString());
            init.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SET, "handle", "(ILjava/lang/String;)L" + MH + ";", false);
            init.visitFieldInsn(Opcodes.PUTSTATIC, owner, "M" + i, "L" + MH + ";");
        }
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        Map<Integer, List<Integer>> byArity = new TreeMap<>();
        for (int i = 0; i < members.size(); i++) {
            byArity.computeIfAbsent(members.get(i).params().size(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Integer, List<Integer>> e : byArity.entrySet()) {
            if (e.getValue().size() == 1) {
                emitSingle(cw, owner, e.getValue().get(0), members.get(e.getValue().get(0)));
            } else {
                emitDispatch(cw, owner, e.getKey(), e.getValue(), members);
            }
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void emitSingle(ClassWriter cw, String owner, int index, FunctionDef def) {
        MethodType t = OverloadSet.memberType(def);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, BridgeNames.METHOD, t.toMethodDescriptorString(), null,
                new String[] {Type.getInternalName(SQLException.class)});
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "M" + index, "L" + MH + ";");
        int slot = 0;
        for (Class<?> p : t.parameterList()) {
            Type pt = Type.getType(p);
            mv.visitVarInsn(pt.getOpcode(Opcodes.ILOAD), slot);
            slot += pt.getSize();
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, MH, "invokeExact", t.toMethodDescriptorString(), false);
        mv.visitInsn(Type.getType(t.returnType()).getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void emitDispatch(ClassWriter cw, String owner, int arity, List<Integer> indexes, List<FunctionDef> members) {
        // one result class (boxed: NULL_RESULT returns null) when the functions agree, else one every result converts to
        Class<?> common = box(BridgeGenerator.returnClass(members.get(indexes.get(0))));
        boolean widen = false;
        for (int i : indexes) {
            widen |= box(BridgeGenerator.returnClass(members.get(i))) != common;
        }
        if (widen) {
            common = commonResult(indexes.stream().map(i -> members.get(i).result()).toList());
        }
        Type[] args = new Type[arity + 1];
        args[0] = Type.getType(Connection.class);
        for (int i = 1; i <= arity; i++) {
            args[i] = Type.getType(Value.class);
        }
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, BridgeNames.METHOD,
                Type.getMethodDescriptor(Type.getType(common), args), null, new String[] {Type.getInternalName(SQLException.class)});
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "SET", "L" + SET + ";");
        mv.visitLdcInsn(arity);
        mv.visitInsn(Opcodes.LCONST_0);
        for (int a = 1; a <= arity; a++) {
            mv.visitLdcInsn(8);
            mv.visitInsn(Opcodes.LSHL);
            mv.visitVarInsn(Opcodes.ALOAD, a);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, SET, "code", "(L" + VALUE + ";)I", false);
            mv.visitInsn(Opcodes.I2L);
            mv.visitInsn(Opcodes.LOR);
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SET, "choose", "(IJ)I", false);
        Label nullResult = new Label();
        Label[] cases = new Label[indexes.size()];
        int[] keys = new int[indexes.size() + 1];
        Label[] all = new Label[indexes.size() + 1];
        keys[0] = OverloadSet.NULL_RESULT;
        all[0] = nullResult;
        for (int k = 0; k < indexes.size(); k++) {
            cases[k] = new Label();
            keys[k + 1] = indexes.get(k);
            all[k + 1] = cases[k];
        }
        mv.visitLookupSwitchInsn(nullResult, keys, all);
        mv.visitLabel(nullResult);
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitInsn(Opcodes.ARETURN);
        for (int k = 0; k < indexes.size(); k++) {
            int index = indexes.get(k);
            FunctionDef def = members.get(index);
            MethodType t = OverloadSet.memberType(def);
            mv.visitLabel(cases[k]);
            mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "M" + index, "L" + MH + ";");
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            for (int p = 0; p < arity; p++) {
                Class<?> pc = t.parameterType(p + 1);
                String getter = DIRECT.get(pc);
                if (getter != null) {
                    // a primitive (STRICT: never NULL here) or a STRICT text: H2's own Value conversion, without boxing
                    mv.visitVarInsn(Opcodes.ALOAD, p + 1);
                    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VALUE, getter, "()" + Type.getDescriptor(pc), false);
                    continue;
                }
                mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "SET", "L" + SET + ";");
                mv.visitLdcInsn(index);
                mv.visitLdcInsn(p);
                mv.visitVarInsn(Opcodes.ALOAD, p + 1);
                mv.visitVarInsn(Opcodes.ALOAD, 0);
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SET, "arg", "(IIL" + VALUE + ";Ljava/sql/Connection;)Ljava/lang/Object;", false);
                unboxTo(mv, pc);
            }
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, MH, "invokeExact", t.toMethodDescriptorString(), false);
            Class<?> r = t.returnType();
            box(mv, r);
            if (widen) {
                mv.visitLdcInsn(Type.getType(common));
                mv.visitVarInsn(Opcodes.ALOAD, 0);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, SET, "widen", "(Ljava/lang/Object;Ljava/lang/Class;Ljava/sql/Connection;)Ljava/lang/Object;",
                        false);
            }
            mv.visitTypeInsn(Opcodes.CHECKCAST, Type.getInternalName(common));
            mv.visitInsn(Opcodes.ARETURN);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * The Java class of the one static type H2 gives calls of an arity whose functions differ in
     * result type: the widest numeric type when all are numeric (double precision over numeric over
     * bigint over integer, as PostgreSQL's UNION would resolve them), else text.
     */
    static Class<?> commonResult(List<io.wasmudf.sql.SqlType> results) {
        List<String> names = results.stream().map(t -> OverloadResolution.base(t.sqlName())).toList();
        if (!names.stream().allMatch(n -> OverloadResolution.category(n) == 'N')) {
            return String.class;
        }
        if (names.contains("double precision") || names.contains("real")) {
            return Double.class;
        }
        if (names.contains("numeric")) {
            return java.math.BigDecimal.class;
        }
        return names.contains("bigint") ? Long.class : Integer.class;
    }

    /** Casts the Object on the stack to {@code c}, unboxing a primitive. */
    private static void unboxTo(MethodVisitor mv, Class<?> c) {
        if (!c.isPrimitive()) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, Type.getInternalName(c));
            return;
        }
        Type boxed = Type.getType(box(c));
        mv.visitTypeInsn(Opcodes.CHECKCAST, boxed.getInternalName());
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, boxed.getInternalName(), c.getName() + "Value", "()" + Type.getDescriptor(c), false);
    }

    private static void box(MethodVisitor mv, Class<?> c) {
        if (c.isPrimitive()) {
            Type boxed = Type.getType(box(c));
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, boxed.getInternalName(), "valueOf", "(" + Type.getDescriptor(c) + ")"
                    + boxed.getDescriptor(), false);
        }
    }

    private static Class<?> box(Class<?> c) {
        return MethodType.methodType(c).wrap().returnType();
    }
}
