package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.ByteReader.malformed;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.internal.model.DataSegment;
import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Global;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.MemoryType;
import io.wasmudf.engine.internal.model.TableType;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.util.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes a WebAssembly 2.0 binary module (SIMD included, see {@link SimdDecoder}) into a {@link WasmModule}.
 *
 * <p>Decoding is structural only: type checking, index ranges and limit ranges are left to the
 * validator, except where the spec suite classifies a problem as malformed. Errors are
 * {@link MalformedModuleException}s whose {@link MalformedModuleException#reason() reason} uses
 * the spec suite's wording. Indices of 2^31 and above are stored as
 * {@link Integer#MAX_VALUE}.
 */
public final class ModuleDecoder {
    private static final int MAGIC = 0x6D736100;
    private static final int VERSION = 1;

    private static final int CUSTOM = 0;
    private static final int TYPE = 1;
    private static final int IMPORT = 2;
    private static final int FUNCTION = 3;
    private static final int TABLE = 4;
    private static final int MEMORY = 5;
    private static final int GLOBAL = 6;
    private static final int EXPORT = 7;
    private static final int START = 8;
    private static final int ELEMENT = 9;
    private static final int CODE = 10;
    private static final int DATA = 11;
    private static final int DATA_COUNT = 12;
    /** The tag section (3.0 exception handling), ordered between memory and global. */
    private static final int TAG = 13;

    private final byte[] bytes;
    private final ByteReader r;
    private final CodeDecoder code;
    private final SegmentDecoder segments;
    /** The WebAssembly version whose encodings are accepted (limits, memargs, memory indexes). */
    private final WasmFeatures features;

    private List<FuncType> types = List.of();
    private List<DefType> defTypes = List.of();
    private final DecodedTypes families = new DecodedTypes();
    private List<Import> imports = List.of();
    private int[] functions = new int[0];
    private List<TableType> tables = List.of();
    private List<MemoryType> memories = List.of();
    private List<Global> globals = List.of();
    private List<Export> exports = List.of();
    private int start = -1;
    private List<ElementSegment> elements = List.of();
    private int dataCount = -1;
    private List<FunctionBody> bodies = List.of();
    private List<DataSegment> data = List.of();
    private Map<Integer, String> names = Map.of();
    private int[] tags = new int[0];

    /** Whether function bodies are skipped rather than decoded (see {@link #decodeWithoutCode}). */
    private boolean skipBodies;
    /** Whether bodies decoded by {@link #codeInParallel} used a data index (the sequential decoder tracks its own). */
    private boolean bodiesUseDataIndex;

    /** Code sections from this size on are decoded in parallel, in runs of about {@link #CODE_RUN_BYTES}. */
    private static final int PARALLEL_CODE_BYTES = 32 << 10;
    private static final int CODE_RUN_BYTES = 1 << 19;
    /** Bytes of code per thread from which a section under a few runs is decoded on all threads (see {@link Parallel#split}). */
    private static final int CODE_MIN_RUN_BYTES = 16 << 10;

    private ModuleDecoder(byte[] bytes, WasmFeatures features) {
        this.bytes = bytes;
        this.features = features;
        this.r = new ByteReader(bytes, 0, bytes.length, features);
        this.code = new CodeDecoder(r, families, features);
        this.segments = new SegmentDecoder(r, code, families);
    }

    /** Decodes a whole binary module with WebAssembly 3.0's encodings. */
    public static WasmModule decode(byte[] bytes) {
        return decode(bytes, WasmFeatures.V3_0);
    }

    /** Decodes a whole binary module with the encodings of {@code features}' version. */
    public static WasmModule decode(byte[] bytes, WasmFeatures features) {
        return new ModuleDecoder(bytes, features).module();
    }

    /**
     * Decodes everything but the function bodies, which come out empty (no locals, no code): for
     * bytes already decoded and validated whole once, whose compiled code exists (the engine's code
     * cache), so that only what instantiation needs is decoded. The checks that need the code are
     * not made, and the function names (for the validator's messages) are left out.
     */
    public static WasmModule decodeWithoutCode(byte[] bytes) {
        return decodeWithoutCode(bytes, WasmFeatures.V3_0);
    }

    /** {@link #decodeWithoutCode(byte[])} with the encodings of {@code features}' version. */
    public static WasmModule decodeWithoutCode(byte[] bytes, WasmFeatures features) {
        ModuleDecoder d = new ModuleDecoder(bytes, features);
        d.skipBodies = true;
        return d.module();
    }

    private WasmModule module() {
        header();
        int lastRank = 0;
        while (!r.atEnd()) {
            int at = r.pos();
            int id = r.peek();
            if (id > DATA_COUNT && !(id == TAG && features.exceptions())) {
                throw malformed("malformed section id", at);
            }
            if (id != CUSTOM) {
                int rank = rank(id);
                if (rank <= lastRank) {
                    throw malformed("unexpected content after last section", at);
                }
                lastRank = rank;
            }
            r.u8();
            section(id);
        }
        if (functions.length != bodies.size()) {
            throw malformed("function and code section have inconsistent lengths", bytes.length);
        }
        if (dataCount >= 0 && dataCount != data.size()) {
            throw malformed("data count and data section have inconsistent lengths", bytes.length);
        }
        // Without data segments every data index is unknown anyway; the suite expects the validator's
        // "unknown data segment" there (wabt omits the data count section for such modules).
        if (dataCount < 0 && (code.usesDataIndex() || bodiesUseDataIndex) && !data.isEmpty()) {
            throw malformed("data count section required", bytes.length);
        }
        return new WasmModule(types, imports, functions, tables, memories, globals, exports, start,
                elements, dataCount, bodies, data, names, defTypes, tags);
    }

    private void header() {
        if (bytes.length < 4) {
            throw malformed("unexpected end", bytes.length);
        }
        if (r.fixed32() != MAGIC) {
            throw malformed("magic header not detected", 0);
        }
        if (bytes.length < 8) {
            throw malformed("unexpected end", bytes.length);
        }
        if (r.fixed32() != VERSION) {
            throw malformed("unknown binary version", 4);
        }
    }

    /** Position of a non-custom section in the required order; data count sits between element and code. */
    private static int rank(int id) {
        switch (id) {
            case TAG: return 2 * MEMORY + 1; // between memory and global
            case DATA_COUNT: return 2 * ELEMENT + 1; // between element and code
            default: return 2 * id;
        }
    }

    private void section(int id) {
        int size = r.len();
        int begin = r.pos();
        switch (id) {
            case CUSTOM: custom(begin, size); break;
            case TYPE: typeSection(); break;
            case IMPORT: imports = vec(id); break;
            case FUNCTION: functions = indices(); break;
            case TABLE: tables = vec(id); break;
            case MEMORY: memories = vec(id); break;
            case GLOBAL: globals = vec(id); break;
            case EXPORT: exports = vec(id); break;
            case START: start = r.index(); break;
            case ELEMENT: elements = vec(id); break;
            case DATA_COUNT: dataCount = r.index(); break;
            case CODE: bodies = skipBodies || size < PARALLEL_CODE_BYTES ? vec(id) : codeInParallel(begin, size); break;
            case DATA: data = vec(id); break;
            case TAG: tags = tagSection(); break;
            default: throw new IllegalStateException("section id checked by caller: " + id);
        }
        if (r.pos() != begin + size) {
            throw malformed("section size mismatch", begin);
        }
    }

    private void custom(int begin, int size) {
        String name = r.name();
        int end = begin + size;
        if (r.pos() > end) {
            // The name ran past the section's end; the reference decoder fails the same way.
            throw malformed(ByteReader.UNEXPECTED_END, end);
        }
        if (end > bytes.length) {
            // checked before the name section is read: its decoder trusts [pos, end) to exist
            throw malformed(ByteReader.UNEXPECTED_END, bytes.length);
        }
        if (name.equals("name") && !skipBodies) {
            // function names serve the validator's messages; a module decoded without code is not validated
            names = NameSectionDecoder.functionNames(bytes, r.pos(), end);
        }
        r.skip(end - r.pos());
    }

    /**
     * The vector of entries section {@code id} holds. One switch rather than a lambda per section:
     * each lambda costs a young JVM a generated class on first use, and the code cache decodes
     * right after a restart.
     */
    @SuppressWarnings("unchecked")
    private <T> List<T> vec(int id) {
        int n = r.len();
        List<Object> list = new ArrayList<>(ByteReader.initialCapacity(n));
        for (int i = 0; i < n; i++) {
            list.add(entry(id));
        }
        return (List<T>) list;
    }

    private Object entry(int id) {
        switch (id) {
            case IMPORT: return importEntry();
            case TABLE: return table();
            case MEMORY: return TypeDecoder.memoryType(r, features);
            case GLOBAL: return new Global(TypeDecoder.globalType(r, families), code.constExpr());
            case EXPORT: return exportEntry();
            case ELEMENT: return segments.element();
            case CODE: return body();
            case DATA: return segments.data();
            default: throw new IllegalStateException("not a vector section: " + id);
        }
    }

    /** Recursion groups expand into their members: the type index space counts sub types. */
    private void typeSection() {
        int n = r.len();
        types = new ArrayList<>(ByteReader.initialCapacity(n));
        defTypes = new ArrayList<>(ByteReader.initialCapacity(n));
        for (int i = 0; i < n; i++) {
            TypeDecoder.recType(r, defTypes, types, families);
        }
    }

    /** A table: its type, or (3.0) {@code 0x40 0x00}, its type and an initialiser expression. */
    private TableType table() {
        if (r.peek() != 0x40) {
            return TypeDecoder.tableType(r, families, features);
        }
        r.u8();
        int at = r.pos();
        if (r.u8() != 0) {
            throw malformed("malformed table type", at);
        }
        TableType t = TypeDecoder.tableType(r, families, features);
        return new TableType(t.elemType(), t.limits(), t.elemCode(), code.constExpr());
    }

    /** A tag's type: an attribute byte (0, exception) and a type index. */
    private int tagType() {
        int at = r.pos();
        if (r.u8() != 0) {
            throw malformed("malformed tag attribute", at);
        }
        return r.index();
    }

    private int[] tagSection() {
        int n = r.len();
        int[] out = new int[ByteReader.initialCapacity(n)];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (k == out.length) {
                out = java.util.Arrays.copyOf(out, Math.max(4, k * 2));
            }
            out[k++] = tagType();
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private int[] indices() {
        int n = r.len();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.index();
        }
        return out;
    }

    private Import importEntry() {
        String module = r.name();
        String name = r.name();
        int at = r.pos();
        int kind = r.u8();
        ImportDesc desc;
        switch (kind) {
            case 0: desc = new ImportDesc.Func(r.index()); break;
            case 1: desc = new ImportDesc.Table(TypeDecoder.tableType(r, families, features)); break;
            case 2: desc = new ImportDesc.Memory(TypeDecoder.memoryType(r, features)); break;
            case 3: desc = new ImportDesc.Global(TypeDecoder.globalType(r, families)); break;
            case 4:
                if (!features.exceptions()) {
                    throw malformed("malformed import kind", at);
                }
                desc = new ImportDesc.Tag(tagType()); break;
            default: throw malformed("malformed import kind", at);
        }
        return new Import(module, name, desc);
    }

    private Export exportEntry() {
        String name = r.name();
        int at = r.pos();
        ExternKind kind = ExternKind.fromCode(r.u8());
        if (kind == null || kind == ExternKind.TAG && !features.exceptions()) {
            throw malformed("malformed export kind", at);
        }
        return new Export(name, kind, r.index());
    }

    /**
     * The bodies of a large code section (starting at {@code begin}), decoded in parallel runs of
     * consecutive functions, each run with its own reader and decoder: decoding was the largest
     * step of a compile left on one core (esbuild: 13 MB of code). A first pass finds where each
     * body starts from the size prefixes; should that fail, or a body not end where its size says,
     * the section is decoded in order as before, so every malformed module gets the same error. A
     * body's own error is the same in either way, and {@link Parallel#map} reports the first by index.
     */
    private List<FunctionBody> codeInParallel(int begin, int size) {
        int end = begin + size;
        int n = -1;
        int[] starts = null; // position of each body's size prefix; starts[n] = after the last body
        try {
            ByteReader scan = new ByteReader(bytes, begin, bytes.length, features);
            n = scan.len();
            starts = new int[n + 1];
            for (int i = 0; i < n; i++) {
                starts[i] = scan.pos();
                scan.skip(scan.len());
            }
            starts[n] = scan.pos();
        } catch (MalformedModuleException e) {
            starts = null;
        }
        if (starts == null || starts[n] != end) {
            return vec(CODE); // outside the try: its own error is the module's
        }
        int[] at = starts;
        int count = n;
        List<int[]> runs = Parallel.split(count, i -> at[i + 1] - at[i], CODE_RUN_BYTES, CODE_MIN_RUN_BYTES);
        List<List<FunctionBody>> decoded = Parallel.map(runs.size(), k -> {
            int from = runs.get(k)[0];
            int to = runs.get(k)[1];
            // the reader may run to the module's end, as the one reader of in-order decoding does
            ByteReader rr = new ByteReader(bytes, at[from], bytes.length, features);
            CodeDecoder cd = new CodeDecoder(rr, families, features);
            List<FunctionBody> out = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                int bodySize = rr.len();
                int bodyBegin = rr.pos();
                out.add(cd.body(bodyBegin, bodySize));
                if (rr.pos() != bodyBegin + bodySize) {
                    throw malformed("section size mismatch", bodyBegin);
                }
            }
            if (cd.usesDataIndex()) {
                synchronized (this) {
                    bodiesUseDataIndex = true;
                }
            }
            return out;
        });
        List<FunctionBody> all = new ArrayList<>(count);
        for (List<FunctionBody> run : decoded) {
            all.addAll(run);
        }
        r.skip(end - r.pos());
        return all;
    }

    private static final FunctionBody SKIPPED = new FunctionBody(List.of(), List.of(), 0);

    private FunctionBody body() {
        int size = r.len();
        int begin = r.pos();
        if (skipBodies) {
            r.skip(size);
            return SKIPPED;
        }
        FunctionBody body = code.body(begin, size);
        if (r.pos() != begin + size) {
            throw malformed("section size mismatch", begin);
        }
        return body;
    }
}
