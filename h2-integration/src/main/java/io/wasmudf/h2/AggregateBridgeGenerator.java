package io.wasmudf.h2;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Generates the class H2's {@code CREATE AGGREGATE … FOR 'class'} names for one version of a wasm
 * aggregate: a {@link WasmAggregate} with a public no-argument constructor (H2 makes an instance
 * per group) whose binding the class looks up once, by its own name, in its database's catalog
 * service. The work is in {@link WasmAggregate}; the class gives H2 a name to load and the
 * transition call a constant call site.
 *
 * <pre>
 * public final class W_&lt;db&gt;_&lt;id&gt;_&lt;version&gt; extends WasmAggregate {
 *     private static final AggregateBinding BINDING = AggregateBinding.forBridge("…");
 *     private static final MethodHandle TRANSITION = BINDING.transitionInvoker();  // a constant for the JIT
 *     public W_…() { super(BINDING); }
 *     protected Object transition(Object[] call) { return (Object) TRANSITION.invokeExact(call); }
 * }
 * </pre>
 */
final class AggregateBridgeGenerator {
    private static final String BASE = Type.getInternalName(WasmAggregate.class);
    private static final String BINDING = Type.getInternalName(AggregateBinding.class);
    private static final String MH_DESC = "Ljava/lang/invoke/MethodHandle;";

    private AggregateBridgeGenerator() {}

    static byte[] generate(String className) {
        String internalName = className.replace('.', '/');
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null, BASE, null);
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "BINDING", "L" + BINDING + ";", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "TRANSITION", MH_DESC, null, null).visitEnd();

        MethodVisitor init = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        init.visitLdcInsn(className);
        init.visitMethodInsn(Opcodes.INVOKESTATIC, BINDING, "forBridge", "(Ljava/lang/String;)L" + BINDING + ";", false);
        init.visitInsn(Opcodes.DUP);
        init.visitFieldInsn(Opcodes.PUTSTATIC, internalName, "BINDING", "L" + BINDING + ";");
        init.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BINDING, "transitionInvoker", "()" + MH_DESC, false);
        init.visitFieldInsn(Opcodes.PUTSTATIC, internalName, "TRANSITION", MH_DESC);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor ctor = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        ctor.visitCode();
        ctor.visitVarInsn(Opcodes.ALOAD, 0);
        ctor.visitFieldInsn(Opcodes.GETSTATIC, internalName, "BINDING", "L" + BINDING + ";");
        ctor.visitMethodInsn(Opcodes.INVOKESPECIAL, BASE, "<init>", "(L" + BINDING + ";)V", false);
        ctor.visitInsn(Opcodes.RETURN);
        ctor.visitMaxs(0, 0);
        ctor.visitEnd();

        // protected Object transition(Object[] call) { return (Object) TRANSITION.invokeExact(call); }
        MethodVisitor t = cw.visitMethod(Opcodes.ACC_PROTECTED, "transition", "([Ljava/lang/Object;)Ljava/lang/Object;", null,
                new String[] {"java/lang/Throwable"});
        t.visitCode();
        t.visitFieldInsn(Opcodes.GETSTATIC, internalName, "TRANSITION", MH_DESC);
        t.visitVarInsn(Opcodes.ALOAD, 1);
        t.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", "([Ljava/lang/Object;)Ljava/lang/Object;", false);
        t.visitInsn(Opcodes.ARETURN);
        t.visitMaxs(0, 0);
        t.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
