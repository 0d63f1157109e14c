package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;
import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import java.util.List;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits memory and table instructions as calls to the {@code Mem} and {@code Tables} helpers,
 * whose parameter order follows the Wasm operand stack so call sites need no shuffling. The caller
 * re-reads its cached memory buffer and size after {@code memory.grow}.
 */
final class MemoryTableEmitter {
    private static final String MEM = FunctionCompiler.MEM;
    private static final String TABLES = FunctionCompiler.TABLES;
    private static final String MEMORY = FunctionCompiler.MEMORY;
    private static final String TABLE = FunctionCompiler.TABLE;

    private final ModuleLayout layout;
    private final MethodVisitor mv;
    private final List<ValType> stack;
    private final int selfSlot;
    private final int memSlot;

    MemoryTableEmitter(ModuleLayout layout, MethodVisitor mv, List<ValType> stack, int selfSlot, int memSlot) {
        this.layout = layout;
        this.mv = mv;
        this.stack = stack;
        this.selfSlot = selfSlot;
        this.memSlot = memSlot;
    }

    private void push(ValType t) {
        stack.add(t);
    }

    private void pop() {
        stack.remove(stack.size() - 1);
    }

    private void pop(int n) {
        for (int i = 0; i < n; i++) {
            pop();
        }
    }

    private static final String[] ACCESS_NAMES = {
        "i32Load", "i64Load", "f32Load", "f64Load", "i32Load8S", "i32Load8U", "i32Load16S", "i32Load16U",
        "i64Load8S", "i64Load8U", "i64Load16S", "i64Load16U", "i64Load32S", "i64Load32U",
        "i32Store", "i64Store", "f32Store", "f64Store", "i32Store8", "i32Store16", "i64Store8", "i64Store16", "i64Store32",
    };
    private static final ValType[] ACCESS_TYPES = {
        ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.I32, ValType.I32, ValType.I32, ValType.I32,
        ValType.I64, ValType.I64, ValType.I64, ValType.I64, ValType.I64, ValType.I64,
        ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.I32, ValType.I32, ValType.I64, ValType.I64, ValType.I64,
    };

    private static final String[] ACCESS_DESCS = new String[ACCESS_NAMES.length];

    static {
        for (int k = 0; k < ACCESS_DESCS.length; k++) {
            String d = ModuleLayout.desc(ACCESS_TYPES[k]);
            ACCESS_DESCS[k] = k >= I32_STORE - I32_LOAD ? "(I" + d + "[BII)V" : "(I[BII)" + d;
        }
    }

    void emitMemoryAccess(Instruction in) {
        int k = in.opcode() - I32_LOAD;
        ValType t = ACCESS_TYPES[k];
        // offsets of 2^31 and more can never be in bounds (memory is under 2 GiB); clamping keeps
        // them out of bounds without 32-bit wraparound
        int offset = (int) Math.min(in.c(), Integer.MAX_VALUE);
        boolean store = in.opcode() >= I32_STORE;
        mv.visitVarInsn(ALOAD, memSlot);
        mv.visitVarInsn(ILOAD, memSlot + 1); // the memory's size (see FunctionCompiler#reloadMemory)
        JvmInsns.pushInt(mv, offset);
        if (store) {
            mv.visitMethodInsn(INVOKESTATIC, MEM, ACCESS_NAMES[k], ACCESS_DESCS[k], false);
            pop(2);
        } else {
            mv.visitMethodInsn(INVOKESTATIC, MEM, ACCESS_NAMES[k], ACCESS_DESCS[k], false);
            pop();
            push(t);
        }
    }

