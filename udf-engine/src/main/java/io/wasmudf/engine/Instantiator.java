package io.wasmudf.engine;

import io.wasmudf.engine.internal.model.DataSegment;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Limits;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.model.TableType;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.Internals;
import io.wasmudf.engine.internal.runtime.Memories;
import io.wasmudf.engine.internal.runtime.ModuleInstance;
import io.wasmudf.engine.internal.runtime.Tables64;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Instantiation as the spec orders it: resolve imports, allocate memory, tables and globals,
 * apply active element then data segments, run the start function. Effects of segments applied
 * before a trap stay visible in imported memories and tables, as the spec requires.
 */
final class Instantiator {
    /** Largest table we allocate: a table is an Object[] of this many references at most. */
    static final int MAX_TABLE_SIZE = 10_000_000;

    private final CompiledModule compiled;
    private final WasmModule module;
    private final Imports imports;
    private final InstanceLimits limits;
    /**
     * Called with the new instance once its memory exists and before any guest code (segments'
     * effects, the start function) runs: host functions that read the caller's memory bind here.
     */
    private final java.util.function.Consumer<Instance> onCreated;

    /**
     * No callback. Named classes here rather than lambdas: instantiation runs in young JVMs (a
     * code-cache hit after a restart), where each first lambda costs a bootstrap and generated classes.
     */
    private static final java.util.function.Consumer<Instance> NOTHING = new java.util.function.Consumer<Instance>() {
        @Override
        public void accept(Instance instance) {
        }
    };

    /** Binds function instances of the module on demand ({@link CompiledModule#bind}). */
    private static final class Binder implements ModuleInstance.FunctionFactory {
        private final CompiledModule compiled;

        Binder(CompiledModule compiled) {
            this.compiled = compiled;
        }

        @Override
        public WasmFunction create(ModuleInstance instance, int functionIndex) {
            return compiled.bind(instance, functionIndex);
        }
    }

    Instantiator(CompiledModule compiled, Imports imports, InstanceLimits limits) {
        this(compiled, imports, limits, NOTHING);
    }

    Instantiator(CompiledModule compiled, Imports imports, InstanceLimits limits, java.util.function.Consumer<Instance> onCreated) {
        this.compiled = compiled;
        this.module = compiled.module();
        this.imports = imports;
        this.limits = limits;
        this.onCreated = onCreated;
    }

    Instance run() {
        compiled.checkFits(limits);
        List<WasmFunction> funcs = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        List<Memory> memories = new ArrayList<>();
        List<Global> globals = new ArrayList<>();
        List<Tag> tags = new ArrayList<>();
        for (Import imp : module.imports()) {
            Object v = imports.get(imp.module(), imp.name());
            if (v == null) {
                throw new LinkException("unknown import", imp.module(), imp.name());
            }
            ImportDesc d = imp.desc();
            if (d instanceof ImportDesc.Func f && v instanceof WasmFunction fn
                    && fn.type().equals(module.types().get(f.typeIndex()))
                    && compiled.importMatches(io.wasmudf.engine.internal.runtime.Internals.typeId(fn), funcs.size())) {
                funcs.add(fn);
            } else if (d instanceof ImportDesc.Table t && v instanceof Table tb
                    && tb.elemType() == t.type().elemType() && tb.is64() == t.type().limits().is64()
                    && tb.preciseType == compiled.canonical(t.type().elemCode())
                    && fits(tb.size(), tb.declaredMax(), t.type().limits())) {
                tables.add(tb);
            } else if (d instanceof ImportDesc.Memory m && v instanceof Memory mem && mem.is64() == m.type().limits().is64()
                    && fits(mem.pages(), mem.declaredMax(), m.type().limits())) {
                memories.add(mem);
            } else if (d instanceof ImportDesc.Tag t && v instanceof Tag tag
                    && tag.typeId == compiled.canonical(io.wasmudf.engine.internal.model.TypeCode.concrete(false, t.typeIndex()))) {
                tags.add(tag);
            } else if (d instanceof ImportDesc.Global g && v instanceof Global gl
                    && gl.type() == g.type().type() && gl.mutable() == g.type().mutable()
                    && matches(gl.preciseType, compiled.canonical(g.type().code()), gl.mutable())) {
                globals.add(gl);
            } else {
                throw new LinkException("incompatible import type", imp.module(), imp.name());
            }
        }
        for (TableType t : module.tables()) {
            Table table = new Table(t.elemType(), (int) t.limits().min(), t.limits().max(), t.limits().is64());
            table.preciseType = compiled.canonical(t.elemCode());
            tables.add(table);
        }
        Memory[] own = new Memory[module.memories().size()];
        ModuleInstance state = compiled.newState();
        try {
            for (int i = 0; i < own.length; i++) {
                Limits l = module.memories().get(i).limits();
                own[i] = new Memory((int) l.min(), l.max(), limits.maxMemoryPages(), limits.memoryBudget(), l.is64());
                memories.add(own[i]);
            }
            if (own.length > 0 && memories.get(0) == own[0] && state.exactMemory()) {
                own[0].keepExact();
            }
            return initialise(state, funcs, tables, memories, own, globals, tags);
        } catch (RuntimeException | Error e) {
            for (Memory m : own) {
                if (m != null) {
                    m.release();
                }
            }
            throw e;
        }
    }

