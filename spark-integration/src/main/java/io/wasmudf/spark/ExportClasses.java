package io.wasmudf.spark;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.ExportInfo;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Instance;
import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.ModuleCheck;
import io.wasmudf.sql.SqlType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * One generated class per (module bytes, export, signature, metering) and JVM, whose public static
 * methods call the export through {@code static final} handles of the module
 * ({@link CompiledModule#exportHandleForCalls}, the instance passed last): Spark's generated code
 * names the class, so the JIT inlines the guest into the query's own loop, with no handle held in
 * a field and no boxing. The name is derived from the content, so the driver and every executor
 * define the same class for the same function; all instances of the module share it.
 *
 * <pre>
 * public final class WasmExport_&lt;hash&gt; {
 *     static final MethodHandle CALL, POST;            // from handle(name, 0 | 1) in &lt;clinit&gt;
 *     public static R call(P1 a1, …, Instance i)    // text parameters as (int ptr, int len)
 *     public static void post(R r, Instance i)      // cabi_post_&lt;export&gt;, or nothing
 *     public static int realloc(int, int, int, int, Instance i)   // cabi_realloc, for text arguments
 * }
 * </pre>
 */
final class ExportClasses {
    private static final String PREFIX = ExportClasses.class.getPackageName() + ".WasmExport_";
    private static final String MH = Type.getInternalName(MethodHandle.class);

    /** What a generated class's {@code <clinit>} takes its handles from; the module is also what instances of it are made of. */
    record Entry(CompiledModule module, String export, FuncType core, boolean post) {}

    private static final ConcurrentHashMap<String, Entry> ENTRIES = new ConcurrentHashMap<>();

    private ExportClasses() {}

    /** The class name for {@code spec}'s export in {@code module}: a digest of everything the class depends on. */
    static String name(FunctionSpec spec, byte[] module) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(module);
            d.update((spec.export() + "\0" + spec.paramTypes() + "\0" + spec.returnType() + "\0" + spec.strict() + "\0" + metered(spec))
                    .getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(d.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean metered(FunctionSpec spec) {
        Long fuel = spec.limits().fuel();
        return fuel != null && fuel > 0;
    }

    /**
     * The class {@code name} exists in this JVM once this returns (defined now if it did not),
     * its handles made from {@code compiled}. Idempotent; the first definition wins.
     */
    static synchronized void define(String name, CompiledModule compiled, FunctionSpec spec, AbiLayout abi) {
        if (ENTRIES.containsKey(name)) {
            return;
        }
        boolean post = false;
        for (ExportInfo e : compiled.exports()) {
            post |= e.name().equals(ModuleCheck.POST_PREFIX + spec.export()) && abi.postType().equals(e.funcType());
        }
        ENTRIES.put(name, new Entry(compiled, spec.export(), abi.core(), post));
        try {
            MethodHandles.lookup().defineClass(generate(name, abi));
        } catch (IllegalAccessException | LinkageError e) {
            ENTRIES.remove(name);
            throw new IllegalStateException("cannot define " + name, e);
        }
    }

    /** The entry of a defined class; null if this JVM has not defined it. */
    static Entry entry(String name) {
        return ENTRIES.get(name);
    }

    /** Called by the generated {@code <clinit>}: 0 the export, 1 its post-return (or a no-op), 2 {@code cabi_realloc}. */
    static MethodHandle handle(String name, int which) {
        Entry e = ENTRIES.get(name);
        if (which == 0) {
            return e.module.exportHandleForCalls(e.export);
        }
        if (which == 2) {
            return e.module.exportHandleForCalls(ModuleCheck.REALLOC);
        }
        MethodType postType = MethodType.methodType(void.class, e.core.returnClass(), Instance.class);
        return e.post ? e.module.exportHandleForCalls(ModuleCheck.POST_PREFIX + e.export) : MethodHandles.empty(postType);
    }

    /**
     * The Java parameter types of the generated {@code call} for one SQL parameter: the type's own
     * primitive (a boolean or short is an int on the operand stack, as the core value wants), or
     * {@code (int, int)} for text copied into memory.
     */
    static List<Class<?>> javaParams(SqlType t) {
        return t.lowersIntoMemory() ? List.of(int.class, int.class) : List.of(t.javaType());
    }

    private static byte[] generate(String name, AbiLayout abi) {
        String internal = name.replace('.', '/');
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internal, null, "java/lang/Object", null);
        String[] fields = abi.needsRealloc() ? new String[] {"CALL", "POST", "REALLOC"} : new String[] {"CALL", "POST"};
        for (String f : fields) {
            cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, f, "L" + MH + ";", null, null).visitEnd();
        }
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        for (int i = 0; i < fields.length; i++) {
            init.visitLdcInsn(name);
            init.visitInsn(Opcodes.ICONST_0 + i);
            init.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(ExportClasses.class), "handle",
                    "(Ljava/lang/String;I)L" + MH + ";", false);
            init.visitFieldInsn(Opcodes.PUTSTATIC, internal, fields[i], "L" + MH + ";");
        }
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        Class<?> ret = abi.core().returnClass();
        List<Class<?>> params = new ArrayList<>();
        for (SqlType t : abi.params()) {
            params.addAll(javaParams(t));
        }
        params.add(Instance.class);
        MethodType callType = MethodType.methodType(ret, params);
        MethodType coreType = abi.core().methodType().appendParameterTypes(Instance.class);
        forward(cw, internal, "call", "CALL", callType, coreType);
        MethodType postType = MethodType.methodType(void.class, ret, Instance.class);
        forward(cw, internal, "post", "POST", postType, postType);
        if (abi.needsRealloc()) {
            MethodType reallocType = ModuleCheck.REALLOC_TYPE.methodType().appendParameterTypes(Instance.class);
            forward(cw, internal, "realloc", "REALLOC", reallocType, reallocType);
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code public static type name(args) { return FIELD.invokeExact(args); }}, the handle typed {@code handleType}. */
    private static void forward(ClassWriter cw, String owner, String name, String field, MethodType type, MethodType handleType) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, type.toMethodDescriptorString(), null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, owner, field, "L" + MH + ";");
        int slot = 0;
        for (Class<?> p : type.parameterList()) {
            Type t = Type.getType(p);
            mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
            slot += t.getSize();
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, MH, "invokeExact", handleType.toMethodDescriptorString(), false);
        mv.visitInsn(Type.getType(type.returnType()).getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
