package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.internal.text.Instructions.Imm;
import io.wasmudf.engine.internal.text.Instructions.Instr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Instructions, plain and folded, written straight into binary as they are read: every name of
 * the module is already bound, locals and labels are bound here (labels innermost first). A
 * folded instruction's own encoding is set aside while its operands are written, then appended.
 */
final class CodeParser {
    private final ModuleParser m;
    private final Tokens t;
    private final TypeParser types;
    private final Space locals = new Space("local");
    private ByteBuf out = new ByteBuf(256);
    // Data indices in function bodies (not in constant expressions) require the data count section.
    private boolean inFunction;
    private String[] labels = new String[16];
    private int depth;

    CodeParser(ModuleParser m) {
        this.m = m;
        this.t = m.t;
        this.types = m.typeParser;
    }

    /** Locals and instructions of a function up to its closing parenthesis (not consumed). */
    byte[] functionBody(TypeSection.TypeUse use) {
        inFunction = true;
        for (int k = 0; k < use.params().length; k++) {
            locals.add(use.paramNames()[k], t, t.pos);
        }
        List<byte[]> localTypes = new ArrayList<>();
        while (t.atForm("local")) {
            t.pos += 2;
            if (t.peekId()) {
                int tok = t.pos;
                String id = t.optId();
                localTypes.add(types.valType());
                locals.add(id, t, tok);
            } else {
                while (t.peek() != Tokens.RPAR) {
                    localTypes.add(types.valType());
                    locals.add(null, t, t.pos);
                }
            }
            t.close();
        }
        // locals declared one by one are encoded as runs of the same type
        ByteBuf runs = new ByteBuf(64);
        int groups = 0;
        for (int k = 0; k < localTypes.size(); ) {
            int j = k;
            while (j < localTypes.size() && Arrays.equals(localTypes.get(j), localTypes.get(k))) {
                j++;
            }
            runs.u32(j - k).bytes(localTypes.get(k));
            groups++;
            k = j;
        }
        ByteBuf body = new ByteBuf(64);
        body.u32(groups).bytes(runs);
        instrs();
        if (t.peek() != Tokens.RPAR) {
            throw t.unexpected();
        }
        out.u8(0x0B);
        body.bytes(out);
        return body.toArray();
    }

    /** Instructions up to the closing parenthesis (not consumed), with the final {@code end}. */
    byte[] constExpr() {
        instrs();
        if (t.peek() != Tokens.RPAR) {
            throw t.unexpected();
        }
        out.u8(0x0B);
        return out.toArray();
    }

    /** One folded instruction as a whole constant expression (offset and element abbreviations). */
    byte[] foldedConstExpr() {
        folded();
        out.u8(0x0B);
        return out.toArray();
    }

    private void instrs() {
        while (true) {
            int k = t.peek();
            if (k == Tokens.LPAR) {
                folded();
            } else if (k == Tokens.KEYWORD) {
                switch (t.text(t.pos)) {
                    case "end": case "else": case "catch": case "catch_all": case "delegate":
                        return;
                    default:
                        plain();
                }
            } else if (k == Tokens.RPAR || k == Tokens.EOF) {
                return;
            } else {
                throw t.unexpected();
            }
        }
    }

    private Instr instruction(int tok) {
        if (t.kind(tok) != Tokens.KEYWORD) {
            throw t.unexpected(tok);
        }
        Instr ins = Instructions.get(t.text(tok));
        if (ins == null) {
            throw t.unexpected(tok);
        }
        return ins;
    }

    private void push(String label) {
        if (depth == labels.length) {
            labels = Arrays.copyOf(labels, depth * 2);
        }
        labels[depth++] = label;
    }

    /** The end of the innermost block: its {@code end} opcode, and its label out of scope. */
    private void endBlock() {
        out.u8(0x0B);
        depth--;
    }

