package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.ByteReader.malformed;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes instruction sequences (function bodies and constant expressions) into
 * {@link Instruction}s, linking each {@code block/loop/if} to its {@code end} (and {@code else}).
 * Nesting is tracked with an explicit stack, so deeply nested input cannot overflow the JVM stack.
 * Only structure is checked here; typing and index ranges are the validator's job.
 */
final class CodeDecoder {
    /**
     * Cap on the declared locals of one function. The spec allows up to 2^32-1, but a JVM method
     * has at most 65535 local slots, so a larger function could never be compiled; refusing it
     * here also keeps a few bytes of input from expanding into a huge list.
     */
    static final int MAX_LOCALS = 50_000;

    private final ByteReader r;
    /** The version whose memarg and memory-index encodings are accepted. */
    private final WasmFeatures features;
    private boolean usesDataIndex;
    /** Whether the body being decoded has a tail call (see {@link FunctionBody#tailCalls}). */
    private boolean tailCalls;
    /** Whether the body being decoded has a {@code memory.grow} (see {@link FunctionBody#growsMemory}). */
    private boolean growsMemory;
    private int[] open = new int[16];

    private final DecodedTypes families;

    CodeDecoder(ByteReader r, DecodedTypes families, WasmFeatures features) {
        this.r = r;
        this.families = families;
        this.features = features;
    }

    /**
     * A memory index: 3.0 (multi-memory) encodes it as a u32; 2.0 reserves a zero byte, and a
     * "long" LEB128 zero is not one.
     */
    private int memoryIndex() {
        if (features.multiMemory()) {
            return r.index();
        }
        int at = r.pos();
        if (r.u8() != 0) {
            throw malformed("zero byte expected", at);
        }
        return 0;
    }

    /** Whether a decoded body used {@code memory.init} or {@code data.drop} (needs a data count section). */
    boolean usesDataIndex() {
        return usesDataIndex;
    }

    /** A function body from its locals to its final {@code end}; the caller checks the body size. */
    FunctionBody body(int offset, int size) {
        int[] localCodes = locals();
        List<ValType> locals = new ArrayList<>(localCodes.length);
        boolean plain = true;
        for (int c : localCodes) {
            ValType t = families.jvm(c);
            locals.add(t);
            plain &= t.code() == c;
        }
        // compiled code averages over 2 bytes per instruction: sized so the list rarely grows (capped,
        // as a body may be malformed right after its size)
        tailCalls = false;
        growsMemory = false;
        List<Instruction> code = instructions(true, Math.min(size / 2 + 4, 1 << 16));
        return new FunctionBody(locals, code, offset, plain ? null : localCodes, tailCalls, growsMemory);
    }

    /** A constant expression; the returned list omits the final {@code end}. */
    List<Instruction> constExpr() {
        // The data-count requirement concerns function bodies only, as in the reference decoder.
        boolean before = usesDataIndex;
        List<Instruction> code = instructions(false, 4);
        usesDataIndex = before;
        return code;
    }

    private int[] locals() {
        int start = r.pos();
        int runs = r.len();
        long[] counts = new long[runs];
        int[] types = new int[runs];
        long total = 0;
        for (int i = 0; i < runs; i++) {
            counts[i] = r.varU(32);
            types[i] = TypeDecoder.valType(r);
            total += counts[i];
        }
        if (total > 0xFFFF_FFFFL || total > MAX_LOCALS) {
            throw malformed("too many locals", start);
        }
        int[] locals = new int[(int) total];
        int k = 0;
        for (int i = 0; i < runs; i++) {
            for (long j = 0; j < counts[i]; j++) {
                locals[k++] = types[i];
            }
        }
        return locals;
    }