    private void loadMemoryObject() {
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "memory", "L" + MEMORY + ";");
    }

    private void loadTable(int index) {
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "tables", "[L" + TABLE + ";");
        JvmInsns.pushInt(mv, index);
        mv.visitInsn(AALOAD);
    }

    boolean emitMemoryOrTableOp(Instruction in) {
        String tbl = "L" + TABLE + ";";
        String obj = "Ljava/lang/Object;";
        String memDesc = "L" + MEMORY + ";";
        switch (in.opcode()) {
            case MEMORY_SIZE:
                loadMemoryObject();
                mv.visitMethodInsn(INVOKESTATIC, MEM, "size", "(" + memDesc + ")I", false);
                push(ValType.I32);
                return true;
            case MEMORY_GROW:
                loadMemoryObject();
                mv.visitMethodInsn(INVOKESTATIC, MEM, "grow", "(I" + memDesc + ")I", false);
                return true;
            case MEMORY_FILL:
                loadMemoryObject();
                mv.visitMethodInsn(INVOKESTATIC, MEM, "fill", "(III" + memDesc + ")V", false);
                pop(3);
                return true;
            case MEMORY_COPY:
                loadMemoryObject();
                mv.visitMethodInsn(INVOKESTATIC, MEM, "copy", "(III" + memDesc + ")V", false);
                pop(3);
                return true;
            case MEMORY_INIT:
                loadMemoryObject();
                loadSegment("data", "[[B", in.a());
                mv.visitMethodInsn(INVOKESTATIC, MEM, "init", "(III" + memDesc + "[B)V", false);
                pop(3);
                return true;
            case DATA_DROP:
                dropSegment("data", "[[B", "[B", in.a());
                return true;
            case TABLE_GET:
                loadTable(in.a());
                mv.visitMethodInsn(INVOKESTATIC, TABLES, "get", "(I" + tbl + ")" + obj, false);
                pop();
                push(layout.tableType(in.a()));
                return true;
            case TABLE_SET:
                loadTable(in.a());
                mv.visitMethodInsn(INVOKESTATIC, TABLES, "set", "(I" + obj + tbl + ")V", false);
                pop(2);
                return true;
            case TABLE_SIZE:
                loadTable(in.a());
                mv.visitMethodInsn(INVOKESTATIC, TABLES, "size", "(" + tbl + ")I", false);
                push(ValType.I32);
                return true;
            case TABLE_GROW:
                loadTable(in.a());
                mv.visitMethodInsn(INVOKESTATIC, TABLES, "grow", "(" + obj + "I" + tbl + ")I", false);
                pop(2);
                push(ValType.I32);
                return true;
            case TABLE_FILL:
                loadTable(in.a());
                mv.visitMethodInsn(INVOKESTATIC, TABLES, "fill", "(I" + obj + "I" + tbl + ")V", false);
                pop(3);
                return true;
            case TABLE_COPY:
                loadTable(in.a());
                loadTable(in.b());
                mv.visitMethodInsn(INVOKESTATIC, TABLES, "copy", "(III" + tbl + tbl + ")V", false);
                pop(3);
                return true;
            case TABLE_INIT:
                loadTable(in.b());
                loadSegment("elements", "[[Ljava/lang/Object;", in.a());
                mv.visitMethodInsn(INVOKESTATIC, TABLES, "init", "(III" + tbl + "[Ljava/lang/Object;)V", false);
                pop(3);
                return true;
            case ELEM_DROP:
                dropSegment("elements", "[[Ljava/lang/Object;", "java/lang/Object", in.a());
                return true;
            default:
                return false;
        }
    }

    private void loadSegment(String field, String desc, int index) {
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, field, desc);
        JvmInsns.pushInt(mv, index);
        mv.visitInsn(AALOAD);
    }

    private void dropSegment(String field, String desc, String elementType, int index) {
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, field, desc);
        JvmInsns.pushInt(mv, index);
        mv.visitInsn(ICONST_0);
        if (elementType.startsWith("[")) {
            mv.visitIntInsn(NEWARRAY, T_BYTE);
        } else {
            mv.visitTypeInsn(ANEWARRAY, elementType);
        }
        mv.visitInsn(AASTORE);
    }
}
