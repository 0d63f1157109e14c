package io.wasmudf.engine.internal.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the fields of one text module into a binary module. Two passes over the tokens: the
 * first binds every name (so references may point forward) and checks that imports come first;
 * the second parses each field in order and writes its section entries, creating the implicit
 * function types of inline type uses as it meets them (appended after the explicit types, as the
 * spec says).
 */
final class ModuleParser {
    private static final String[] KIND_WORDS = {"function", "table", "memory", "global", "tag"};

    final Tokens t;
    final Space typeSpace = new Space("type");
    final Space funcs = new Space("func");
    final Space tables = new Space("table");
    final Space memories = new Space("memory");
    final Space globals = new Space("global");
    final Space tags = new Space("tag");
    final Space elems = new Space("elem");
    final Space datas = new Space("data");
    final TypeParser typeParser;
    final TypeSection types;
    private final List<Integer> fieldStarts = new ArrayList<>();
    // First kind (index into KIND_WORDS) defined before any import, or -1.
    private int firstDefinition = -1;

    private final Section importSec = new Section();
    private final Section funcSec = new Section();
    private final Section tableSec = new Section();
    private final Section memSec = new Section();
    private final Section tagSec = new Section();
    private final Section globalSec = new Section();
    private final Section exportSec = new Section();
    private final Section elemSec = new Section();
    private final Section codeSec = new Section();
    private final Section dataSec = new Section();
    private final Segments segments;
    private int start = -1;
    /** Set by code that needs the data count section (memory.init, data.drop, array.*_data). */
    boolean usesDataIndex;

    /** Entries of one section and their count. */
    static final class Section {
        final ByteBuf buf = new ByteBuf(256);
        int count;
    }

    private ModuleParser(Tokens t) {
        this.t = t;
        this.typeParser = new TypeParser(t, typeSpace);
        this.types = new TypeSection(t, typeParser, typeSpace);
        this.segments = new Segments(this, elemSec, dataSec);
    }

    /**
     * Parses module fields from the cursor up to the closing {@code )} or the end of input (the
     * cursor is left there) and returns the binary module.
     */
    static byte[] fields(Tokens t) {
        ModuleParser p = new ModuleParser(t);
        int begin = t.pos;
        p.bindNames();
        int end = t.pos;
        p.typedRefs = usesTypedRefs(t, begin, end);
        p.types.parse(p.fieldStarts);
        p.assemble();
        t.pos = end;
        if (begin > end) {
            throw new IllegalStateException();
        }
        return p.encode();
    }

    /** Whether the module writes {@code (ref ...)} types anywhere (see {@link Segments#writeElem}). */
    boolean typedRefs;

    private static boolean usesTypedRefs(Tokens t, int begin, int end) {
        for (int i = begin; i + 1 < end; i++) {
            if (t.kind(i) == Tokens.LPAR && t.kind(i + 1) == Tokens.KEYWORD && t.text(i + 1).equals("ref")) {
                return true;
            }
        }
        return false;
    }

    // ---- pass 1: names

    private void bindNames() {
        while (t.peek() == Tokens.LPAR) {
            fieldStarts.add(t.pos);
            String head = t.formHead();
            if (head == null) {
                throw t.unexpected(t.pos + 1);
            }
            int headTok = t.pos + 1;
            t.pos += 2;
            switch (head) {
                case "type":
                    typeSpace.add(t.optId(), t, headTok + 1);
                    t.skipToClose();
                    break;
                case "rec":
                    while (t.atForm("type")) {
                        t.pos += 2;
                        typeSpace.add(t.optId(), t, t.pos - 1);
                        t.skipToClose();
                    }
                    t.close();
                    break;
                case "func": definition(funcs, 0, headTok); break;
                case "table": definition(tables, 1, headTok); break;
                case "memory": definition(memories, 2, headTok); break;
                case "global": definition(globals, 3, headTok); break;
                case "tag": definition(tags, 4, headTok); break;
                case "import": importNames(headTok); break;
                case "elem":
                    elems.add(t.optId(), t, headTok + 1);
                    t.skipToClose();
                    break;
                case "data":
                    datas.add(t.optId(), t, headTok + 1);
                    t.skipToClose();
                    break;
                case "export":
                case "start":
                    t.skipToClose();
                    break;
                default:
                    throw t.unexpected(headTok);
            }
        }
    }