    private List<Instruction> instructions(boolean keepFinalEnd, int capacity) {
        List<Instruction> code = new ArrayList<>(capacity);
        int depth = 0;
        while (true) {
            int at = r.pos();
            int op = r.peek();
            if (op == Opcodes.END) {
                r.u8();
                if (depth == 0) {
                    if (keepFinalEnd) {
                        code.add(Instruction.of(Opcodes.END));
                    }
                    return code;
                }
                int idx = open[--depth];
                Instruction head = code.get(idx);
                code.set(idx, new Instruction(head.opcode(), head.a(), head.b(), code.size(),
                        head.opcode() == Opcodes.TRY ? ExceptionDecoder.catches(code, idx) : head.labels()));
                code.add(Instruction.of(Opcodes.END));
            } else if ((op == Opcodes.CATCH || op == Opcodes.CATCH_ALL || op == Opcodes.DELEGATE) && features.exceptions()) {
                // legacy exception handling: clauses of the innermost open try, as else is of an if
                Instruction head = depth > 0 ? code.get(open[depth - 1]) : null;
                if (head == null || head.opcode() != Opcodes.TRY) {
                    throw malformed("END opcode expected", at);
                }
                r.u8();
                if (op == Opcodes.DELEGATE) {
                    int idx = open[--depth];
                    int label = r.index();
                    code.set(idx, new Instruction(head.opcode(), head.a(), head.b(), code.size(), ExceptionDecoder.catches(code, idx)));
                    code.add(new Instruction(op, label, 0, 0, null));
                } else {
                    code.add(op == Opcodes.CATCH ? new Instruction(op, r.index(), 0, 0, null) : Instruction.of(op));
                }
            } else if (op == Opcodes.ELSE) {
                Instruction head = depth > 0 ? code.get(open[depth - 1]) : null;
                if (head == null || head.opcode() != Opcodes.IF || head.labels()[0] >= 0) {
                    // The reference decoder stops the block at this byte and then wants its end.
                    throw malformed("END opcode expected", at);
                }
                r.u8();
                head.labels()[0] = code.size();
                code.add(Instruction.of(Opcodes.ELSE));
            } else {
                Instruction ins = instruction();
                int o = ins.opcode();
                if (o == Opcodes.BLOCK || o == Opcodes.LOOP || o == Opcodes.IF || o == Opcodes.TRY_TABLE || o == Opcodes.TRY) {
                    if (depth == open.length) {
                        open = Arrays.copyOf(open, depth * 2);
                    }
                    open[depth++] = code.size();
                }
                code.add(ins);
            }
        }
    }

    /** One instruction other than {@code else}/{@code end}, with its immediates. */
    private Instruction instruction() {
        int at = r.pos();
        int op = r.u8();
        if (op == Opcodes.RETURN_CALL || op == Opcodes.RETURN_CALL_INDIRECT) {
            if (!features.tailCalls()) {
                throw malformed("illegal opcode", at);
            }
            tailCalls = true;
        } else if (op == io.wasmudf.engine.internal.model.RefOpcodes.RETURN_CALL_REF) {
            tailCalls = true; // legal only with typed references, which the decoder checks below
        }
        switch (op) {
            case Opcodes.UNREACHABLE: case Opcodes.NOP: case Opcodes.RETURN: case Opcodes.DROP:
            case Opcodes.SELECT: case Opcodes.REF_IS_NULL:
                return Instruction.of(op);
            case Opcodes.BLOCK: case Opcodes.LOOP:
                return blockType(op, null);
            case Opcodes.IF:
                return blockType(op, new int[] {-1});
            case Opcodes.BR: case Opcodes.BR_IF: case Opcodes.CALL: case Opcodes.RETURN_CALL:
            case Opcodes.LOCAL_GET: case Opcodes.LOCAL_SET: case Opcodes.LOCAL_TEE:
            case Opcodes.GLOBAL_GET: case Opcodes.GLOBAL_SET: case Opcodes.TABLE_GET: case Opcodes.TABLE_SET:
            case Opcodes.REF_FUNC:
                return shared(op, r.index(), 0);
            case Opcodes.BR_TABLE: {
                int n = r.len();
                int[] targets = new int[n];
                for (int i = 0; i < n; i++) {
                    targets[i] = r.index();
                }
                return new Instruction(op, r.index(), 0, 0, targets);
            }
            case Opcodes.CALL_INDIRECT: case Opcodes.RETURN_CALL_INDIRECT: {
                int type = r.index();
                return new Instruction(op, type, r.index(), 0, null);
            }
            case Opcodes.SELECT_T: {
                int n = r.len();
                int[] types = new int[n];
                for (int i = 0; i < n; i++) {
                    types[i] = TypeDecoder.valType(r);
                }
                return new Instruction(op, 0, 0, 0, types);
            }
            case Opcodes.MEMORY_GROW:
                growsMemory = true;
                return memoryIndexed(op, memoryIndex(), 0);
            case Opcodes.MEMORY_SIZE:
                return memoryIndexed(op, memoryIndex(), 0);
            case Opcodes.I32_CONST:
                return shared(op, 0, r.s32());
            case Opcodes.I64_CONST:
                return shared(op, 0, r.s64());
            case Opcodes.F32_CONST:
                return new Instruction(op, 0, 0, r.fixed32(), null);
            case Opcodes.F64_CONST:
                return new Instruction(op, 0, 0, r.fixed64(), null);
            case Opcodes.REF_NULL:
                if (!features.typedReferences() && !TypeDecoder.isTwoZeroRef(r.peek())) {
                    throw malformed("malformed reference type", r.pos());
                }
                return new Instruction(op, TypeDecoder.heapType(r, true), 0, 0, null);
            case Opcodes.TRY_TABLE: case Opcodes.THROW: case Opcodes.THROW_REF: case Opcodes.TRY: case Opcodes.RETHROW:
                if (!features.exceptions()) {
                    throw malformed("illegal opcode", at);
                }
                return op == Opcodes.TRY_TABLE ? ExceptionDecoder.tryTable(blockType(op, null), r)
                        : op == Opcodes.TRY ? blockType(op, null)
                        : op == Opcodes.THROW_REF ? Instruction.of(op) : new Instruction(op, r.index(), 0, 0, null);
            case 0xFC:
                return prefixed(at);
            case 0xFB:
                if (!features.typedReferences()) {
                    throw malformed("illegal opcode", at);
                }
                return RefCodeDecoder.prefixed(r, at);
            case 0xFD:
                return SimdDecoder.instruction(r, at);
            default:
                if (op >= Opcodes.I32_LOAD && op <= Opcodes.I64_STORE32) {
                    return memoryAccess(op);
                }
                if (op >= Opcodes.I32_EQZ && op <= Opcodes.I64_EXTEND32_S) {
                    return Instruction.of(op);
                }
                Instruction ref = features.typedReferences() ? RefCodeDecoder.decode(op, r) : null;
                if (ref != null) {
                    return ref;
                }
                throw malformed("illegal opcode", at);
        }
    }