    private Instance initialise(ModuleInstance state, List<WasmFunction> funcs, List<Table> tables, List<Memory> memoryList,
                                Memory[] ownMemories, List<Global> globals, List<Tag> tags) {
        Memory memory = memoryList.isEmpty() ? null : memoryList.get(0);
        state.memory = memory;
        state.memories = memoryList.toArray(new Memory[0]);
        state.tables = tables.toArray(new Table[0]);
        state.functions = new WasmFunction[funcs.size() + module.functions().length];
        for (int i = 0; i < funcs.size(); i++) {
            state.functions[i] = funcs.get(i);
        }
        state.tags = tags(tags);
        state.functionFactory = new Binder(compiled);
        state.gcTypes = compiled.gcTypes();
        if (state.gcTypes != null) {
            state.gcBudget = (long) limits.maxMemoryPages() * 65536L;
        }
        state.fuel = limits.fuel();
        state.stackBudgetLimit = compiled.engine().options().maxCallDepth();
        state.stackBudget = state.stackBudgetLimit;

        for (var g : module.globals()) {
            Global cell = new Global(g.type().type(), g.type().mutable());
            cell.preciseType = compiled.canonical(g.type().code());
            cell.setValue(eval(g.init(), globals, state));
            globals.add(cell);
        }
        MethodHandle[] importHandles = new MethodHandle[funcs.size()];
        for (int i = 0; i < importHandles.length; i++) {
            importHandles[i] = Internals.rawHandle(funcs.get(i));
        }
        Global[] globalArray = globals.toArray(new Global[0]);
        state.init(globalArray, importHandles);
        // 3.0 table initialisers (they may read imported globals only, all set by now)
        int importedTables = tables.size() - module.tables().size();
        for (int i = 0; i < module.tables().size(); i++) {
            List<Instruction> init = module.tables().get(i).init();
            Object value = init == null ? null : eval(init, globals, state);
            if (value != null) {
                java.util.Arrays.fill(state.tables[importedTables + i].elements(), value);
            }
        }

        // element segments are evaluated before any is applied, data segments need no evaluation
        InstanceTemplate template = compiled.template();
        List<InstanceTemplate.Elements> segments = template.elements();
        state.elements = new Object[segments.size()][];
        for (int i = 0; i < state.elements.length; i++) {
            state.elements[i] = refs(segments.get(i), globals, state);
        }
        state.data = template.data();

        Instance instance = new Instance(compiled, state, globalArray, ownMemories);
        onCreated.accept(instance);
        for (int i = 0; i < state.elements.length; i++) {
            InstanceTemplate.Elements e = segments.get(i);
            ElementSegment seg = e.segment();
            if (seg.mode() == ElementSegment.Mode.ACTIVE) {
                long offset = e.offset() != null ? e.offset() : address(eval(seg.offset(), globals, state));
                Tables64.init(offset, 0, state.elements[i].length, state.tables[seg.tableIndex()], state.elements[i]);
            }
            if (seg.mode() != ElementSegment.Mode.PASSIVE) {
                state.elements[i] = NO_REFS;
            }
        }
        // the data image: a few copies when no segment can trap, else segment by segment in order
        List<InstanceTemplate.Run> runs = template.runs(ownMemories.length > 0 && memory == ownMemories[0]);
        if (runs != null) {
            byte[] buffer = memory == null ? null : memory.buffer();
            for (InstanceTemplate.Run run : runs) {
                System.arraycopy(run.bytes(), 0, buffer, run.offset(), run.bytes().length);
            }
        } else {
            for (int i = 0; i < module.data().size(); i++) {
                DataSegment seg = module.data().get(i);
                if (seg.active()) {
                    long offset = address(eval(seg.offset(), globals, state));
                    Memories.init(offset, 0, seg.bytes().length, state.memories[seg.memoryIndex()], seg.bytes());
                }
            }
        }
        if (module.start() >= 0) {
            boolean timed = limits.instantiationTimeout() != null && compiled.engine().options().interruptible();
            if (timed) {
                instance.setDeadline(System.nanoTime() + limits.instantiationTimeout().toNanos());
            }
            try {
                MethodHandle start = compiled.startHandle();
                if (start != null) {
                    // the module's handle, shared by its instances: nothing bound or wrapped per instance
                    start.invokeExact(state);
                } else {
                    Object ignored = state.func(module.start()).handle().invoke();
                }
            } catch (Throwable t) {
                Throwable x = WasmFunction.translateGuest(t);
                if (x instanceof RuntimeException r) {
                    throw r;
                }
                if (x instanceof Error e) {
                    throw e;
                }
                throw new Trap(TrapKind.HOST_ERROR, x);
            } finally {
                if (timed) {
                    instance.clearDeadline();
                }
            }
        }
        return instance;
    }

