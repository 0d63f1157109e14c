package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.FuncType;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Implements a functional interface with an exact-typed handle: a hidden class whose single method
 * calls the handle, kept in a {@code static final} field, with {@code invokeExact}. The JIT treats
 * that field as a constant, so once the interface call is inlined the handle is too; host code
 * holding the object in an ordinary field gets the speed of a handle in a {@code static final}.
 *
 * <p>The class is defined without {@code STRONG}, so it is unloaded with the last reference to the
 * object. It lives in this package when the interface is visible from the engine's class loader,
 * otherwise in a one-class loader under the interface's own loader (see {@link Anchor}).
 */
public final class FunctionInterfaces {
    private static final String MH = "java/lang/invoke/MethodHandle";
    private static final String TARGET = "TARGET";

    private FunctionInterfaces() {}

    /**
     * An instance of {@code type} calling {@code handle}, whose type is {@code wasm.methodType()}.
     *
     * @throws IllegalArgumentException when {@code type} is not a public functional interface whose
     *         method has exactly the handle's parameter and return types
     */
    public static <T> T implement(Class<T> type, MethodHandle handle, FuncType wasm) {
        Method method = singleAbstractMethod(type);
        MethodType wanted = handle.type();
        MethodType actual = MethodType.methodType(method.getReturnType(), method.getParameterTypes());
        if (!actual.equals(wanted)) {
            throw new IllegalArgumentException(type.getName() + ": " + signature(method.getName(), actual)
                    + " does not match Wasm " + wasm + ", which needs " + signature(method.getName(), wanted));
        }
        MethodHandles.Lookup host = visibleFromEngine(type) ? MethodHandles.lookup() : Anchor.lookupFor(type);
        String name = host.lookupClass().getPackageName().replace('.', '/') + "/As" + type.getSimpleName();
        byte[] bytes = generate(name, type, method, wasm.toString());
        try {
            MethodHandles.Lookup defined = host.defineHiddenClassWithClassData(bytes, handle, true);
            Object instance = defined.findConstructor(defined.lookupClass(), MethodType.methodType(void.class)).invoke();
            return type.cast(instance);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("could not implement " + type.getName(), e);
        }
    }

    /** The one abstract method, skipping redeclared public {@code Object} methods as the JLS does. */
    private static Method singleAbstractMethod(Class<?> type) {
        if (!type.isInterface() || type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface");
        }
        if (!Modifier.isPublic(type.getModifiers())
                || !type.getModule().isExported(type.getPackageName(), FunctionInterfaces.class.getModule())) {
            throw new IllegalArgumentException(type.getName() + " is not a public interface of an exported package");
        }
        if (type.isSealed() || type.isHidden()) {
            throw new IllegalArgumentException(type.getName() + " is " + (type.isSealed() ? "sealed" : "hidden")
                    + ": no class can be generated to implement it");
        }
        List<Method> abstracts = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m) && abstracts.stream().noneMatch(a -> sameSignature(a, m))) {
                abstracts.add(m);
            }
        }
        if (abstracts.size() != 1) {
            // getMethods() has no fixed order; sorted, the message is the same on every run.
            String names = abstracts.stream()
                    .map(m -> signature(m.getName(), MethodType.methodType(m.getReturnType(), m.getParameterTypes())))
                    .sorted().collect(Collectors.joining(", "));
            throw new IllegalArgumentException(type.getName() + " is not a functional interface: it has "
                    + abstracts.size() + " abstract methods" + (abstracts.isEmpty() ? "" : " (" + names + ")"));
        }
        return abstracts.get(0);
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The same method inherited along two paths; a covariant or generic override is a second one. */
    private static boolean sameSignature(Method a, Method b) {
        return a.getName().equals(b.getName()) && a.getReturnType() == b.getReturnType()
                && Arrays.equals(a.getParameterTypes(), b.getParameterTypes());
    }

    /** {@code int applyAsInt(int, int)}. */
    private static String signature(String name, MethodType t) {
        StringJoiner params = new StringJoiner(", ", name + "(", ")");
        for (Class<?> p : t.parameterList()) {
            params.add(p.getSimpleName());
        }
        return t.returnType().getSimpleName() + " " + params;
    }

    private static boolean visibleFromEngine(Class<?> type) {
        try {
            return Class.forName(type.getName(), false, FunctionInterfaces.class.getClassLoader()) == type;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static byte[] generate(String name, Class<?> type, Method method, String description) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC, name, null, "java/lang/Object",
                new String[] {Type.getInternalName(type)});
        cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, TARGET, "L" + MH + ";", null, null).visitEnd();

        MethodVisitor mv = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        mv.visitLdcInsn(ConstantDescs.DEFAULT_NAME);
        mv.visitLdcInsn(Type.getObjectType(MH));
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
        mv.visitTypeInsn(CHECKCAST, MH);
        mv.visitFieldInsn(PUTSTATIC, name, TARGET, "L" + MH + ";");
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        String descriptor = Type.getMethodDescriptor(method);
        mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, method.getName(), descriptor, null, null);
        mv.visitCode();
        mv.visitFieldInsn(GETSTATIC, name, TARGET, "L" + MH + ";");
        int slot = 1;
        for (Type p : Type.getArgumentTypes(descriptor)) {
            mv.visitVarInsn(p.getOpcode(ILOAD), slot);
            slot += p.getSize();
        }
        mv.visitMethodInsn(INVOKEVIRTUAL, MH, "invokeExact", descriptor, false);
        mv.visitInsn(Type.getReturnType(descriptor).getOpcode(IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC, "toString", "()Ljava/lang/String;", null, null);
        mv.visitCode();
        mv.visitLdcInsn(type.getSimpleName() + " of Wasm " + description);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * For an interface the engine's loader cannot see: a class loader under the interface's loader
     * holding one public class whose {@code lookup()} hands out a full-privilege lookup, in which
     * the implementation is then defined. The implementation refers only to the interface and
     * {@code java.lang.invoke}, so it links there.
     */
    static final class Anchor extends ClassLoader {
        private static final String NAME = "io.wasmudf.generated.Anchor";

        private Anchor(ClassLoader parent) {
            super(parent);
        }

        static MethodHandles.Lookup lookupFor(Class<?> type) {
            byte[] bytes = anchorBytes();
            Class<?> anchor = new Anchor(type.getClassLoader()).defineClass(NAME, bytes, 0, bytes.length);
            try {
                return (MethodHandles.Lookup) anchor.getMethod("lookup").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] anchorBytes() {
            String internal = NAME.replace('.', '/');
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC, internal, null, "java/lang/Object", null);
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "lookup",
                    "()Ljava/lang/invoke/MethodHandles$Lookup;", null, null);
            mv.visitCode();
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                    "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
            mv.visitInsn(ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            cw.visitEnd();
            return cw.toByteArray();
        }
    }
}
