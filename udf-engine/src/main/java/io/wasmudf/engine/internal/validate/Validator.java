package io.wasmudf.engine.internal.validate;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.EngineBugException;
import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.WasmException;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.DataSegment;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.Global;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Limits;
import io.wasmudf.engine.internal.model.MemoryType;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.RefOpcodes;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.model.TypeCode;
import io.wasmudf.engine.internal.model.TableType;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.util.Parallel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a decoded module against the WebAssembly 2.0 rules. Failures throw
 * {@link InvalidModuleException} whose {@link InvalidModuleException#reason() reason} uses the
 * spec test suite's wording (as the reference interpreter does, "unknown ..." reasons end with the
 * offending index, e.g. {@code unknown memory 0}); the location and details go to the message.
 */
public final class Validator {
    /** Instructions per parallel run of {@link #checkFunctions}: below it a module validates on the caller's thread. */
    private static final int PARALLEL_INSTRUCTIONS = 32_768;
    /** Instructions per thread from which a smaller module validates on all threads (see {@link Parallel#split}). */
    private static final int PARALLEL_MIN_RUN = 2_000;

    private static final long MAX_MEMORY_PAGES = 65536;
    /** A memory64's limit: 2^48 pages, all of a 64-bit address space. */
    private static final long MAX_MEMORY64_PAGES = 1L << 48;
    private static final long MAX_TABLE_SIZE = 0xFFFF_FFFFL;

    private final WasmModule m;
    private final ModuleContext ctx;
    /** The version whose rules apply where 2.0 and 3.0 differ. */
    private final WasmFeatures features;

    private Validator(WasmModule m, WasmFeatures features) {
        this.m = m;
        this.features = features;
        this.ctx = new ModuleContext(m);
    }

    /**
     * Validates {@code module}.
     *
     * @throws InvalidModuleException when the module is not valid
     * @throws EngineBugException      when the decoder handed over a model it should never produce
     *                                 (null lists, out-of-range codes) or the validator itself failed:
     *                                 a defect of ours, never reported as an invalid module
     */
    public static void validate(WasmModule module) {
        validate(module, WasmFeatures.V3_0);
    }

    /** Validates {@code module} by the rules of {@code features}' version; throws as {@link #validate(WasmModule)}. */
    public static void validate(WasmModule module, WasmFeatures features) {
        try {
            new Validator(module, features).run();
        } catch (WasmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EngineBugException("the validator failed on a decoded module: " + e, e);
        }
    }

    private void run() {
        checkImports();
        int importedTables = ctx.tableTypes.length - m.tables().size();
        for (int i = 0; i < m.tables().size(); i++) {
            TableType t = m.tables().get(i);
            String where = "table " + (importedTables + i);
            checkTable(t, where);
            if (t.init() != null) {
                checkConst(t.init(), t.elemCode(), where + " initializer", ctx.importedGlobals);
            } else if (!TypeCode.isNullable(t.elemCode())) {
                throw new InvalidModuleException("type mismatch", where + ": a table of non-nullable "
                        + TypeCode.name(t.elemCode()) + " needs an initializer");
            }
        }
        int importedMemories = ctx.memoryCount - m.memories().size();
        if (ctx.memoryCount > 1 && !features.multiMemory()) {
            throw new InvalidModuleException("multiple memories", ctx.memoryCount + " memories (" + importedMemories + " imported)");
        }
        for (int i = 0; i < m.memories().size(); i++) {
            checkMemory(m.memories().get(i), "memory " + (importedMemories + i));
        }
        checkGlobals();
        checkElements();
        checkData();
        checkFunctions();
        checkStart();
        checkExports();
    }

    private void checkImports() {
        for (Import imp : m.imports()) {
            String where = "import " + imp.module() + "." + imp.name();
            ImportDesc d = imp.desc();
            if (d instanceof ImportDesc.Table t) {
                checkTable(t.type(), where);
            } else if (d instanceof ImportDesc.Global g) {
                ctx.checkValType(g.type().code(), where);
            } else if (d instanceof ImportDesc.Memory mem) {
                checkMemory(mem.type(), where);
            }
            // Function type indices were checked when building the context.
        }
    }

    private void checkTable(TableType t, String where) {
        ctx.checkValType(t.elemCode(), where);
        if (t.limits().is64()) {
            checkLimits(t.limits(), Long.MAX_VALUE, "table size must be at most 2^64-1", where);
        } else {
            checkLimits(t.limits(), MAX_TABLE_SIZE, "table size must be at most 2^32-1", where);
        }
    }

    private static void checkMemory(MemoryType t, String where) {
        if (t.limits().is64()) {
            checkLimits(t.limits(), MAX_MEMORY64_PAGES, "memory size must be at most 2^48 pages (256TiB)", where);
        } else {
            checkLimits(t.limits(), MAX_MEMORY_PAGES, "memory size must be at most 65536 pages (4GiB)", where);
        }
    }

