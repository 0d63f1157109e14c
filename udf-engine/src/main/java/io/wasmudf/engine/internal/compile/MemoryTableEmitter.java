package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;
import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.runtime.Mem;
import java.util.List;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits memory and table instructions: loads and stores inline (see {@link #emitRawAccess}) in
 * big functions, as calls to the {@code Mem} helpers in small ones and where {@code Unsafe} is
 * not used (see {@link #inlineAccesses}); the rest as calls to the
 * {@code Mem} and {@code Tables} helpers, whose parameter order follows the Wasm operand stack so
 * call sites need no shuffling. The caller re-reads its cached memory buffer and bound after
 * {@code memory.grow}.
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
    private final boolean inline;

    MemoryTableEmitter(ModuleLayout layout, MethodVisitor mv, List<ValType> stack, int selfSlot, int memSlot, boolean inline) {
        this.inline = inline;
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

    /** Helper names by {@code opcode - I32_LOAD}: {@code Mem}'s, and {@code Memories}' for other and 64-bit memories. */
    static final String[] ACCESS_NAMES = {
        "i32Load", "i64Load", "f32Load", "f64Load", "i32Load8S", "i32Load8U", "i32Load16S", "i32Load16U",
        "i64Load8S", "i64Load8U", "i64Load16S", "i64Load16U", "i64Load32S", "i64Load32U",
        "i32Store", "i64Store", "f32Store", "f64Store", "i32Store8", "i32Store16", "i64Store8", "i64Store16", "i64Store32",
    };
    static final ValType[] ACCESS_TYPES = {
        ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.I32, ValType.I32, ValType.I32, ValType.I32,
        ValType.I64, ValType.I64, ValType.I64, ValType.I64, ValType.I64, ValType.I64,
        ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.I32, ValType.I32, ValType.I64, ValType.I64, ValType.I64,
    };

    private static final String[] ACCESS_DESCS = new String[ACCESS_NAMES.length];
    /** The same helpers for an exact memory (no bound argument: see {@link #emitMemoryAccess}). */
    private static final String[] EXACT_ACCESS_DESCS = new String[ACCESS_NAMES.length];

    static {
        for (int k = 0; k < ACCESS_DESCS.length; k++) {
            String d = ModuleLayout.desc(ACCESS_TYPES[k]);
            ACCESS_DESCS[k] = k >= I32_STORE - I32_LOAD ? "(I" + d + "[BII)V" : "(I[BII)" + d;
            EXACT_ACCESS_DESCS[k] = k >= I32_STORE - I32_LOAD ? "(I" + d + "[BI)V" : "(I[BI)" + d;
        }
    }

    /** Bytes each access reads or writes, by {@code opcode - I32_LOAD}. */
    private static final int[] ACCESS_WIDTHS = {4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4, 4, 8, 4, 8, 1, 2, 1, 2, 4};

    /** Whether accesses are emitted inline through {@code Unsafe} (see {@link #emitRawAccess}); fixed per JVM. */
    static final boolean RAW = Mem.raw();

    private static final String UNSAFE = "sun/misc/Unsafe";
    /**
     * Bytecode bytes C2 counts against its inlining budget when it inlines one {@code Mem} helper
     * call with what it calls ({@code i32Load} 12, {@code at} 19, {@code ea} 14,
     * {@code Objects.checkIndex} 7, {@code get32} 43, {@code Unsafe.getInt} 8; the intrinsics
     * themselves count nothing).
     */
    static final int HELPER_INLINED_BYTES = 100;
    /**
     * The most bytecode a function with helper calls may come to once C2 has inlined them: half
     * of C2's {@code DesiredMethodLimit} (8,000, fixed in product JVMs), leaving the rest for the
     * functions it calls. Tunable for experiments ({@code -Dwasmudf.compile.helperBudget}; 0:
     * every access inline).
     */
    static final int HELPER_BUDGET = Integer.getInteger("wasmudf.compile.helperBudget", 4000);

    /**
     * Whether a function of {@code estimatedBytes} (see {@link Outliner#cost}) with
     * {@code accesses} loads and stores, cut at {@code limit}, emits them inline rather than as
     * {@code Mem} helper calls. Inline where C2 would run out of inlining budget before it had
     * inlined every helper (big functions, and every function that is cut into methods): past
     * that budget each access stayed a call with all live values spilled around it. In small
     * functions the helpers, which C2 inlines, compile better: C2 compiled the sieve kernel's
     * loops with inline accesses to the same inner loop but an outer loop with spills and
     * round trips through XMM registers (perf, 2026-12-07), 15-36 % slower; crc32 and UTF-8
     * scanning lost 3-10 %. Fixed per function, so all its methods agree with their memory slots.
     */
    static boolean inlineAccesses(int estimatedBytes, int accesses, int limit) {
        if (!RAW || accesses == 0) {
            return false;
        }
        if (estimatedBytes > limit) {
            return true;
        }
        long inlined = (long) estimatedBytes + (long) accesses * (HELPER_INLINED_BYTES - Outliner.MEMORY_ACCESS_COST);
        return inlined > HELPER_BUDGET;
    }

    /**
     * With the {@code Memory} on the operand stack, stores its array and the bound of every
     * access in the method's memory slots. For inline accesses the bound is the size in bytes, or
     * the array's length should that be smaller (the array may be longer than the memory; it is
     * never shorter, but inline accesses must not rely on another object's invariant to stay
     * inside the array they access). The {@code Mem} helpers take that minimum themselves, so for
     * them the slot holds the size: the minimum taken once here as well made the sieve kernel's
     * loops spill (see {@link #inlineAccesses}). Both change only when memory grows.
     */
    void storeBufferAndBound() {
        String memory = FunctionCompiler.MEMORY;
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKEVIRTUAL, memory, "buffer", "()[B", false);
        if (inline) {
            mv.visitInsn(DUP);
            mv.visitVarInsn(ASTORE, memSlot);
            mv.visitInsn(ARRAYLENGTH);
            mv.visitInsn(SWAP);
            mv.visitMethodInsn(INVOKEVIRTUAL, memory, "byteSize", "()I", false);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        } else {
            mv.visitVarInsn(ASTORE, memSlot);
            mv.visitMethodInsn(INVOKEVIRTUAL, memory, "byteSize", "()I", false);
        }
        mv.visitVarInsn(ISTORE, memSlot + 1);
    }

    /** Offsets up to this are checked against the bound and added to the address (see {@link #emitRawAccess}). */
    private static final int FOLDED_OFFSET_MAX = 1 << 30;

    /**
     * Emits a load or store; {@code scratch} is a free local slot (two for a long or double) that a
     * store may use for its value.
     */
    void emitMemoryAccess(Instruction in, int scratch) {
        int k = in.opcode() - I32_LOAD;
        ValType t = ACCESS_TYPES[k];
        // offsets of 2^31 and more can never be in bounds (memory is under 2 GiB); clamping keeps
        // them out of bounds without 32-bit wraparound
        int offset = (int) Math.min(in.c(), Integer.MAX_VALUE);
        boolean store = in.opcode() >= I32_STORE;
        if (inline) {
            emitRawAccess(k, offset, store, scratch);
        } else if (layout.exactMemory) {
            // the array is exactly the memory (ModuleLayout#exactMemory): its length is the bound,
            // which C2 knows is not negative and loads itself, and byte stores are plain array
            // stores that C2 can order against the loop's other memory operations (an Unsafe
            // store to a byte[] at a computed index kept the sieve kernel's loops about twice as
            // slow, 2026-12-07, docs/ENGINE.md "Exact memories")
            mv.visitVarInsn(ALOAD, memSlot);
            JvmInsns.pushInt(mv, offset);
            mv.visitMethodInsn(INVOKESTATIC, MEM, ACCESS_NAMES[k], EXACT_ACCESS_DESCS[k], false);
        } else {
            mv.visitVarInsn(ALOAD, memSlot);
            mv.visitVarInsn(ILOAD, memSlot + 1); // the memory's bound (see FunctionCompiler#reloadMemory)
            JvmInsns.pushInt(mv, offset);
            mv.visitMethodInsn(INVOKESTATIC, MEM, ACCESS_NAMES[k], ACCESS_DESCS[k], false);
        }
        if (store) {
            pop(2);
        } else {
            pop();
            push(t);
        }
    }

    /**
     * The access as inline bytecode: one {@code Objects.checkIndex} of the base against the cached
     * bound less the offset and the access's width - 1 (very large offsets: of the effective
     * address as in {@code Mem.ea} against the bound less width - 1), then
     * {@code Unsafe} at the checked index. No call is left for C2 to decide on: in methods near
     * the size target C2 stops inlining once the method and its inlinees pass 8,000 bytecodes
     * ({@code DesiredMethodLimit}), and every {@code Mem} helper past that stayed a call, with all
     * live values spilled around it (HotSpot's calling convention saves no registers). What is
     * left are JDK methods C2 takes regardless of that limit: {@code Objects.checkIndex} and
     * {@code sun.misc.Unsafe}'s accessors are {@code @ForceInline}, and what they call is
     * intrinsic. The bound slot holds {@code min(byteSize, array length)}, taken from the same
     * array the access goes to, so no index the check lets through can leave that array.
     */
    private void emitRawAccess(int k, int offset, boolean store, int scratch) {
        ValType t = ACCESS_TYPES[k];
        int width = ACCESS_WIDTHS[k];
        if (store) {
            mv.visitVarInsn(JvmInsns.storeOp(t), scratch);
        }
        if (offset <= FOLDED_OFFSET_MAX) {
            // check the base against the bound less the offset: 0 <= base < bound - (offset +
            // width - 1) is exactly base + offset + width <= bound with base below 2^31 (a base of
            // 2^31 or more unsigned is negative and rejected), with no overflow for offsets up to
            // 2^30. The offset then goes into the address, where C2 folds it with the array base
            // into the instruction's displacement; several fields of one struct check one value.
            mv.visitVarInsn(ILOAD, memSlot + 1);
            if (offset + width - 1 > 0) {
                JvmInsns.pushInt(mv, offset + width - 1);
                mv.visitInsn(ISUB);
            }
        } else {
            // (base + offset) | (base >> 31): negative when the base is 2^31 or more unsigned or
            // the sum passes 2^31 (as in Mem.ea)
            mv.visitInsn(DUP);
            JvmInsns.pushInt(mv, offset);
            mv.visitInsn(IADD);
            mv.visitInsn(SWAP);
            mv.visitIntInsn(BIPUSH, 31);
            mv.visitInsn(ISHR);
            mv.visitInsn(IOR);
            mv.visitVarInsn(ILOAD, memSlot + 1);
            JvmInsns.pushInt(mv, width - 1);
            mv.visitInsn(ISUB);
        }
        mv.visitMethodInsn(INVOKESTATIC, "java/util/Objects", "checkIndex", "(II)I", false);
        mv.visitFieldInsn(GETSTATIC, MEM, "U", "L" + UNSAFE + ";");
        mv.visitInsn(SWAP);
        mv.visitVarInsn(ALOAD, memSlot);
        mv.visitInsn(SWAP);
        mv.visitInsn(I2L);
        mv.visitFieldInsn(GETSTATIC, MEM, "BASE", "J");
        mv.visitInsn(LADD);
        if (offset != 0 && offset <= FOLDED_OFFSET_MAX) {
            JvmInsns.pushLong(mv, offset);
            mv.visitInsn(LADD);
        }
        final String target = "Ljava/lang/Object;J"; // final: every descriptor below is a constant, not a concatenation per access
        if (store) {
            mv.visitVarInsn(JvmInsns.loadOp(t), scratch);
            switch (k + I32_LOAD) {
                case I32_STORE: unsafe("putInt", "(" + target + "I)V"); break;
                case I64_STORE: unsafe("putLong", "(" + target + "J)V"); break;
                case F32_STORE: unsafe("putFloat", "(" + target + "F)V"); break;
                case F64_STORE: unsafe("putDouble", "(" + target + "D)V"); break;
                case I32_STORE8: mv.visitInsn(I2B); unsafe("putByte", "(" + target + "B)V"); break;
                case I32_STORE16: mv.visitInsn(I2S); unsafe("putShort", "(" + target + "S)V"); break;
                case I64_STORE8: mv.visitInsn(L2I); mv.visitInsn(I2B); unsafe("putByte", "(" + target + "B)V"); break;
                case I64_STORE16: mv.visitInsn(L2I); mv.visitInsn(I2S); unsafe("putShort", "(" + target + "S)V"); break;
                case I64_STORE32: mv.visitInsn(L2I); unsafe("putInt", "(" + target + "I)V"); break;
                default: throw new IllegalStateException("not a store: " + k);
            }
            return;
        }
        switch (k + I32_LOAD) {
            case I32_LOAD: unsafe("getInt", "(" + target + ")I"); break;
            case I64_LOAD: unsafe("getLong", "(" + target + ")J"); break;
            case F32_LOAD: unsafe("getFloat", "(" + target + ")F"); break;
            case F64_LOAD: unsafe("getDouble", "(" + target + ")D"); break;
            case I32_LOAD8_S: unsafe("getByte", "(" + target + ")B"); break;
            case I32_LOAD8_U: unsafe("getByte", "(" + target + ")B"); mv.visitIntInsn(SIPUSH, 0xFF); mv.visitInsn(IAND); break;
            case I32_LOAD16_S: unsafe("getShort", "(" + target + ")S"); break;
            case I32_LOAD16_U: unsafe("getChar", "(" + target + ")C"); break;
            case I64_LOAD8_S: unsafe("getByte", "(" + target + ")B"); mv.visitInsn(I2L); break;
            case I64_LOAD8_U: unsafe("getByte", "(" + target + ")B"); mv.visitIntInsn(SIPUSH, 0xFF); mv.visitInsn(IAND); mv.visitInsn(I2L); break;
            case I64_LOAD16_S: unsafe("getShort", "(" + target + ")S"); mv.visitInsn(I2L); break;
            case I64_LOAD16_U: unsafe("getChar", "(" + target + ")C"); mv.visitInsn(I2L); break;
            case I64_LOAD32_S: unsafe("getInt", "(" + target + ")I"); mv.visitInsn(I2L); break;
            case I64_LOAD32_U: unsafe("getInt", "(" + target + ")I"); mv.visitInsn(I2L); mv.visitLdcInsn(0xFFFFFFFFL); mv.visitInsn(LAND); break;
            default: throw new IllegalStateException("not a load: " + k);
        }
    }

    private void unsafe(String name, String desc) {
        mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, name, desc, false);
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
        final String tbl = "L" + TABLE + ";";
        final String obj = "Ljava/lang/Object;";
        final String memDesc = "L" + MEMORY + ";";
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