    private Space space(int kind) {
        switch (kind) {
            case 0: return funcs;
            case 1: return tables;
            case 2: return memories;
            case 3: return globals;
            default: return tags;
        }
    }

    private void definition(Space space, int kind, int headTok) {
        space.add(t.optId(), t, headTok + 1);
        while (t.atForm("export")) {
            t.skipItem();
        }
        if (t.atForm("import")) {
            checkImportOrder(headTok);
            t.skipItem();
        } else if (firstDefinition < 0) {
            firstDefinition = kind;
        }
        while (t.peek() != Tokens.RPAR) {
            if (kind == 2 && t.atForm("data")) {
                datas.add(null, t, t.pos);
            } else if (kind == 1 && t.atForm("elem")) {
                elems.add(null, t, t.pos);
            }
            t.skipItem();
        }
        t.pos++;
    }

    private void importNames(int headTok) {
        checkImportOrder(headTok);
        t.string();
        t.string();
        if (t.peek() != Tokens.LPAR) {
            throw t.unexpected();
        }
        String kind = t.formHead();
        int k = kindIndex(kind);
        if (k < 0) {
            throw t.unexpected(t.pos + 1);
        }
        t.pos += 2;
        space(k).add(t.optId(), t, t.pos - 1);
        t.skipToClose();
        t.close();
    }

    private static int kindIndex(String word) {
        if (word == null) {
            return -1;
        }
        switch (word) {
            case "func": return 0;
            case "table": return 1;
            case "memory": return 2;
            case "global": return 3;
            case "tag": return 4;
            default: return -1;
        }
    }

    private void checkImportOrder(int headTok) {
        if (firstDefinition >= 0) {
            String kind = firstDefinition == 0 ? "function" : KIND_WORDS[firstDefinition];
            throw t.error(headTok - 1, "import after " + kind);
        }
    }

    // ---- pass 2: fields

    private void assemble() {
        for (int fieldStart : fieldStarts) {
            t.pos = fieldStart;
            String head = t.formHead();
            t.pos += 2;
            switch (head) {
                case "func": func(); break;
                case "table": table(); break;
                case "memory": memory(); break;
                case "global": global(); break;
                case "tag": tag(); break;
                case "import": importField(); break;
                case "export": exportField(); break;
                case "start": startField(fieldStart); break;
                case "elem": segments.elemField(); break;
                case "data": segments.dataField(); break;
                default: break; // types were done in pass 1b
            }
        }
    }

    /** Inline {@code (export "name")*} of a definition of the given kind and index. */
    private void inlineExports(int kind, int index) {
        while (t.atForm("export")) {
            t.pos += 2;
            String name = t.name();
            t.close();
            exportSec.buf.name(name).u8(kind).u32(index);
            exportSec.count++;
        }
    }

    /** Inline {@code (import "m" "n")}: writes the import entry's names and returns true. */
    private boolean inlineImport() {
        if (!t.atForm("import")) {
            return false;
        }
        t.pos += 2;
        String module = t.name();
        String name = t.name();
        t.close();
        importSec.buf.name(module).name(name);
        importSec.count++;
        return true;
    }

    private void func() {
        t.optId();
        int index = funcSec.count + countImports(0);
        inlineExports(0, index);
        if (inlineImport()) {
            importSec.buf.u8(0).u32(types.typeUse(true).index());
            t.close();
            importedFuncs++;
            return;
        }
        TypeSection.TypeUse use = types.typeUse(true);
        funcSec.buf.u32(use.index());
        funcSec.count++;
        CodeParser code = new CodeParser(this);
        byte[] body = code.functionBody(use);
        codeSec.buf.u32(body.length).bytes(body);
        codeSec.count++;
        t.close();
    }

    private int importedFuncs;
    private int importedTables;
    private int importedMemories;
    private int importedGlobals;
    private int importedTags;

    private int countImports(int kind) {
        switch (kind) {
            case 0: return importedFuncs;
            case 1: return importedTables;
            case 2: return importedMemories;
            case 3: return importedGlobals;
            default: return importedTags;
        }
    }

