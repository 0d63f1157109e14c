package io.wasmudf.engine.internal.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The element and data segments of a text module ({@code elem} and {@code data} fields, and the
 * inline ones of {@code table} and {@code memory}) for {@link ModuleParser}: parsed and written as
 * entries of the element and data sections.
 */
final class Segments {
    private final ModuleParser m;
    private final Tokens t;
    private final ModuleParser.Section elemSec;
    private final ModuleParser.Section dataSec;

    Segments(ModuleParser m, ModuleParser.Section elemSec, ModuleParser.Section dataSec) {
        this.m = m;
        this.t = m.t;
        this.elemSec = elemSec;
        this.dataSec = dataSec;
    }

    /** An element list: function indices, or constant expressions (each ending in {@code end}). */
    record ElemList(byte[] refType, int[] funcIndices, List<byte[]> exprs) {
        int size() {
            return funcIndices != null ? funcIndices.length : exprs.size();
        }
    }

    /**
     * {@code func x*}, {@code reftype expr*}, or (where {@code legacyFuncs}) a bare list of
     * function indices; expressions are {@code (item instr*)} or one folded instruction.
     */
    ElemList elemList(boolean legacyFuncs) {
        if (t.tryKeyword("func") || (legacyFuncs && !m.typeParser.atValType())) {
            List<Integer> idx = new ArrayList<>();
            while (Space.atRef(t)) {
                idx.add(m.funcs.resolve(t));
            }
            return new ElemList(TypeParser.single(0x70), idx.stream().mapToInt(Integer::intValue).toArray(), null);
        }
        return elemExprs(m.typeParser.refType());
    }

    /** Element expressions of the given reference type. */
    ElemList elemExprs(byte[] refType) {
        List<byte[]> exprs = new ArrayList<>();
        while (t.peek() == Tokens.LPAR) {
            CodeParser code = new CodeParser(m);
            if (t.atForm("item")) {
                t.pos += 2;
                exprs.add(code.constExpr());
                t.close();
            } else {
                exprs.add(code.foldedConstExpr());
            }
        }
        return new ElemList(refType, null, exprs);
    }

    void elemField() {
        t.optId();
        int mode = 1; // 0 active, 1 passive, 2 declarative
        int table = 0;
        byte[] offset = null;
        if (t.tryKeyword("declare")) {
            mode = 2;
        } else {
            if (t.atForm("table")) {
                t.pos += 2;
                table = m.tables.resolve(t);
                t.close();
                mode = 0;
            } else if (Space.atRef(t)) {
                table = m.tables.resolve(t);
                mode = 0;
            }
            if (t.peek() == Tokens.LPAR && (t.atForm("offset") || isInstructionForm())) {
                offset = offsetExpr();
                mode = 0;
            } else if (mode == 0) {
                throw t.unexpected();
            }
        }
        ElemList list = elemList(mode == 0 && !t.isKeyword("func"));
        t.close();
        writeElem(mode, table, offset, list.refType(), list);
    }

    private boolean isInstructionForm() {
        String head = t.formHead();
        return head != null && Instructions.get(head) != null;
    }

    /** {@code (offset instr*)} or one folded instruction, as a constant expression. */
    private byte[] offsetExpr() {
        CodeParser code = new CodeParser(m);
        if (t.atForm("offset")) {
            t.pos += 2;
            byte[] e = code.constExpr();
            t.close();
            return e;
        }
        return code.foldedConstExpr();
    }

    void writeElem(int mode, int table, byte[] offset, byte[] refType, ElemList list) {
        boolean funcref = refType.length == 1 && refType[0] == 0x70;
        int[] indices = list.funcIndices();
        if (indices != null && !funcref) {
            List<byte[]> exprs = new ArrayList<>();
            for (int i : indices) {
                exprs.add(new ByteBuf(8).u8(0xD2).u32(i).u8(0x0B).toArray());
            }
            list = new ElemList(refType, null, exprs);
            indices = null;
        }
        // ref.func-only funcref expressions become an index list as wabt writes them, unless the
        // module spells typed references: 3.0 types an index list (ref func), not funcref, which
        // only a module with non-nullable or concrete reference types can tell apart
        if (indices == null && funcref && !m.typedRefs) {
            indices = refFuncIndices(list.exprs());
        }
        boolean exprs = indices == null;
        int flags;
        if (mode == 1) {
            flags = 1;
        } else if (mode == 2) {
            flags = 3;
        } else {
            flags = table != 0 || (exprs && !funcref) ? 2 : 0;
        }
        if (exprs) {
            flags |= 4;
        }
        ByteBuf b = elemSec.buf;
        b.u8(flags);
        if ((flags & 3) == 2) {
            b.u32(table);
        }
        if (mode == 0) {
            b.bytes(offset);
        }
        if ((flags & 3) != 0) {
            if (exprs) {
                b.bytes(refType);
            } else {
                b.u8(0x00);
            }
        }
        if (exprs) {
            b.u32(list.exprs().size());
            for (byte[] e : list.exprs()) {
                b.bytes(e);
            }
        } else {
            b.u32(indices.length);
            for (int i : indices) {
                b.u32(i);
            }
        }
        elemSec.count++;
    }

    /** The function indices if every expression is a single {@code ref.func}, else null. */
    private static int[] refFuncIndices(List<byte[]> exprs) {
        int[] out = new int[exprs.size()];
        for (int k = 0; k < out.length; k++) {
            byte[] e = exprs.get(k);
            if (e.length < 3 || (e[0] & 0xFF) != 0xD2) {
                return null;
            }
            long v = 0;
            int shift = 0;
            int j = 1;
            while (true) {
                int b = e[j++] & 0xFF;
                v |= (long) (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (j != e.length - 1) {
                return null;
            }
            out[k] = (int) v;
        }
        return out;
    }

    void dataField() {
        t.optId();
        int memory = 0;
        byte[] offset = null;
        boolean active = false;
        if (t.atForm("memory")) {
            t.pos += 2;
            memory = m.memories.resolve(t);
            t.close();
            active = true;
        } else if (Space.atRef(t)) {
            memory = m.memories.resolve(t);
            active = true;
        }
        if (t.peek() == Tokens.LPAR) {
            offset = offsetExpr();
            active = true;
        } else if (active) {
            throw t.unexpected();
        }
        ByteBuf bytes = new ByteBuf();
        while (t.peek() == Tokens.STRING) {
            bytes.bytes(t.string());
        }
        t.close();
        if (active) {
            writeData(memory, offset, bytes);
        } else {
            dataSec.buf.u8(1).u32(bytes.size()).bytes(bytes);
            dataSec.count++;
        }
    }

    void writeData(int memory, byte[] offset, ByteBuf bytes) {
        if (memory == 0) {
            dataSec.buf.u8(0);
        } else {
            dataSec.buf.u8(2).u32(memory);
        }
        dataSec.buf.bytes(offset).u32(bytes.size()).bytes(bytes);
        dataSec.count++;
    }
}
