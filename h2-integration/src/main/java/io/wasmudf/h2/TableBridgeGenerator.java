package io.wasmudf.h2;

import io.wasmudf.sql.SqlType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Generates the bridge class of a table function: a {@code public static ResultSet call(Connection,
 * boxed arguments…)} (H2 treats an alias returning a {@link ResultSet} as a table function, usable
 * in {@code FROM}) that hands its arguments to {@link TableFunctionCall#call}. One guest call per
 * batch of rows, not per row, so the generic argument marshalling there costs nothing that
 * matters.
 *
 * <pre>
 * public static ResultSet call(Connection c, P1 a1, …) { return CALL.call(c, new Object[] {a1, …}); }
 * </pre>
 */
final class TableBridgeGenerator {
    private static final String CALL = Type.getInternalName(TableFunctionCall.class);

    private TableBridgeGenerator() {}

    static byte[] generate(String className, FunctionDef def) {
        String internalName = className.replace('.', '/');
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        BridgeGenerator.begin(cw, className, Opcodes.ACC_PRIVATE, "CALL", CALL);

        List<SqlType> params = def.paramTypes();
        Type[] argTypes = new Type[params.size() + 1];
        argTypes[0] = Type.getType(Connection.class);
        for (int i = 0; i < params.size(); i++) {
            argTypes[i + 1] = Type.getType(params.get(i).boxedType());
        }
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, BridgeNames.METHOD,
                Type.getMethodDescriptor(Type.getType(ResultSet.class), argTypes), null, new String[] {Type.getInternalName(SQLException.class)});
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, internalName, "CALL", "L" + CALL + ";");
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitLdcInsn(params.size());
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        for (int i = 0; i < params.size(); i++) {
            mv.visitInsn(Opcodes.DUP);
            mv.visitLdcInsn(i);
            mv.visitVarInsn(Opcodes.ALOAD, i + 1);
            mv.visitInsn(Opcodes.AASTORE);
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CALL, "call", "(Ljava/sql/Connection;[Ljava/lang/Object;)Ljava/sql/ResultSet;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
