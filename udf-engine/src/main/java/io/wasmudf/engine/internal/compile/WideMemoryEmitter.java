package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;
import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.ExternAddressTypes;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import java.util.List;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits the memory and table instructions that name a memory other than the fast one or use
 * 64-bit addresses: accesses to memories past the first (multi-memory), to memories with i64
 * addresses (memory64) and table instructions on tables with i64 indexes (table64), vector
 * loads and stores included. They become calls to the {@code Memories}, {@code SimdMemories} and
 * {@code Tables64} helpers with the memory or table object itself. Memory 0 with i32 addresses is left to {@link MemoryTableEmitter} (its cached array and
 * bound, inline accesses), whose bytecode modules with one 32-bit memory keep unchanged:
 * {@link #emit} declines those instructions.
 */
final class WideMemoryEmitter {
    private static final String MEMORIES = "io/wasmudf/engine/internal/runtime/Memories";
    private static final String TABLES64 = "io/wasmudf/engine/internal/runtime/Tables64";
    private static final String SIMD_MEMORIES = "io/wasmudf/engine/internal/runtime/SimdMemories";
    private static final String MEM = FunctionCompiler.MEM;
    private static final String MEMORY = "L" + FunctionCompiler.MEMORY + ";";
    private static final String TABLE = "L" + FunctionCompiler.TABLE + ";";
    private static final String OBJ = "Ljava/lang/Object;";


    private final ModuleLayout layout;
    private final ExternAddressTypes addresses;
    private final MethodVisitor mv;
    private final List<ValType> stack;
    private final int selfSlot;
    /** False for modules with one memory with i32 addresses and no table64 (nearly all): nothing to emit. */
    private final boolean active;

    WideMemoryEmitter(ModuleLayout layout, MethodVisitor mv, List<ValType> stack, int selfSlot) {
        this.layout = layout;
        this.addresses = layout.addressTypes;
        this.mv = mv;
        this.stack = stack;
        this.selfSlot = selfSlot;
        this.active = addresses.any();
    }

    /** Whether memory {@code index} goes through this class: any but memory 0 with i32 addresses. */
    private boolean wide(int memory) {
        return memory != 0 || addresses.memory64(0);
    }

    /**
     * Emits {@code in} when it is this class's (see the class comment) and returns true; false
     * leaves it to {@link MemoryTableEmitter}. {@code scratch}: a free local slot (two for a long
     * or double) a store may use for its value.
     */
    boolean emit(Instruction in, int scratch) {
        if (!active) {
            return false;
        }
        int op = in.opcode();
        if (op >= I32_LOAD && op <= I64_STORE32) {
            if (!wide(in.b())) {
                return false;
            }
            access(in, scratch);
            return true;
        }
        if (SimdOpcodes.touchesMemory(op)) {
            if (!wide(SimdOpcodes.memory(in))) {
                return false;
            }
            vectorAccess(in, scratch);
            return true;
        }
        switch (op) {
            case MEMORY_SIZE:
            case MEMORY_GROW:
            case MEMORY_FILL:
                if (!wide(in.a())) {
                    return false;
                }
                sizeGrowFill(op, in.a());
                return true;
            case MEMORY_COPY:
                if (!wide(in.a()) && !wide(in.b())) {
                    return false;
                }
                copy(in.a(), in.b());
                return true;
            case MEMORY_INIT:
                if (!wide(in.b())) {
                    return false;
                }
                boolean is64 = addresses.memory64(in.b());
                loadMemory(in.b());
                loadData(in.a());
                mv.visitMethodInsn(INVOKESTATIC, is64 ? MEMORIES : MEM, "init", "(" + (is64 ? "J" : "I") + "II" + MEMORY + "[B)V", false);
                pop(3);
                return true;
            case TABLE_GET: case TABLE_SET: case TABLE_SIZE: case TABLE_GROW: case TABLE_FILL:
                if (!addresses.table64(in.a())) {
                    return false;
                }
                table(in);
                return true;
            case TABLE_COPY:
                if (!addresses.table64(in.a()) && !addresses.table64(in.b())) {
                    return false;
                }
                loadTable(in.a());
                loadTable(in.b());
                mv.visitMethodInsn(INVOKESTATIC, TABLES64, "copy", "(" + copyOperands(addresses.table64(in.a()), addresses.table64(in.b()))
                        + TABLE + TABLE + ")V", false);
                pop(3);
                return true;
            case TABLE_INIT:
                if (!addresses.table64(in.b())) {
                    return false;
                }
                loadTable(in.b());
                mv.visitVarInsn(ALOAD, selfSlot);
                mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "elements", "[[Ljava/lang/Object;");
                JvmInsns.pushInt(mv, in.a());
                mv.visitInsn(AALOAD);
                mv.visitMethodInsn(INVOKESTATIC, TABLES64, "init", "(JII" + TABLE + "[Ljava/lang/Object;)V", false);
                pop(3);
                return true;
            default:
                return false;
        }
    }

    /** Before a {@code call_indirect} through {@code table}: narrows a table64 index to the int the bridge takes. */
    void beforeCallIndirect(int table) {
        if (active && addresses.table64(table)) {
            mv.visitMethodInsn(INVOKESTATIC, TABLES64, "index", "(J)I", false);
            pop(1);
            stack.add(ValType.I32);
        }
    }

    /** A load or store: the address widened to an unsigned long, then {@code Memories.<access>(addr, [value,] memory, offset)}. */
    private void access(Instruction in, int scratch) {
        int k = in.opcode() - I32_LOAD;
        ValType t = MemoryTableEmitter.ACCESS_TYPES[k];
        boolean store = in.opcode() >= I32_STORE;
        boolean is64 = addresses.memory64(in.b());
        if (store) {
            if (!is64) {
                mv.visitVarInsn(JvmInsns.storeOp(t), scratch);
                unsignedLong();
                mv.visitVarInsn(JvmInsns.loadOp(t), scratch);
            }
        } else if (!is64) {
            unsignedLong();
        }
        loadMemory(in.b());
        JvmInsns.pushLong(mv, in.c());
        String d = ModuleLayout.desc(t);
        mv.visitMethodInsn(INVOKESTATIC, MEMORIES, MemoryTableEmitter.ACCESS_NAMES[k], store ? "(J" + d + MEMORY + "J)V" : "(J" + MEMORY + "J)" + d, false);
        if (store) {
            pop(2);
        } else {
            pop(1);
            stack.add(t);
        }
    }

    /**
     * A vector load or store: as {@link #access}, then {@code SimdMemories.<name>(addr, [vector,]
     * memory, offset[, lane])}; the vector (an object) waits in {@code scratch} while an i32
     * address below it is widened.
     */
    private void vectorAccess(Instruction in, int scratch) {
        int op = in.opcode();
        SimdOpcodes.Kind kind = SimdOpcodes.kind(op);
        int memory = SimdOpcodes.memory(in);
        boolean withVector = kind != SimdOpcodes.Kind.LOAD;
        boolean lane = kind == SimdOpcodes.Kind.LOAD_LANE || kind == SimdOpcodes.Kind.STORE_LANE;
        if (!addresses.memory64(memory)) {
            if (withVector) {
                mv.visitVarInsn(ASTORE, scratch);
            }
            unsignedLong();
            if (withVector) {
                mv.visitVarInsn(ALOAD, scratch);
            }
        }
        loadMemory(memory);
        JvmInsns.pushLong(mv, in.c());
        if (lane) {
            JvmInsns.pushInt(mv, in.b());
        }
        ValType result = SimdEmitter.result(op, kind);
        String desc = "(J" + (withVector ? OBJ : "") + MEMORY + "J" + (lane ? "I" : "") + ")" + (result == null ? "V" : OBJ);
        mv.visitMethodInsn(INVOKESTATIC, SIMD_MEMORIES, SimdOpcodes.helperName(op), desc, false);
        pop(withVector ? 2 : 1);
        if (result != null) {
            stack.add(result);
        }
    }

    private void sizeGrowFill(int op, int memory) {
        boolean is64 = addresses.memory64(memory);
        loadMemory(memory);
        String owner = is64 ? MEMORIES : MEM;
        String a = is64 ? "J" : "I";
        switch (op) {
            case MEMORY_SIZE:
                mv.visitMethodInsn(INVOKESTATIC, owner, is64 ? "size64" : "size", "(" + MEMORY + ")" + a, false);
                stack.add(is64 ? ValType.I64 : ValType.I32);
                break;
            case MEMORY_GROW:
                // the operand and the result have the memory's address type: the stack is unchanged
                mv.visitMethodInsn(INVOKESTATIC, owner, is64 ? "grow64" : "grow", "(" + a + MEMORY + ")" + a, false);
                break;
            default:
                mv.visitMethodInsn(INVOKESTATIC, owner, "fill", "(" + a + "I" + a + MEMORY + ")V", false);
                pop(3);
                break;
        }
    }

    private void copy(int dst, int src) {
        loadMemory(dst);
        loadMemory(src);
        String operands = copyOperands(addresses.memory64(dst), addresses.memory64(src));
        mv.visitMethodInsn(INVOKESTATIC, MEMORIES, "copy", "(" + operands + MEMORY + MEMORY + ")V", false);
        pop(3);
    }

    /** The operand types of a copy: each address its own memory's (or table's) type, the length i64 only when both are. */
    private static String copyOperands(boolean dst64, boolean src64) {
        return (dst64 ? "J" : "I") + (src64 ? "J" : "I") + (dst64 && src64 ? "J" : "I");
    }

    private void table(Instruction in) {
        loadTable(in.a());
        switch (in.opcode()) {
            case TABLE_GET:
                mv.visitMethodInsn(INVOKESTATIC, TABLES64, "get", "(J" + TABLE + ")" + OBJ, false);
                pop(1);
                stack.add(layout.tableType(in.a()));
                break;
            case TABLE_SET:
                mv.visitMethodInsn(INVOKESTATIC, TABLES64, "set", "(J" + OBJ + TABLE + ")V", false);
                pop(2);
                break;
            case TABLE_SIZE:
                mv.visitMethodInsn(INVOKESTATIC, TABLES64, "size", "(" + TABLE + ")J", false);
                stack.add(ValType.I64);
                break;
            case TABLE_GROW:
                mv.visitMethodInsn(INVOKESTATIC, TABLES64, "grow", "(" + OBJ + "J" + TABLE + ")J", false);
                pop(2);
                stack.add(ValType.I64);
                break;
            default:
                mv.visitMethodInsn(INVOKESTATIC, TABLES64, "fill", "(J" + OBJ + "J" + TABLE + ")V", false);
                pop(3);
                break;
        }
    }

    /** An i32 address on the stack as the unsigned long the helpers take. */
    private void unsignedLong() {
        mv.visitInsn(I2L);
        mv.visitLdcInsn(0xFFFF_FFFFL);
        mv.visitInsn(LAND);
    }

    private void loadMemory(int index) {
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "memories", "[" + MEMORY);
        JvmInsns.pushInt(mv, index);
        mv.visitInsn(AALOAD);
    }

    private void loadTable(int index) {
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "tables", "[" + TABLE);
        JvmInsns.pushInt(mv, index);
        mv.visitInsn(AALOAD);
    }

    private void loadData(int segment) {
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "data", "[[B");
        JvmInsns.pushInt(mv, segment);
        mv.visitInsn(AALOAD);
    }

    private void pop(int n) {
        for (int i = 0; i < n; i++) {
            stack.remove(stack.size() - 1);
        }
    }
}