    /** A {@code try_table}'s label, block type and catch clauses, then its body up to its end; returns the label. */
    private String tryTable() {
        String label = t.optId();
        byte[] bt = blockType();
        byte[] catches = catchClauses();
        out.u8(0x1F).bytes(bt).bytes(catches);
        push(label);
        instrs();
        return label;
    }

    /** {@code table.copy}'s or {@code memory.copy}'s destination and source in {@code space}; both 0 when omitted. */
    private void copyIndices(Space space) {
        if (Space.atRef(t)) {
            out.u32(space.resolve(t)).u32(space.resolve(t));
        } else {
            out.u8(0).u8(0);
        }
    }

    private void endLabel(String label) {
        if (t.peekId()) {
            if (label == null || !label.equals(t.text(t.pos))) {
                throw t.error(t.pos, "mismatching label");
            }
            t.pos++;
        }
    }

    private void plain() {
        int tok = t.pos;
        Instr ins = instruction(tok);
        t.pos++;
        switch (ins.imm()) {
            case BLOCK: {
                String label = t.optId();
                byte[] bt = blockType();
                ins.writeOpcode(out);
                out.bytes(bt);
                push(label);
                instrs();
                if (ins.code() == 0x04 && t.isKeyword("else")) {
                    t.pos++;
                    endLabel(label);
                    out.u8(0x05);
                    instrs();
                }
                t.expectKeyword("end");
                endLabel(label);
                endBlock();
                break;
            }
            case TRY: {
                String label = t.optId();
                byte[] bt = blockType();
                out.u8(0x06).bytes(bt);
                push(label);
                instrs();
                boolean caught = false;
                while (true) {
                    if (t.isKeyword("catch")) {
                        t.pos++;
                        out.u8(0x07).u32(m.tags.resolve(t));
                        instrs();
                        caught = true;
                    } else if (t.isKeyword("catch_all")) {
                        t.pos++;
                        out.u8(0x19);
                        instrs();
                        caught = true;
                    } else {
                        break;
                    }
                }
                if (t.isKeyword("delegate") && !caught) {
                    t.pos++;
                    depth--;
                    out.u8(0x18).u32(labelIndex());
                    break;
                }
                t.expectKeyword("end");
                endLabel(label);
                endBlock();
                break;
            }
            case TRY_TABLE: {
                String label = tryTable();
                t.expectKeyword("end");
                endLabel(label);
                endBlock();
                break;
            }
            case ELSE: case END: case CATCH: case CATCH_ALL: case DELEGATE:
                throw t.unexpected(tok);
            default:
                immediates(ins);
        }
    }

    private void folded() {
        t.expect(Tokens.LPAR);
        int tok = t.pos;
        Instr ins = instruction(tok);
        t.pos++;
        switch (ins.imm()) {
            case BLOCK: {
                String label = t.optId();
                byte[] bt = blockType();
                if (ins.code() == 0x04) {
                    while (t.peek() == Tokens.LPAR && !t.atForm("then")) {
                        folded();
                    }
                    out.u8(0x04).bytes(bt);
                    push(label);
                    t.openForm("then");
                    instrs();
                    t.close();
                    if (t.atForm("else")) {
                        t.pos += 2;
                        out.u8(0x05);
                        instrs();
                        t.close();
                    }
                } else {
                    ins.writeOpcode(out);
                    out.bytes(bt);
                    push(label);
                    instrs();
                }
                t.close();
                endBlock();
                break;
            }
            case TRY: {
                String label = t.optId();
                byte[] bt = blockType();
                out.u8(0x06).bytes(bt);
                push(label);
                t.openForm("do");
                instrs();
                t.close();
                boolean caught = t.atForm("catch") || t.atForm("catch_all");
                while (t.atForm("catch")) {
                    t.pos += 2;
                    out.u8(0x07).u32(m.tags.resolve(t));
                    instrs();
                    t.close();
                }
                if (t.atForm("catch_all")) {
                    t.pos += 2;
                    out.u8(0x19);
                    instrs();
                    t.close();
                }
                if (t.atForm("delegate") && !caught) {
                    t.pos += 2;
                    depth--;
                    out.u8(0x18).u32(labelIndex());
                    t.close();
                    t.close();
                    break;
                }
                t.close();
                endBlock();
                break;
            }
            case TRY_TABLE:
                tryTable();
                t.close();
                endBlock();
                break;
            case ELSE: case END: case CATCH: case CATCH_ALL: case DELEGATE:
                throw t.unexpected(tok);
            default: {
                ByteBuf operands = out;
                out = new ByteBuf(16);
                immediates(ins);
                ByteBuf self = out;
                out = operands;
                while (t.peek() == Tokens.LPAR) {
                    folded();
                }
                t.close();
                out.bytes(self);
            }
        }
    }