    private static final Object[] NO_REFS = new Object[0];

    /** The imported tags, then a new identity for each defined one, named by its export (else its index) for traps. */
    private Object[] tags(List<Tag> imported) {
        int[] defined = module.tags();
        if (imported.isEmpty() && defined.length == 0) {
            return NO_REFS;
        }
        Object[] out = new Object[imported.size() + defined.length];
        for (int i = 0; i < imported.size(); i++) {
            out[i] = imported.get(i);
        }
        for (int i = 0; i < defined.length; i++) {
            int index = imported.size() + i;
            String name = "tag " + index;
            for (io.wasmudf.engine.internal.model.Export e : module.exports()) {
                if (e.kind() == ExternKind.TAG && e.index() == index) {
                    name = "\"" + e.name() + "\"";
                    break;
                }
            }
            int typeIndex = defined[i];
            out[index] = new Tag(module.types().get(typeIndex), compiled.canonical(io.wasmudf.engine.internal.model.TypeCode.concrete(false, typeIndex)), name);
        }
        return out;
    }

    /** The references of an element segment for this instance: function instances are made lazily cheap ({@link CompiledModule#bind}). */
    private static Object[] refs(InstanceTemplate.Elements e, List<Global> globals, ModuleInstance state) {
        int[] functions = e.functions();
        if (functions != null) {
            Object[] refs = new Object[functions.length];
            for (int j = 0; j < refs.length; j++) {
                int f = functions[j];
                refs[j] = f == InstanceTemplate.NULL_REF ? null : state.func(f);
            }
            return refs;
        }
        List<List<Instruction>> init = e.segment().init();
        Object[] refs = new Object[init.size()];
        for (int j = 0; j < refs.length; j++) {
            refs[j] = eval(init.get(j), globals, state);
        }
        return refs;
    }

    /** Import matching of a global's type (3.0): a subtype when immutable, the same type when mutable. */
    private static boolean matches(int actual, int declared, boolean mutable) {
        return mutable ? actual == declared : io.wasmudf.engine.internal.model.TypeCanon.isSubtype(actual, declared);
    }

    /** Import matching of limits: the actual size covers the declared minimum, and a declared maximum bounds the actual one. */
    private static boolean fits(long size, long actualMax, Limits declared) {
        if (size < declared.min()) {
            return false;
        }
        if (declared.hasMax()) {
            return actualMax >= 0 && actualMax <= declared.max();
        }
        return true;
    }

    /** A segment offset, an i32 (unsigned) or, for memory64 and table64, an i64 (unsigned), as the long the helpers take. */
    private static long address(Object offset) {
        return offset instanceof Integer i ? Integer.toUnsignedLong(i) : (Long) offset;
    }

    /** Evaluates a validated constant expression (extended constants included: i32/i64 add, sub, mul). */
    private static Object eval(List<Instruction> expr, List<Global> globals, ModuleInstance state) {
        Object[] stack = new Object[expr.size()];
        int top = 0;
        for (Instruction in : expr) {
            switch (in.opcode()) {
                case Opcodes.I32_CONST: stack[top++] = (int) in.c(); break;
                case Opcodes.I64_CONST: stack[top++] = in.c(); break;
                case Opcodes.F32_CONST: stack[top++] = Float.intBitsToFloat((int) in.c()); break;
                case Opcodes.F64_CONST: stack[top++] = Double.longBitsToDouble(in.c()); break;
                case Opcodes.REF_NULL: stack[top++] = null; break;
                case SimdOpcodes.V128_CONST: stack[top++] = new V128(in.c(), SimdOpcodes.high(in)); break;
                case Opcodes.REF_FUNC: stack[top++] = state.func(in.a()); break;
                case Opcodes.GLOBAL_GET: stack[top++] = globals.get(in.a()).value(); break;
                case Opcodes.I32_ADD: top--; stack[top - 1] = (Integer) stack[top - 1] + (Integer) stack[top]; break;
                case Opcodes.I32_SUB: top--; stack[top - 1] = (Integer) stack[top - 1] - (Integer) stack[top]; break;
                case Opcodes.I32_MUL: top--; stack[top - 1] = (Integer) stack[top - 1] * (Integer) stack[top]; break;
                case Opcodes.I64_ADD: top--; stack[top - 1] = (Long) stack[top - 1] + (Long) stack[top]; break;
                case Opcodes.I64_SUB: top--; stack[top - 1] = (Long) stack[top - 1] - (Long) stack[top]; break;
                case Opcodes.I64_MUL: top--; stack[top - 1] = (Long) stack[top - 1] * (Long) stack[top]; break;
                case Opcodes.END: break;
                default: return io.wasmudf.engine.internal.runtime.GcConstants.eval(expr, i -> globals.get(i).value(), state);
            }
        }
        return stack[top - 1];
    }
}
