package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ExternKind;

import io.wasmudf.engine.FuncType;
import java.util.List;

/**
 * A decoded module, as the binary format describes it. Index spaces put imports first:
 * function index {@code i} is an import when {@code i < importedFunctionCount()}, otherwise it is
 * {@code functions[i - importedFunctionCount()]} with body {@code bodies[i - importedFunctionCount()]}.
 * {@code dataCount} is -1 when the module has no data count section; {@code start} is -1 when
 * absent. {@code names} maps function indices to names from the "name" custom section (may be empty).
 * {@code defTypes} holds the precise (3.0) form of each type index; {@code types} its JVM-level
 * function signature (struct and array types get an empty one there). {@code tags} holds the type
 * index of each tag the module defines (imported tags come first in the tag index space).
 */
public record WasmModule(
        List<FuncType> types,
        List<Import> imports,
        int[] functions,
        List<TableType> tables,
        List<MemoryType> memories,
        List<Global> globals,
        List<Export> exports,
        int start,
        List<ElementSegment> elements,
        int dataCount,
        List<FunctionBody> bodies,
        List<DataSegment> data,
        java.util.Map<Integer, String> names,
        List<DefType> defTypes,
        int[] tags) {

    /** A module without tags: as decoded before exception handling. */
    public WasmModule(List<FuncType> types, List<Import> imports, int[] functions, List<TableType> tables,
            List<MemoryType> memories, List<Global> globals, List<Export> exports, int start,
            List<ElementSegment> elements, int dataCount, List<FunctionBody> bodies, List<DataSegment> data,
            java.util.Map<Integer, String> names, List<DefType> defTypes) {
        this(types, imports, functions, tables, memories, globals, exports, start, elements, dataCount, bodies, data,
                names, defTypes, new int[0]);
    }

    /** A module without 3.0 types: each function type its own final, plain defined type. */
    public WasmModule(List<FuncType> types, List<Import> imports, int[] functions, List<TableType> tables,
            List<MemoryType> memories, List<Global> globals, List<Export> exports, int start,
            List<ElementSegment> elements, int dataCount, List<FunctionBody> bodies, List<DataSegment> data,
            java.util.Map<Integer, String> names) {
        this(types, imports, functions, tables, memories, globals, exports, start, elements, dataCount, bodies, data,
                names, types == null ? null : DefType.of(types));
    }

    public int importedFunctionCount() {
        return count(ExternKind.FUNC);
    }

    public int importedTableCount() {
        return count(ExternKind.TABLE);
    }

    public int importedMemoryCount() {
        return count(ExternKind.MEMORY);
    }

    public int importedTagCount() {
        return count(ExternKind.TAG);
    }

    public int importedGlobalCount() {
        return count(ExternKind.GLOBAL);
    }

    private int count(ExternKind kind) {
        int n = 0;
        for (Import i : imports) {
            if (i.desc().kind() == kind) {
                n++;
            }
        }
        return n;
    }
}