    /** {@code (type x)? (param t*)* (result t*)*}: the empty type, one value type, or a type index. */
    private byte[] blockType() {
        ByteBuf b = new ByteBuf(8);
        if (t.atForm("type")) {
            // Like wabt, a type whose signature has a short form is written in the short form:
            // only the signature of a block type matters.
            int idx = m.types.typeUse(false).index();
            TypeDef d = m.types.get(idx);
            if (d != null && d.kind == TypeDef.FUNC && d.params.length == 0 && d.results.length <= 1) {
                return d.results.length == 0 ? TypeParser.single(0x40) : d.results[0];
            }
            return b.s64(idx & 0xFFFFFFFFL).toArray();
        }
        List<byte[]> params = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();
        m.types.params(params, null, false);
        m.types.results(results);
        if (params.isEmpty() && results.size() <= 1) {
            return results.isEmpty() ? TypeParser.single(0x40) : results.get(0);
        }
        int idx = m.types.implicitFuncType(params.toArray(new byte[0][]), results.toArray(new byte[0][]));
        return b.s64(idx).toArray();
    }

    /** The catch clauses of {@code try_table}, labels resolved outside the block. */
    private byte[] catchClauses() {
        ByteBuf b = new ByteBuf(16);
        int n = 0;
        while (t.peek() == Tokens.LPAR) {
            String head = t.formHead();
            if (head == null) {
                break;
            }
            int kind;
            switch (head) {
                case "catch": kind = 0; break;
                case "catch_ref": kind = 1; break;
                case "catch_all": kind = 2; break;
                case "catch_all_ref": kind = 3; break;
                default: kind = -1;
            }
            if (kind < 0) {
                break;
            }
            t.pos += 2;
            b.u8(kind);
            if (kind < 2) {
                b.u32(m.tags.resolve(t));
            }
            b.u32(labelIndex());
            t.close();
            n++;
        }
        ByteBuf out = new ByteBuf(b.size() + 2);
        return out.u32(n).bytes(b).toArray();
    }

    private int labelIndex() {
        if (t.peekId()) {
            String id = t.text(t.pos);
            for (int k = depth - 1; k >= 0; k--) {
                if (id.equals(labels[k])) {
                    t.pos++;
                    return depth - 1 - k;
                }
            }
            throw t.error(t.pos, "unknown label");
        }
        return Space.nat32(t);
    }