    private void table() {
        t.optId();
        int index = tableSec.count + importedTables;
        inlineExports(1, index);
        if (inlineImport()) {
            importSec.buf.u8(1);
            tableType(importSec.buf);
            t.close();
            importedTables++;
            return;
        }
        boolean is64 = t.tryKeyword("i64");
        if (!is64) {
            t.tryKeyword("i32");
        }
        if (typeParser.atValType() && !t.isKeyword("i64")) {
            // (table reftype (elem ...)): size from the element list
            byte[] refType = typeParser.refType();
            t.openForm("elem");
            Segments.ElemList list = t.peek() == Tokens.LPAR ? segments.elemExprs(refType) : segments.elemList(true);
            list = new Segments.ElemList(refType, list.funcIndices(), list.exprs());
            t.close();
            int n = list.size();
            tableSec.buf.bytes(refType).u8(is64 ? 0x05 : 0x01).u64(n).u64(n);
            tableSec.count++;
            byte[] offset = is64 ? new byte[] {0x42, 0x00, 0x0B} : new byte[] {0x41, 0x00, 0x0B};
            segments.writeElem(0, index, offset, refType, list);
            t.close();
            return;
        }
        ByteBuf entry = new ByteBuf(16);
        byte[] refType = limitsThenRefType(entry, is64);
        if (t.peek() != Tokens.RPAR) {
            byte[] init = new CodeParser(this).constExpr();
            tableSec.buf.u8(0x40).u8(0x00).bytes(refType).bytes(entry).bytes(init);
        } else {
            tableSec.buf.bytes(refType).bytes(entry);
        }
        tableSec.count++;
        t.close();
    }

    private void tableType(ByteBuf out) {
        boolean is64 = t.tryKeyword("i64");
        if (!is64) {
            t.tryKeyword("i32");
        }
        ByteBuf limits = new ByteBuf(16);
        byte[] refType = limitsThenRefType(limits, is64);
        out.bytes(refType).bytes(limits);
    }

    private byte[] limitsThenRefType(ByteBuf limits, boolean is64) {
        limits(limits, is64);
        return typeParser.refType();
    }

    /** {@code min max? shared?} with the flags byte. */
    private void limits(ByteBuf out, boolean is64) {
        long min = limitValue();
        boolean hasMax = t.peek() == Tokens.NUM;
        long max = hasMax ? limitValue() : 0;
        boolean shared = t.tryKeyword("shared");
        if (!shared) {
            t.tryKeyword("unshared");
        }
        int flags = (hasMax ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0);
        out.u8(flags).u64(min);
        if (hasMax) {
            out.u64(max);
        }
    }

    private long limitValue() {
        // 2.0 limits are u32 in the text format too (3.0 reads u64 and leaves the range to validation)
        return t.features.memory64() ? Space.nat(t, 64, "constant out of range") : Space.nat(t, 32, "i32 constant out of range");
    }

    private void memory() {
        t.optId();
        int index = memSec.count + importedMemories;
        inlineExports(2, index);
        if (inlineImport()) {
            importSec.buf.u8(2);
            memoryType(importSec.buf);
            t.close();
            importedMemories++;
            return;
        }
        if (t.atForm("data") || ((t.isKeyword("i64") || t.isKeyword("i32")) && t.peek(1) == Tokens.LPAR
                && t.isKeyword(2, "data"))) {
            boolean is64 = t.tryKeyword("i64");
            t.tryKeyword("i32");
            t.openForm("data");
            ByteBuf bytes = new ByteBuf();
            while (t.peek() == Tokens.STRING) {
                bytes.bytes(t.string());
            }
            t.close();
            long pages = (bytes.size() + 65535L) / 65536L;
            memSec.buf.u8(is64 ? 0x05 : 0x01).u64(pages).u64(pages);
            memSec.count++;
            byte[] offset = is64 ? new byte[] {0x42, 0x00, 0x0B} : new byte[] {0x41, 0x00, 0x0B};
            segments.writeData(index, offset, bytes);
            t.close();
            return;
        }
        memoryType(memSec.buf);
        memSec.count++;
        t.close();
    }