    private Instruction blockType(int op, int[] labels) {
        int b = r.peek();
        if (b == 0x40) {
            r.u8();
            return new Instruction(op, Instruction.BLOCK_EMPTY, 0, 0, labels);
        }
        if (b >= 0 && (b & 0xC0) == 0x40) {
            return new Instruction(op, Instruction.BLOCK_VALUE, TypeDecoder.valType(r), 0, labels);
        }
        // A type index; negative or oversized values can name no type and are clamped (see ByteReader#index).
        return new Instruction(op, ByteReader.clampIndex(r.s33()), 0, 0, labels);
    }

    /**
     * A memarg: flags (the alignment exponent, bit 6 set when a memory index follows, as
     * multi-memory encodes it), the memory index ({@code b}) and a u64 offset ({@code c}; memory64
     * allows offsets past 2^32, and validation bounds them by the memory's address type).
     */
    private Instruction memoryAccess(int op) {
        int at = r.pos();
        long flags = r.varU(32);
        // 2.0: an alignment exponent of 32 or more is malformed; 3.0 sets bit 6 for a memory index
        if (flags >= (features.multiMemory() ? 0x80 : 0x20)) {
            throw malformed("malformed memop flags", at);
        }
        int memory = 0;
        if (flags >= 0x40) {
            flags -= 0x40;
            memory = r.index();
        }
        long offset = r.varU(features.memory64() ? 64 : 32);
        return memory == 0 ? shared(op, (int) flags, offset) : new Instruction(op, (int) flags, memory, offset, null);
    }

    /** A memory instruction with index immediates: the single-memory forms are shared. */
    private static Instruction memoryIndexed(int op, int a, int b) {
        return a == 0 && b == 0 ? Instruction.of(op) : new Instruction(op, a, b, 0, null);
    }

    /**
     * The instruction {@code (op, a, 0, c)} without labels: a JVM-wide instance for the commonest
     * forms (see {@link CommonInstructions}), else a new one.
     */
    private static Instruction shared(int op, int a, long c) {
        Instruction common = CommonInstructions.get(op, a, c);
        return common != null ? common : new Instruction(op, a, 0, c, null);
    }

    private Instruction prefixed(int at) {
        long sub = r.varU(32);
        int op = 0xFC00 | (int) (sub & 0xFF);
        if (sub > 0x11) {
            throw malformed("illegal opcode", at);
        }
        switch (op) {
            case Opcodes.MEMORY_INIT: {
                usesDataIndex = true;
                int data = r.index();
                return new Instruction(op, data, memoryIndex(), 0, null);
            }
            case Opcodes.DATA_DROP:
                usesDataIndex = true;
                return new Instruction(op, r.index(), 0, 0, null);
            case Opcodes.MEMORY_COPY: {
                int dst = memoryIndex();
                return memoryIndexed(op, dst, memoryIndex());
            }
            case Opcodes.MEMORY_FILL:
                return memoryIndexed(op, memoryIndex(), 0);
            case Opcodes.TABLE_INIT: case Opcodes.TABLE_COPY: {
                int first = r.index();
                return new Instruction(op, first, r.index(), 0, null);
            }
            case Opcodes.ELEM_DROP: case Opcodes.TABLE_GROW: case Opcodes.TABLE_SIZE: case Opcodes.TABLE_FILL:
                return new Instruction(op, r.index(), 0, 0, null);
            default:
                return Instruction.of(op); // the saturating truncations, 0xFC00..0xFC07
        }
    }
}