    private void immediates(Instr ins) {
        switch (ins.imm()) {
            case SELECT: select(); return;
            case REF_TEST: refTest(ins); return;
            case BR_ON_CAST: brOnCast(ins); return;
            default: break;
        }
        ins.writeOpcode(out);
        switch (ins.imm()) {
            case NONE:
                break;
            case LABEL:
                out.u32(labelIndex());
                break;
            case BR_TABLE: {
                List<Integer> targets = new ArrayList<>();
                while (Space.atRef(t)) {
                    targets.add(labelIndex());
                }
                if (targets.isEmpty()) {
                    throw t.unexpected();
                }
                out.u32(targets.size() - 1);
                for (int target : targets) {
                    out.u32(target);
                }
                break;
            }
            case FUNC: out.u32(m.funcs.resolve(t)); break;
            case CALL_INDIRECT: {
                int table = Space.atRef(t) ? m.tables.resolve(t) : 0;
                out.u32(m.types.typeUse(false).index()).u32(table);
                break;
            }
            case TYPE: out.u32(m.typeSpace.resolve(t)); break;
            case LOCAL: out.u32(locals.resolve(t)); break;
            case GLOBAL: out.u32(m.globals.resolve(t)); break;
            case TAG: out.u32(m.tags.resolve(t)); break;
            case ELEM: out.u32(m.elems.resolve(t)); break;
            case DATA:
                m.usesDataIndex |= inFunction;
                out.u32(m.datas.resolve(t));
                break;
            case TABLE: out.u32(Space.atRef(t) ? m.tables.resolve(t) : 0); break;
            case MEM: out.u32(Space.atRef(t) ? m.memories.resolve(t) : 0); break;
            case TABLE_INIT: {
                int table = 0;
                if (Space.atRef(t) && atRefAhead()) {
                    table = m.tables.resolve(t);
                }
                out.u32(m.elems.resolve(t)).u32(table);
                break;
            }
            case MEMORY_INIT: {
                m.usesDataIndex |= inFunction;
                int memory = 0;
                if (Space.atRef(t) && atRefAhead()) {
                    memory = m.memories.resolve(t);
                }
                out.u32(m.datas.resolve(t)).u32(memory);
                break;
            }
            case TABLE_COPY: copyIndices(m.tables); break;
            case MEMORY_COPY: copyIndices(m.memories); break;
            case MEMARG: memarg(ins, false); break;
            case MEMARG_LANE: memarg(ins, true); break;
            case I32: out.s64((int) integer(32)); break;
            case I64: out.s64(integer(64)); break;
            case F32: out.f32((int) floatBits(true)); break;
            case F64: out.f64(floatBits(false)); break;
            case V128: Simd.v128Const(t, out); break;
            case REF_NULL: types.heapType(out); break;
            case LANE: out.u8(Simd.laneIndex(t)); break;
            case SHUFFLE: Simd.shuffleLanes(t, out); break;
            case FIELD: {
                int type = m.typeSpace.resolve(t);
                out.u32(type).u32(fieldIndex(type));
                break;
            }
            case ARRAY_FIXED: out.u32(m.typeSpace.resolve(t)).u32(Space.nat32(t)); break;
            case TYPE_DATA:
                m.usesDataIndex |= inFunction;
                out.u32(m.typeSpace.resolve(t)).u32(m.datas.resolve(t));
                break;
            case TYPE_ELEM: out.u32(m.typeSpace.resolve(t)).u32(m.elems.resolve(t)); break;
            case TYPE_TYPE: out.u32(m.typeSpace.resolve(t)).u32(m.typeSpace.resolve(t)); break;
            default:
                throw new IllegalStateException("immediates of " + ins.name());
        }
    }

    private boolean atRefAhead() {
        int k = t.peek(1);
        return k == Tokens.ID || k == Tokens.NUM;
    }

    private int fieldIndex(int type) {
        if (t.peekId()) {
            TypeDef d = m.types.get(type);
            if (d == null || d.fieldNames == null) {
                throw t.error(t.pos, "unknown field $" + t.text(t.pos));
            }
            return d.fieldNames.resolve(t);
        }
        return Space.nat32(t);
    }

    private void select() {
        List<byte[]> results = new ArrayList<>();
        boolean typed = t.atForm("result");
        m.types.results(results);
        if (!typed) {
            out.u8(0x1B);
            return;
        }
        out.u8(0x1C).u32(results.size());
        for (byte[] r : results) {
            out.bytes(r);
        }
    }

    private void refTest(Instr ins) {
        boolean nullable = types.refTypeNullable();
        byte[] rt = types.refType();
        out.u8(ins.prefix()).u32(ins.code() + (nullable ? 1 : 0));
        heapTypeOf(rt);
    }

    /** Writes the heap type of an encoded reference type. */
    private void heapTypeOf(byte[] rt) {
        if (rt.length == 1) {
            out.u8(rt[0]);
        } else {
            out.bytes(rt, 1, rt.length - 1);
        }
    }

