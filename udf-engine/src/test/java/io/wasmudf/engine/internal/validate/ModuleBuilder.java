package io.wasmudf.engine.internal.validate;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.DataSegment;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Global;
import io.wasmudf.engine.internal.model.GlobalType;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Limits;
import io.wasmudf.engine.internal.model.MemoryType;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.TableType;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link WasmModule} values by hand for validator tests, linking block/if/else/end the way
 * the decoder does so bodies can be written as flat instruction lists.
 */
final class ModuleBuilder {
    final List<FuncType> types = new ArrayList<>();
    final List<Import> imports = new ArrayList<>();
    final List<Integer> functions = new ArrayList<>();
    final List<TableType> tables = new ArrayList<>();
    final List<MemoryType> memories = new ArrayList<>();
    final List<Global> globals = new ArrayList<>();
    final List<Export> exports = new ArrayList<>();
    final List<ElementSegment> elements = new ArrayList<>();
    final List<FunctionBody> bodies = new ArrayList<>();
    final List<DataSegment> data = new ArrayList<>();
    int start = -1;
    int dataCount = -1;

    int type(List<ValType> params, List<ValType> results) {
        types.add(FuncType.of(params, results));
        return types.size() - 1;
    }

    ModuleBuilder memory(long min, long max) {
        memories.add(new MemoryType(new Limits(min, max)));
        return this;
    }

    ModuleBuilder table(ValType t, long min, long max) {
        tables.add(new TableType(t, new Limits(min, max)));
        return this;
    }

    ModuleBuilder importGlobal(ValType t, boolean mutable) {
        imports.add(new Import("env", "g" + imports.size(), new ImportDesc.Global(new GlobalType(t, mutable))));
        return this;
    }

    ModuleBuilder global(ValType t, boolean mutable, Instruction... init) {
        globals.add(new Global(new GlobalType(t, mutable), List.of(init)));
        return this;
    }

    ModuleBuilder export(String name, ExternKind kind, int index) {
        exports.add(new Export(name, kind, index));
        return this;
    }

    /** Adds a function with the given signature, locals and body (the final {@code end} is appended). */
    ModuleBuilder func(List<ValType> params, List<ValType> results, List<ValType> locals, Instruction... body) {
        functions.add(type(params, results));
        List<Instruction> code = new ArrayList<>(Arrays.asList(body));
        code.add(op(Opcodes.END));
        bodies.add(new FunctionBody(locals, link(code), 0));
        return this;
    }

    ModuleBuilder func(List<ValType> params, List<ValType> results, Instruction... body) {
        return func(params, results, List.of(), body);
    }

    WasmModule build() {
        return new WasmModule(types, imports, functions.stream().mapToInt(Integer::intValue).toArray(), tables,
                memories, globals, exports, start, elements, dataCount, bodies, data, Map.of());
    }

    /** Fills in the end/else indices of structured instructions as the decoder would. */
    static List<Instruction> link(List<Instruction> code) {
        List<Instruction> out = new ArrayList<>(code);
        int[] open = new int[code.size()];
        int depth = 0;
        for (int i = 0; i < out.size(); i++) {
            Instruction ins = out.get(i);
            switch (ins.opcode()) {
                case Opcodes.BLOCK, Opcodes.LOOP, Opcodes.IF -> open[depth++] = i;
                case Opcodes.ELSE -> out.get(open[depth - 1]).labels()[0] = i;
                case Opcodes.END -> {
                    if (depth > 0) {
                        int h = open[--depth];
                        Instruction head = out.get(h);
                        out.set(h, new Instruction(head.opcode(), head.a(), head.b(), i, head.labels()));
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    static Instruction op(int opcode) {
        return Instruction.of(opcode);
    }

    static Instruction op(int opcode, int a) {
        return new Instruction(opcode, a, 0, 0, null);
    }

    static Instruction op(int opcode, int a, int b) {
        return new Instruction(opcode, a, b, 0, null);
    }

    static Instruction i32(int v) {
        return new Instruction(Opcodes.I32_CONST, 0, 0, v, null);
    }

    static Instruction i64(long v) {
        return new Instruction(Opcodes.I64_CONST, 0, 0, v, null);
    }

    static Instruction f32() {
        return new Instruction(Opcodes.F32_CONST, 0, 0, 0, null);
    }

    static Instruction block(int opcode, int blockType) {
        return new Instruction(opcode, blockType, 0, 0, opcode == Opcodes.IF ? new int[] {-1} : null);
    }

    static Instruction blockValue(int opcode, ValType result) {
        return new Instruction(opcode, Instruction.BLOCK_VALUE, result.code(), 0,
                opcode == Opcodes.IF ? new int[] {-1} : null);
    }

    static Instruction brTable(int defaultLabel, int... targets) {
        return new Instruction(Opcodes.BR_TABLE, defaultLabel, 0, 0, targets);
    }

    static Instruction selectT(ValType... types) {
        int[] codes = new int[types.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = types[i].code();
        }
        return new Instruction(Opcodes.SELECT_T, 0, 0, 0, codes);
    }

    static Instruction memArg(int opcode, int align) {
        return new Instruction(opcode, align, 0, 0, null);
    }
}
