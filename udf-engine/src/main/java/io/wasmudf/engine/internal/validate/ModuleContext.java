package io.wasmudf.engine.internal.validate;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.internal.model.DataSegment;
import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.Global;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.TableType;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The validation context C of the spec: every index space of the module flattened into arrays of
 * type codes (see {@link ValueTypes}), so that body validation never boxes or searches.
 */
final class ModuleContext {
    static final int[] NO_TYPES = new int[0];

    final WasmModule module;
    /** Subtyping over the module's defined types. */
    final TypeRelations relations;
    /** Per type index: parameter and result type codes. */
    final int[][] typeParams;
    final int[][] typeResults;
    /** Per function index (imports first): its type index. */
    final int[] funcTypes;
    final int importedFunctions;
    /** Per table index: element type code. */
    final int[] tableTypes;
    final int memoryCount;
    /** Per memory and per table index: whether it is indexed by i64 (memory64/table64). */
    final boolean[] memory64;
    final boolean[] table64;
    /** Per global index (imports first): value type code and mutability. */
    final int[] globalTypes;
    final boolean[] globalMutable;
    final int importedGlobals;
    /** Per element segment: element type code. */
    final int[] elemTypes;
    /** Number of data segments that data indices in code may refer to. */
    final int dataCount;
    /** Per tag index (imports first): its (function) type index, checked to have no results. */
    final int[] tagTypes;
    /** Function indices that {@code ref.func} in code may name (C.refs). */
    final BitSet declaredFunctions;

    /**
     * Builds the context. Function-import type indices are checked here because every later
     * check needs them resolved.
     */
    ModuleContext(WasmModule m) {
        this.module = m;
        List<DefType> defs = m.defTypes() != null ? m.defTypes() : DefType.of(m.types());
        int nTypes = defs.size();
        typeParams = new int[nTypes][];
        typeResults = new int[nTypes][];
        for (int i = 0; i < nTypes; i++) {
            DefType d = defs.get(i);
            typeParams[i] = d.params().length == 0 ? NO_TYPES : d.params();
            typeResults[i] = d.results().length == 0 ? NO_TYPES : d.results();
        }
        relations = new TypeRelations(defs);

        List<Integer> funcs = new ArrayList<>();
        List<Integer> tables = new ArrayList<>();
        List<Integer> globals = new ArrayList<>();
        List<Boolean> mutables = new ArrayList<>();
        int memories = 0;
        List<Boolean> mem64 = new ArrayList<>();
        List<Boolean> tab64 = new ArrayList<>();
        List<Integer> tags = new ArrayList<>();
        for (Import imp : m.imports()) {
            ImportDesc d = imp.desc();
            if (d instanceof ImportDesc.Func f) {
                checkFuncTypeIndex(f.typeIndex(), "import " + imp.module() + "." + imp.name());
                funcs.add(f.typeIndex());
            } else if (d instanceof ImportDesc.Table t) {
                tables.add(t.type().elemCode());
                tab64.add(t.type().limits().is64());
            } else if (d instanceof ImportDesc.Memory mem) {
                memories++;
                mem64.add(mem.type().limits().is64());
            } else if (d instanceof ImportDesc.Global g) {
                globals.add(g.type().code());
                mutables.add(g.type().mutable());
            } else if (d instanceof ImportDesc.Tag t) {
                tags.add(t.typeIndex());
            }
        }
        for (int t : m.tags()) {
            tags.add(t);
        }
        tagTypes = new int[tags.size()];
        for (int i = 0; i < tagTypes.length; i++) {
            int t = tags.get(i);
            checkFuncTypeIndex(t, "tag " + i);
            if (typeResults[t].length != 0) {
                throw new InvalidModuleException("non-empty tag result type", "tag " + i + " has type " + m.types().get(t));
            }
            tagTypes[i] = t;
        }
        importedFunctions = funcs.size();
        importedGlobals = globals.size();
        int[] defined = m.functions();
        funcTypes = new int[funcs.size() + defined.length];
        for (int i = 0; i < funcs.size(); i++) {
            funcTypes[i] = funcs.get(i);
        }
        for (int i = 0; i < defined.length; i++) {
            checkFuncTypeIndex(defined[i], "function " + (importedFunctions + i));
            funcTypes[importedFunctions + i] = defined[i];
        }
        for (TableType t : m.tables()) {
            tables.add(t.elemCode());
            tab64.add(t.limits().is64());
        }
        for (var mem : m.memories()) {
            mem64.add(mem.limits().is64());
        }
        memory64 = flags(mem64);
        table64 = flags(tab64);
        tableTypes = tables.stream().mapToInt(Integer::intValue).toArray();
        memoryCount = memories + m.memories().size();
        for (Global g : m.globals()) {
            globals.add(g.type().code());
            mutables.add(g.type().mutable());
        }
        globalTypes = globals.stream().mapToInt(Integer::intValue).toArray();
        globalMutable = new boolean[mutables.size()];
        for (int i = 0; i < globalMutable.length; i++) {
            globalMutable[i] = mutables.get(i);
        }
        elemTypes = new int[m.elements().size()];
        for (int i = 0; i < elemTypes.length; i++) {
            elemTypes[i] = m.elements().get(i).typeCode();
        }
        dataCount = m.dataCount() >= 0 ? m.dataCount() : m.data().size();
        declaredFunctions = collectDeclaredFunctions(m);
    }

    int functionCount() {
        return funcTypes.length;
    }

    private static boolean[] flags(List<Boolean> list) {
        boolean[] a = new boolean[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    void checkTypeIndex(int index, String where) {
        if (index < 0 || index >= typeParams.length) {
            throw new InvalidModuleException("unknown type " + Integer.toUnsignedString(index), where);
        }
    }

    /** A function's type index names a function type. */
    void checkFuncTypeIndex(int index, String where) {
        checkTypeIndex(index, where);
        if (!relations.isFunc(index)) {
            throw new InvalidModuleException("unknown function type " + index, where + ": type " + index + " is not a function type");
        }
    }

    /** A value type's concrete heap type, if any, names a defined type. */
    void checkValType(int code, String where) {
        if (io.wasmudf.engine.internal.model.TypeCode.isConcrete(code)) {
            checkTypeIndex(io.wasmudf.engine.internal.model.TypeCode.typeIndex(code), where);
        }
    }

    /**
     * C.refs: the function indices occurring anywhere in the module outside function bodies and
     * the start section (exports, element segments, global initialisers, segment offsets).
     */
    private static BitSet collectDeclaredFunctions(WasmModule m) {
        BitSet refs = new BitSet();
        for (Export e : m.exports()) {
            if (e.kind() == ExternKind.FUNC && e.index() >= 0) {
                refs.set(e.index());
            }
        }
        for (Global g : m.globals()) {
            addRefs(g.init(), refs);
        }
        for (ElementSegment e : m.elements()) {
            if (e.offset() != null) {
                addRefs(e.offset(), refs);
            }
            for (List<Instruction> init : e.init()) {
                addRefs(init, refs);
            }
        }
        for (DataSegment d : m.data()) {
            if (d.offset() != null) {
                addRefs(d.offset(), refs);
            }
        }
        return refs;
    }

    private static void addRefs(List<Instruction> expr, BitSet refs) {
        for (Instruction i : expr) {
            if (i.opcode() == Opcodes.REF_FUNC && i.a() >= 0) {
                refs.set(i.a());
            }
        }
    }
}
