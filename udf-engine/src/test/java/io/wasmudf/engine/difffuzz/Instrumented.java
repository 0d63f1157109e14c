package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module made observable from outside, identically for V8 and the engine: its memory is also
 * exported as {@code __diff_mem}, and a function {@code __diff_globals} returning every global's
 * value (multi-value) is appended, so both sides can hash memory and read globals after each call.
 * Globals are read through a function rather than exported, because exporting a global changes
 * how the engine compiles it (a shared cell instead of a typed field) and would leave the common
 * case unfuzzed. Appending a type and a function shifts no existing index.
 */
record Instrumented(byte[] wasm, List<ValType> globalTypes, boolean hasMemory, List<Import> imports,
        List<FuncType> importTypes, Map<String, FuncType> exportTypes, List<String> exportOrder) {
    static final String HIDDEN = "__diff_";
    static final String GLOBALS = HIDDEN + "globals";
    static final String MEMORY = HIDDEN + "mem";

    /** Decodes {@code original} (it must be well-formed) and adds the observers. */
    static Instrumented of(byte[] original) {
        WasmModule m = ModuleDecoder.decode(original);
        List<ValType> globals = new ArrayList<>();
        List<FuncType> importTypes = new ArrayList<>();
        List<FuncType> functionTypes = new ArrayList<>();
        for (Import i : m.imports()) {
            if (i.desc() instanceof ImportDesc.Global g) {
                globals.add(g.type().type());
            }
            if (i.desc() instanceof ImportDesc.Func f) {
                importTypes.add(m.types().get(f.typeIndex()));
                functionTypes.add(m.types().get(f.typeIndex()));
            } else {
                importTypes.add(null);
            }
        }
        for (int t : m.functions()) {
            functionTypes.add(m.types().get(t));
        }
        m.globals().forEach(g -> globals.add(g.type().type()));
        boolean hasMemory = m.memories().size() + m.importedMemoryCount() > 0;
        Map<String, FuncType> exportTypes = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (Export e : m.exports()) {
            order.add(e.name());
            if (e.kind() == ExternKind.FUNC) {
                exportTypes.put(e.name(), functionTypes.get(e.index()));
            }
        }
        byte[] wasm = original;
        int exportsAdded = 0;
        ByteArrayOutputStream exports = new ByteArrayOutputStream();
        if (hasMemory) {
            exportEntry(exports, MEMORY, 2, 0);
            exportsAdded++;
        }
        // JavaScript cannot receive a v128: __diff_globals returns each as its two i64 halves
        List<ValType> results = new ArrayList<>();
        for (ValType t : globals) {
            if (t == ValType.V128) {
                results.add(ValType.I64);
                results.add(ValType.I64);
            } else {
                results.add(t);
            }
        }
        if (!globals.isEmpty()) {
            ByteArrayOutputStream type = new ByteArrayOutputStream();
            type.write(0x60);
            type.write(0);
            ModuleBytes.writeU32(type, results.size());
            results.forEach(t -> type.write(t.code()));
            ByteArrayOutputStream func = new ByteArrayOutputStream();
            ModuleBytes.writeU32(func, m.types().size());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(0); // no locals
            for (int i = 0; i < globals.size(); i++) {
                for (int half = 0; half < (globals.get(i) == ValType.V128 ? 2 : 1); half++) {
                    body.write(0x23);
                    ModuleBytes.writeU32(body, i);
                    if (globals.get(i) == ValType.V128) {
                        body.write(0xFD); // i64x2.extract_lane half
                        body.write(0x1D);
                        body.write(half);
                    }
                }
            }
            body.write(0x0B);
            ByteArrayOutputStream code = new ByteArrayOutputStream();
            ModuleBytes.writeU32(code, body.size());
            code.writeBytes(body.toByteArray());
            wasm = Sections.append(wasm, 1, 1, type.toByteArray());
            wasm = Sections.append(wasm, 3, 1, func.toByteArray());
            wasm = Sections.append(wasm, 10, 1, code.toByteArray());
            exportEntry(exports, GLOBALS, 0, functionTypes.size());
            exportsAdded++;
        }
        if (exportsAdded > 0) {
            wasm = Sections.append(wasm, 7, exportsAdded, exports.toByteArray());
        }
        return new Instrumented(wasm, List.copyOf(results), hasMemory, m.imports(), importTypes,
                exportTypes, List.copyOf(order));
    }

    private static void exportEntry(ByteArrayOutputStream out, String name, int kind, int index) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ModuleBytes.writeU32(out, n.length);
        out.writeBytes(n);
        out.write(kind);
        ModuleBytes.writeU32(out, index);
    }
}