    private void memoryType(ByteBuf out) {
        boolean is64 = t.tryKeyword("i64");
        if (!is64) {
            t.tryKeyword("i32");
        }
        ByteBuf limits = new ByteBuf(16);
        limits(limits, is64);
        if (t.atForm("pagesize")) {
            t.pos += 2;
            int size = Space.nat32(t);
            t.close();
            byte[] l = limits.toArray();
            l[0] |= 0x08;
            out.bytes(l).u32(Integer.numberOfTrailingZeros(size));
            return;
        }
        out.bytes(limits);
    }

    private void global() {
        t.optId();
        int index = globalSec.count + importedGlobals;
        inlineExports(3, index);
        if (inlineImport()) {
            importSec.buf.u8(3);
            globalType(importSec.buf);
            t.close();
            importedGlobals++;
            return;
        }
        globalType(globalSec.buf);
        globalSec.buf.bytes(new CodeParser(this).constExpr());
        globalSec.count++;
        t.close();
    }

    private void globalType(ByteBuf out) {
        if (t.atForm("mut")) {
            t.pos += 2;
            out.bytes(typeParser.valType()).u8(1);
            t.close();
        } else {
            out.bytes(typeParser.valType()).u8(0);
        }
    }

    private void tag() {
        t.optId();
        int index = tagSec.count + importedTags;
        inlineExports(4, index);
        if (inlineImport()) {
            importSec.buf.u8(4).u8(0).u32(types.typeUse(true).index());
            t.close();
            importedTags++;
            return;
        }
        tagSec.buf.u8(0).u32(types.typeUse(true).index());
        tagSec.count++;
        t.close();
    }

    private void importField() {
        String module = t.name();
        String name = t.name();
        String kind = t.formHead();
        t.pos += 2;
        t.optId();
        importSec.buf.name(module).name(name);
        importSec.count++;
        switch (kind) {
            case "func":
                importSec.buf.u8(0).u32(types.typeUse(true).index());
                importedFuncs++;
                break;
            case "table":
                importSec.buf.u8(1);
                tableType(importSec.buf);
                importedTables++;
                break;
            case "memory":
                importSec.buf.u8(2);
                memoryType(importSec.buf);
                importedMemories++;
                break;
            case "global":
                importSec.buf.u8(3);
                globalType(importSec.buf);
                importedGlobals++;
                break;
            default:
                importSec.buf.u8(4).u8(0).u32(types.typeUse(true).index());
                importedTags++;
                break;
        }
        t.close();
        t.close();
    }

    private void exportField() {
        String name = t.name();
        if (t.peek() != Tokens.LPAR) {
            throw t.unexpected();
        }
        int k = kindIndex(t.formHead());
        if (k < 0) {
            throw t.unexpected(t.pos + 1);
        }
        t.pos += 2;
        int index = space(k).resolve(t);
        t.close();
        t.close();
        exportSec.buf.name(name).u8(k).u32(index);
        exportSec.count++;
    }

    private void startField(int fieldStart) {
        if (start >= 0) {
            throw t.error(fieldStart, "multiple start sections");
        }
        start = funcs.resolve(t);
        t.close();
    }

    // ---- output

    private byte[] encode() {
        ByteBuf out = new ByteBuf(1024);
        out.bytes(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        if (types.groupCount() > 0) {
            ByteBuf b = new ByteBuf(256);
            types.encode(b);
            section(out, 1, types.groupCount(), b);
        }
        section(out, 2, importSec);
        section(out, 3, funcSec);
        section(out, 4, tableSec);
        section(out, 5, memSec);
        section(out, 13, tagSec);
        section(out, 6, globalSec);
        section(out, 7, exportSec);
        if (start >= 0) {
            ByteBuf b = new ByteBuf(8);
            b.u32(start);
            out.u8(8).sized(b);
        }
        section(out, 9, elemSec);
        if (usesDataIndex && dataSec.count > 0) {
            ByteBuf b = new ByteBuf(8);
            b.u32(dataSec.count);
            out.u8(12).sized(b);
        }
        section(out, 10, codeSec);
        section(out, 11, dataSec);
        return out.toArray();
    }

    private static void section(ByteBuf out, int id, Section s) {
        if (s.count > 0) {
            section(out, id, s.count, s.buf);
        }
    }

    private static void section(ByteBuf out, int id, int count, ByteBuf entries) {
        ByteBuf content = new ByteBuf(entries.size() + 5);
        content.u32(count).bytes(entries);
        out.u8(id).sized(content);
    }
}