    private void brOnCast(Instr ins) {
        int label = labelIndex();
        boolean n1 = types.refTypeNullable();
        byte[] rt1 = types.refType();
        boolean n2 = types.refTypeNullable();
        byte[] rt2 = types.refType();
        out.u8(ins.prefix()).u32(ins.code()).u8((n1 ? 1 : 0) | (n2 ? 2 : 0)).u32(label);
        heapTypeOf(rt1);
        heapTypeOf(rt2);
    }

    private void memarg(Instr ins, boolean lane) {
        int memory = 0;
        if (t.peekId()) {
            memory = m.memories.resolve(t);
        } else if (t.peek() == Tokens.NUM && (!lane || t.peek(1) == Tokens.NUM || isMemargKeyword(1))) {
            memory = m.memories.resolve(t);
        }
        long offset = 0;
        if (t.peek() == Tokens.KEYWORD && t.text(t.pos).startsWith("offset=")) {
            BigInteger v = Numbers.nat(t.text(t.pos).substring(7));
            if (v == null) {
                throw t.error(t.pos, "unknown operator " + t.text(t.pos));
            }
            if (v.bitLength() > 64) {
                throw t.error(t.pos, "constant out of range");
            }
            if (v.bitLength() > 32 && !t.features.memory64()) {
                throw t.error(t.pos, "i32 constant"); // 2.0: offsets are u32
            }
            offset = v.longValue();
            t.pos++;
        }
        int alignLog2 = Integer.numberOfTrailingZeros(ins.naturalAlign());
        if (t.peek() == Tokens.KEYWORD && t.text(t.pos).startsWith("align=")) {
            BigInteger v = Numbers.nat(t.text(t.pos).substring(6));
            if (v == null) {
                throw t.error(t.pos, "unknown operator " + t.text(t.pos));
            }
            if (v.signum() == 0 || v.bitCount() != 1 || v.bitLength() > 64) {
                throw t.error(t.pos, "alignment must be a power of two");
            }
            alignLog2 = v.bitLength() - 1;
            t.pos++;
        }
        int flags = alignLog2;
        if (memory != 0) {
            out.u32(flags | 0x40).u32(memory);
        } else {
            out.u32(flags);
        }
        out.u64(offset);
        if (lane) {
            out.u8(Simd.laneIndex(t));
        }
    }

    private boolean isMemargKeyword(int ahead) {
        return t.peek(ahead) == Tokens.KEYWORD
                && (t.text(t.pos + ahead).startsWith("offset=") || t.text(t.pos + ahead).startsWith("align="));
    }

    private long integer(int bits) {
        int tok = t.pos;
        if (t.peek() != Tokens.NUM) {
            throw t.unexpected();
        }
        Long v;
        try {
            v = Numbers.integer(t.text(tok), bits);
        } catch (Numbers.OutOfRange e) {
            throw t.error(tok, "constant out of range");
        }
        if (v == null) {
            throw Space.numberError(t, tok);
        }
        t.pos++;
        return v;
    }

    /** A float literal's bits ({@code f32} in the low 32 bits). */
    private long floatBits(boolean single) {
        int tok = floatToken();
        try {
            Long v = Numbers.floatBits(t.text(tok), single);
            if (v == null) {
                throw t.kind(tok) == Tokens.NUM ? Space.numberError(t, tok) : t.unexpected(tok);
            }
            t.pos++;
            return v;
        } catch (Numbers.OutOfRange e) {
            throw t.error(tok, "constant out of range");
        }
    }

    private int floatToken() {
        int k = t.peek();
        if (k != Tokens.NUM && !(k == Tokens.KEYWORD && isFloatKeyword(t.text(t.pos)))) {
            throw t.unexpected();
        }
        return t.pos;
    }

    static boolean isFloatKeyword(String w) {
        return w.equals("inf") || w.equals("nan") || w.startsWith("nan:");
    }
}