    private static void checkLimits(Limits l, long range, String rangeMessage, String where) {
        if (l.min() < 0 || l.min() > range) {
            throw new InvalidModuleException(rangeMessage, where + ": minimum " + l.min());
        }
        if (l.hasMax()) {
            if (l.max() > range) {
                throw new InvalidModuleException(rangeMessage, where + ": maximum " + l.max());
            }
            if (l.min() > l.max()) {
                throw new InvalidModuleException("size minimum must not be greater than maximum",
                        where + ": " + l.min() + " > " + l.max());
            }
        }
    }

    private void checkGlobals() {
        List<Global> globals = m.globals();
        for (int i = 0; i < globals.size(); i++) {
            Global g = globals.get(i);
            ctx.checkValType(g.type().code(), "global " + (ctx.importedGlobals + i));
            // 3.0 (with GC): an initialiser may read the immutable globals before it, imported or not
            checkConst(g.init(), g.type().code(), "global " + (ctx.importedGlobals + i) + " initializer", ctx.importedGlobals + i);
        }
    }

    private void checkElements() {
        List<ElementSegment> elems = m.elements();
        for (int i = 0; i < elems.size(); i++) {
            ElementSegment e = elems.get(i);
            String where = "element segment " + i;
            if (!e.type().isReference()) {
                throw new InvalidModuleException("type mismatch", where + ": element type " + e.type() + " is not a reference type");
            }
            ctx.checkValType(e.typeCode(), where);
            for (List<Instruction> init : e.init()) {
                checkConst(init, e.typeCode(), where, ctx.globalTypes.length);
            }
            if (e.mode() == ElementSegment.Mode.ACTIVE) {
                int t = e.tableIndex();
                if (t < 0 || t >= ctx.tableTypes.length) {
                    throw new InvalidModuleException("unknown table " + Integer.toUnsignedString(t), where);
                }
                checkConst(e.offset(), ctx.table64[t] ? ValueTypes.I64 : ValueTypes.I32, where + " offset", ctx.globalTypes.length);
                if (!ctx.relations.isSubtype(e.typeCode(), ctx.tableTypes[t])) {
                    throw new InvalidModuleException("type mismatch", where + ": segment holds " + e.type()
                            + " but table " + t + " holds " + ValueTypes.name(ctx.tableTypes[t]));
                }
            }
        }
    }

    private void checkData() {
        List<DataSegment> data = m.data();
        for (int i = 0; i < data.size(); i++) {
            DataSegment d = data.get(i);
            if (d.active()) {
                String where = "data segment " + i;
                int mem = d.memoryIndex();
                if (mem < 0 || mem >= ctx.memoryCount) {
                    throw new InvalidModuleException("unknown memory " + Integer.toUnsignedString(mem), where);
                }
                checkConst(d.offset(), ctx.memory64[mem] ? ValueTypes.I64 : ValueTypes.I32, where + " offset", ctx.globalTypes.length);
            }
        }
    }

    /**
     * A constant expression: constants, {@code ref.null}, {@code ref.func}, {@code global.get} of
     * an immutable global below {@code readableGlobals} (3.0: imported ones and, after them, the
     * module's earlier ones) and the GC allocations, yielding one value of a subtype of {@code expected}.
     */
    private void checkConst(List<Instruction> expr, int expected, String where, int readableGlobals) {
        if (!features.extendedConst()) {
            // 2.0: a constant expression sees the imported globals only
            readableGlobals = Math.min(readableGlobals, ctx.importedGlobals);
        }
        boolean gc = false;
        int n = expr.size();
        if (n > 0 && expr.get(n - 1).opcode() == Opcodes.END) {
            n--; // tolerate an expression handed over with its terminating end
        }
        for (int i = 0; i < n; i++) {
            Instruction insn = expr.get(i);
            switch (insn.opcode()) {
                case Opcodes.I32_CONST, Opcodes.I64_CONST, Opcodes.F32_CONST, Opcodes.F64_CONST, SimdOpcodes.V128_CONST -> { }
                case Opcodes.REF_NULL -> ctx.checkValType(insn.a(), where);
                case Opcodes.REF_FUNC -> {
                    int f = insn.a();
                    if (f < 0 || f >= ctx.functionCount()) {
                        throw new InvalidModuleException("unknown function " + Integer.toUnsignedString(f), where);
                    }
                }
                case Opcodes.GLOBAL_GET -> {
                    int g = insn.a();
                    if (g < 0 || g >= readableGlobals) {
                        throw new InvalidModuleException("unknown global " + Integer.toUnsignedString(g), where
                                + (features.extendedConst() ? ": constant expressions may only read imported and earlier globals"
                                        : ": constant expressions may only read imported globals (WebAssembly 2.0)"));
                    }
                    if (ctx.globalMutable[g]) {
                        throw new InvalidModuleException("constant expression required",
                                where + ": global " + g + " is mutable");
                    }
                }
                case Opcodes.I32_ADD, Opcodes.I32_SUB, Opcodes.I32_MUL, Opcodes.I64_ADD, Opcodes.I64_SUB, Opcodes.I64_MUL -> {
                    if (!features.extendedConst()) {
                        throw new InvalidModuleException("constant expression required",
                                where + ": " + Opcodes.name(insn.opcode()) + " is not a constant instruction in WebAssembly 2.0");
                    }
                    gc = true; // extended constants: operands checked by the full typing below
                }
                default -> {
                    if (!isGcConstant(insn.opcode()) || !features.typedReferences()) {
                        throw new InvalidModuleException("constant expression required",
                                where + ": " + Opcodes.name(insn.opcode()) + " is not a constant instruction");
                    }
                    gc = true;
                }
            }
        }
        if (gc) {
            // GC allocations and extended-constant arithmetic nest: typed like a block that yields the one value
            new FunctionValidator(ctx).validateConst(expr.subList(0, n), expected, where);
            return;
        }
        if (n != 1) {
            throw new InvalidModuleException("type mismatch", where + ": expected one " + TypeCode.name(expected)
                    + " value but the expression produces " + n);
        }
        int actual = constType(expr.get(0));
        if (!ctx.relations.isSubtype(actual, expected)) {
            throw new InvalidModuleException("type mismatch", where + ": expected " + TypeCode.name(expected) + " but found "
                    + ValueTypes.name(actual));
        }
    }

    /** The GC instructions allowed in constant expressions (3.0): allocations, i31 and the extern conversions. */
    static boolean isGcConstant(int op) {
        return op == RefOpcodes.STRUCT_NEW || op == RefOpcodes.STRUCT_NEW_DEFAULT || op == RefOpcodes.ARRAY_NEW
                || op == RefOpcodes.ARRAY_NEW_DEFAULT || op == RefOpcodes.ARRAY_NEW_FIXED || op == RefOpcodes.REF_I31
                || op == RefOpcodes.ANY_CONVERT_EXTERN || op == RefOpcodes.EXTERN_CONVERT_ANY;
    }

    private int constType(Instruction insn) {
        return switch (insn.opcode()) {
            case Opcodes.I32_CONST -> ValueTypes.I32;
            case Opcodes.I64_CONST -> ValueTypes.I64;
            case Opcodes.F32_CONST -> ValueTypes.F32;
            case Opcodes.F64_CONST -> ValueTypes.F64;
            case Opcodes.REF_NULL -> insn.a();
            case SimdOpcodes.V128_CONST -> ValueTypes.V128;
            case Opcodes.REF_FUNC -> TypeCode.concrete(false, ctx.funcTypes[insn.a()]);
            default -> ctx.globalTypes[insn.a()]; // global.get, checked above
        };
    }

    private void checkFunctions() {
        int defined = m.functions().length;
        if (m.bodies().size() != defined) {
            throw new InvalidModuleException("type mismatch", defined + " functions declared but "
                    + m.bodies().size() + " bodies present");
        }
        // runs of functions in parallel, each with its own validator; the first invalid function
        // by index is the one reported, as when validating in order
        List<int[]> runs = Parallel.split(defined, i -> m.bodies().get(i).code().size(), PARALLEL_INSTRUCTIONS, PARALLEL_MIN_RUN);
        Parallel.map(runs.size(), r -> {
            FunctionValidator fv = new FunctionValidator(ctx);
            for (int i = runs.get(r)[0]; i < runs.get(r)[1]; i++) {
                fv.validate(ctx.importedFunctions + i, m.bodies().get(i));
            }
            return null;
        });
    }

    private void checkStart() {
        int s = m.start();
        if (s == -1) {
            return;
        }
        if (s < 0 || s >= ctx.functionCount()) {
            throw new InvalidModuleException("unknown function " + Integer.toUnsignedString(s), "start section");
        }
        int type = ctx.funcTypes[s];
        if (ctx.typeParams[type].length != 0 || ctx.typeResults[type].length != 0) {
            throw new InvalidModuleException("start function", "function " + s + " must have type [] -> [] but has "
                    + m.types().get(type));
        }
    }

    private void checkExports() {
        Set<String> names = new HashSet<>();
        for (Export e : m.exports()) {
            String where = "export \"" + e.name() + "\"";
            int size = switch (e.kind()) {
                case FUNC -> ctx.functionCount();
                case TABLE -> ctx.tableTypes.length;
                case MEMORY -> ctx.memoryCount;
                case GLOBAL -> ctx.globalTypes.length;
                case TAG -> ctx.tagTypes.length;
            };
            if (e.index() < 0 || e.index() >= size) {
                throw new InvalidModuleException("unknown " + kindName(e.kind()) + " "
                        + Integer.toUnsignedString(e.index()), where);
            }
            if (!names.add(e.name())) {
                throw new InvalidModuleException("duplicate export name", where);
            }
        }
    }

    private static String kindName(ExternKind k) {
        return switch (k) {
            case FUNC -> "function";
            case TABLE -> "table";
            case MEMORY -> "memory";
            case GLOBAL -> "global";
            case TAG -> "tag";
        };
    }
}
