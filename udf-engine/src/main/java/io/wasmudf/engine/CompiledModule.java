package io.wasmudf.engine;

import io.wasmudf.engine.internal.compile.ExportCalls;
import io.wasmudf.engine.internal.compile.ModuleCompiler;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.GuestBoundary;
import io.wasmudf.engine.internal.runtime.Internals;
import io.wasmudf.engine.internal.runtime.ModuleInstance;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** A validated module compiled to JVM bytecode; immutable and instantiable many times. */
public final class CompiledModule {
    private final Engine engine;
    private final WasmModule module;
    /** The module's bytes (the engine's own copy): compared on a cache hit, hashed on demand. */
    private final byte[] wasm;
    /** {@link ModuleCache#key} of {@link #wasm}. */
    private final long cacheKey;
    /** Hex SHA-256 of {@link #wasm}, computed on first use: nothing on the compile or load path needs it. */
    private volatile String sha256;
    private final Class<? extends ModuleInstance> generated;
    /** By function index, the class whose static {@code f<index>} is the function: {@link #generated} or a part. */
    private final Class<?>[] functionClasses;
    private final MethodHandle constructor;
    private final List<FuncType> functionTypes = new ArrayList<>();
    private final List<ImportInfo> imports = new ArrayList<>();
    private final List<ExportInfo> exports = new ArrayList<>();
    /** Handles of defined functions as {@link #guarded} returns them, built on first use. */
    private final AtomicReferenceArray<MethodHandle> functionHandles;
    /** {@link #functionHandles} with traps translated ({@link WasmFunction#handle()}), built on first use. */
    private final AtomicReferenceArray<MethodHandle> translatedHandles;
    /** By defined function, whether its handle needs the {@link GuestBoundary} (it calls or loops); decided at compile. */
    private final java.util.BitSet boundaryNeeded;
    /** Defined functions the instance class's generated generic call covers ({@link ExportCalls#covered}), computed on first use. */
    private volatile java.util.BitSet exportCalls;
    /** What this module keeps alive, estimated (see {@link #estimatedBytes()}). */
    private final long estimatedBytes;
    private final java.util.concurrent.ConcurrentHashMap<String, MethodHandle> exportHandles = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, MethodHandle> exportHandlesForCalls = new java.util.concurrent.ConcurrentHashMap<>();

    /** By function index, {@code TypeIds.of} its type: interned once here, not per function instance. */
    private final int[] typeIds;
    /** See {@link #template()}; immutable, so a racy first build only wastes work. */
    private volatile InstanceTemplate template;
    /** {@code module.importedFunctionCount()}, which counts the imports each time. */
    private final int importedFunctions;

    /** Whether the classes came from the engine's code cache rather than the compiler. */
    private final boolean fromCodeCache;

    /**
     * {@code boundaryNeeded}: {@link #boundaryNeeded(WasmModule)} of the module with its bodies
     * ({@code module} itself may have none when the code comes from the code cache). {@code wasm}:
     * the module's bytes, kept (not copied), {@code cacheKey} their {@link ModuleCache#key}.
     */
    CompiledModule(Engine engine, WasmModule module, ModuleCompiler.Output out, byte[] wasm, long cacheKey,
            java.util.BitSet boundaryNeeded, boolean fromCodeCache) {
        this(engine, module, out, ClassDefinition.startForCaller(out), wasm, cacheKey, boundaryNeeded, fromCodeCache);
    }

    /** As above, with the definition of {@code out}'s classes already started ({@link ClassDefinition#start}). */
    CompiledModule(Engine engine, WasmModule module, ModuleCompiler.Output out, ClassDefinition definition, byte[] wasm, long cacheKey,
            java.util.BitSet boundaryNeeded, boolean fromCodeCache) {
        this.engine = engine;
        this.fromCodeCache = fromCodeCache;
        this.boundaryNeeded = (java.util.BitSet) boundaryNeeded.clone();
        // the code is compiled: keep the module without its bodies, which are most of its size
        this.module = new WasmModule(module.types(), module.imports(), module.functions(), module.tables(), module.memories(),
                module.globals(), module.exports(), module.start(), module.elements(), module.dataCount(), List.of(), module.data(),
                module.names(), module.defTypes(), module.tags());
        this.wasm = wasm;
        this.cacheKey = cacheKey;
        long classBytes = out.bytes().length;
        for (ModuleCompiler.ClassFile part : out.parts()) {
            classBytes += part.bytes().length;
        }
        // the class files become metaspace of a few times their size; the model (data segments,
        // types, tables) is bounded by the binary, and the binary itself is kept
        this.estimatedBytes = 2L * wasm.length + 3 * classBytes;
        Class<?>[] parts;
        try {
            // every class is linked (and so verified) here, not at first call, so that code the
            // verifier refuses fails the compile (and a code-cache entry is rebuilt), never a call
            parts = definition.finish();
        } catch (LinkageError | RuntimeException e) {
            // VerifyError, ClassFormatError …: the compiler produced code the JVM refuses
            throw new EngineBugException("the JVM refused the code generated for a valid module: " + e, e);
        }
        this.generated = parts[0].asSubclass(ModuleInstance.class);
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> part : parts) {
            byName.put(part.getName(), part);
        }
        List<String> owners = out.functionClasses();
        this.functionClasses = new Class<?>[owners.size()];
        for (int i = 0; i < functionClasses.length; i++) {
            functionClasses[i] = byName.get(owners.get(i));
        }
        try {
            this.constructor = MethodHandles.publicLookup().findConstructor(generated, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(ModuleInstance.class));
        } catch (ReflectiveOperationException e) {
            throw new EngineBugException("generated class is unusable", e);
        }
        // type ids by type index, then by function: a module has many functions and few types,
        // and interning a type (hashing its lists) is interpreted code in a young JVM
        int[] idOfType = new int[module.types().size()];
        java.util.Arrays.fill(idOfType, -1);
        this.typeIds = new int[module.importedFunctionCount() + module.functions().length];
        int f = 0;
        for (Import imp : module.imports()) {
            FuncType ft = null;
            if (imp.desc() instanceof ImportDesc.Func func) {
                ft = module.types().get(func.typeIndex());
                functionTypes.add(ft);
                typeIds[f++] = typeId(idOfType, module, func.typeIndex());
            }
            imports.add(new ImportInfo(imp.module(), imp.name(), imp.desc().kind(), ft));
        }
        for (int t : module.functions()) {
            functionTypes.add(module.types().get(t));
            typeIds[f++] = typeId(idOfType, module, t);
        }
        for (Export e : module.exports()) {
            exports.add(new ExportInfo(e.name(), e.kind(), e.kind() == ExternKind.FUNC ? functionTypes.get(e.index()) : null));
        }
        this.functionHandles = new AtomicReferenceArray<>(functionTypes.size());
        this.translatedHandles = new AtomicReferenceArray<>(functionTypes.size());
        if (gcTypes() != null) {
            // 3.0 types: a function's id is its defined type's canonical id (the same for plain types)
            int[] funcTypeIndex = functionTypeIndices(module);
            for (int k = 0; k < typeIds.length; k++) {
                typeIds[k] = gcTypes[funcTypeIndex[k]].canon;
            }
        }
        this.importedFunctions = module.importedFunctionCount();
    }

    /** {@code TypeIds.of} type {@code index} of {@code module}, interned once per type into {@code idOfType}. */
    private static int typeId(int[] idOfType, WasmModule module, int index) {
        int id = idOfType[index];
        if (id < 0) {
            id = io.wasmudf.engine.internal.runtime.TypeIds.of(module.types().get(index));
            idOfType[index] = id;
        }
        return id;
    }

    /** By defined function, whether its handle needs the {@link GuestBoundary}: it calls or loops. */
    static java.util.BitSet boundaryNeeded(WasmModule module) {
        java.util.BitSet needed = new java.util.BitSet();
        for (int i = 0; i < module.bodies().size(); i++) {
            if (GuestBoundary.needed(module.bodies().get(i))) {
                needed.set(i);
            }
        }
        return needed;
    }

    public List<ImportInfo> imports() {
        return List.copyOf(imports);
    }

    public List<ExportInfo> exports() {
        return List.copyOf(exports);
    }

    /** Hex SHA-256 of the module bytes. */
    public String sha256() {
        String s = sha256;
        if (s == null) {
            s = Engine.sha256(wasm);
            sha256 = s;
        }
        return s;
    }

    long cacheKey() {
        return cacheKey;
    }

    /** Whether this module was compiled from exactly {@code bytes}. */
    boolean hasBytes(byte[] bytes) {
        return java.util.Arrays.equals(wasm, bytes);
    }

    boolean hasSameBytes(CompiledModule other) {
        return other.wasm == wasm || hasBytes(other.wasm);
    }

    /**
     * An estimate of the memory this compiled module keeps alive (heap and metaspace): the binary's
     * size plus three times its generated class files. What {@link Engine}'s cache bound counts.
     */
    public long estimatedBytes() {
        return estimatedBytes;
    }

    /** Whether this module's classes were loaded from the engine's code cache ({@link Engine.Builder#codeCache}) instead of compiled. */
    public boolean fromCodeCache() {
        return fromCodeCache;
    }

    /** The engine that compiled this module. */
    public Engine engine() {
        return engine;
    }

    /** Canonical type ids of the module's types, made on first use (by instantiation of a module with typed references). */
    private volatile int[] canonicalIds;

    private volatile io.wasmudf.engine.internal.runtime.GcType[] gcTypes;
    private volatile boolean gcTypesMade;

    /**
     * The runtime types of the module's defined types, shared by its instances; null for a module
     * whose types are all plain 2.0 function types (it can use no GC instruction on them).
     */
    io.wasmudf.engine.internal.runtime.GcType[] gcTypes() {
        if (!gcTypesMade) {
            java.util.List<io.wasmudf.engine.internal.model.DefType> defs = module.defTypes();
            boolean typed = false;
            for (io.wasmudf.engine.internal.model.DefType d : defs) {
                typed |= !d.isFunc() || !d.isFinal() || d.groupSize() > 1 || d.supers().length > 0 || hasConcrete(d);
            }
            if (typed) {
                canonical(io.wasmudf.engine.internal.model.TypeCode.concrete(true, 0));
                int[] ids = canonicalIds;
                var out = new io.wasmudf.engine.internal.runtime.GcType[defs.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = new io.wasmudf.engine.internal.runtime.GcType(defs.get(i), ids[i]);
                }
                gcTypes = out;
            }
            gcTypesMade = true;
        }
        return gcTypes;
    }

    private static int[] functionTypeIndices(WasmModule m) {
        int[] out = new int[m.importedFunctionCount() + m.functions().length];
        int k = 0;
        for (Import imp : m.imports()) {
            if (imp.desc() instanceof ImportDesc.Func f) {
                out[k++] = f.typeIndex();
            }
        }
        for (int t : m.functions()) {
            out[k++] = t;
        }
        return out;
    }

    /**
     * Whether a function of canonical type id {@code actual} may be imported as function
     * {@code funcIndex}: the same type, or with 3.0 types a subtype.
     */
    boolean importMatches(int actual, int funcIndex) {
        int declared = typeIds[funcIndex];
        if (actual == declared) {
            return true;
        }
        return gcTypes() != null && io.wasmudf.engine.internal.model.TypeCanon.isSubtype(
                io.wasmudf.engine.internal.model.TypeCode.concrete(false, actual), io.wasmudf.engine.internal.model.TypeCode.concrete(false, declared));
    }

    private static boolean hasConcrete(io.wasmudf.engine.internal.model.DefType d) {
        for (int[] codes : new int[][] {d.params(), d.results(), d.fields()}) {
            for (int c : codes) {
                if (io.wasmudf.engine.internal.model.TypeCode.isRef(c) && c != ValType.FUNCREF.code() && c != ValType.EXTERNREF.code()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A precise type of this module made module-independent ({@code TypeCanon.canonical}). */
    int canonical(int code) {
        if (!io.wasmudf.engine.internal.model.TypeCode.isConcrete(code)) {
            return code;
        }
        int[] ids = canonicalIds;
        if (ids == null) {
            ids = canonicalIds = io.wasmudf.engine.internal.model.TypeCanon.ids(module.defTypes());
        }
        return io.wasmudf.engine.internal.model.TypeCanon.canonical(code, ids);
    }

    WasmModule module() {
        return module;
    }

    FuncType functionType(int index) {
        return functionTypes.get(index);
    }

    ModuleInstance newState() {
        try {
            return (ModuleInstance) constructor.invokeExact();
        } catch (Throwable t) {
            throw new EngineBugException("the generated instance class cannot be constructed", t);
        }
    }

    /** The function instance of defined function {@code index} of {@code state}; cheap: its handle is bound on first use. */
    WasmFunction bind(ModuleInstance state, int index) {
        return new WasmFunction(this, state, index, functionTypes.get(index), typeIds[index]);
    }

    /**
     * The handle of defined function {@code index} bound to {@code state}, exactly typed as the
     * function; {@code translated}: with traps translated as {@link WasmFunction#handle()} has them.
     * Only the binding is per instance: the wrapped handles are built once per module.
     */
    MethodHandle boundHandle(ModuleInstance state, int index, boolean translated) {
        MethodHandle h = guarded(index);
        if (translated) {
            h = translatedHandles.get(index);
            if (h == null) {
                h = Internals.catching(guarded(index), WasmFunction.GUEST_TRANSLATE);
                translatedHandles.set(index, h);
            }
        }
        return MethodHandles.insertArguments(h, functionTypes.get(index).params().size(), state);
    }

    /**
     * The start function as {@code (ModuleInstance) -> void} when it is a defined function (inside
     * the {@link GuestBoundary} as {@link #guarded} decides), else null (none, or an import).
     */
    MethodHandle startHandle() {
        int start = module.start();
        return start < importedFunctions ? null : guarded(start);
    }

    /** What instances start from (constant offsets, element indices, the data image), built on first instantiation. */
    InstanceTemplate template() {
        InstanceTemplate t = template;
        if (t == null) {
            t = InstanceTemplate.of(module);
            template = t;
        }
        return t;
    }

    /**
     * The static handle of defined function {@code index} with the instance as {@code ModuleInstance}
     * last argument, inside the {@link GuestBoundary} when the engine compiles interrupt or depth checks
     * and the function can reach one.
     */
    private MethodHandle guarded(int index) {
        MethodHandle h = functionHandles.get(index);
        if (h == null) {
            // built once per function and module, not per instance: the boundary test scans the body
            h = unguarded(index);
            if (needsBoundary(index)) {
                h = GuestBoundary.wrap(h);
            }
            functionHandles.set(index, h);
        }
        return h;
    }

    /** Whether calls from outside into defined function {@code index} go through the {@link GuestBoundary}. */
    boolean needsBoundary(int index) {
        Engine.Options o = engine.options();
        return (o.interruptible() || o.maxCallDepth() > 0) && boundaryNeeded.get(index - importedFunctions);
    }

    /**
     * Whether {@link WasmFunction#call} may call defined function {@code index} through the
     * instance's {@code callExport} ({@link ExportCalls}) instead of its method handle.
     */
    boolean coversExportCall(int index) {
        java.util.BitSet b = exportCalls;
        if (b == null) {
            // the compiler's own rule over the same exports and types, so both agree on every function
            b = ExportCalls.covered(module.exports(), functionTypes, importedFunctions);
            exportCalls = b;
        }
        return b.get(index);
    }

    /** The static handle of defined function {@code index} with the instance as {@code ModuleInstance} last argument. */
    private MethodHandle unguarded(int index) {
        MethodHandle h = staticHandle(index);
        return h.asType(h.type().changeParameterType(h.type().parameterCount() - 1, ModuleInstance.class));
    }

    /**
     * The minimum size in pages the module declares for its own memory, or -1 when it defines
     * none (an imported memory is the importer's business).
     */
    public long declaredMemoryMinPages() {
        return module.memories().isEmpty() ? -1 : module.memories().get(0).limits().min();
    }

    /** The maximum size in pages declared for the module's own memory, or -1 when none is declared. */
    public long declaredMemoryMaxPages() {
        return module.memories().isEmpty() ? -1 : module.memories().get(0).limits().max();
    }

    /**
     * Checks, without instantiating, that the module's own memory and tables fit {@code limits}
     * (for refusing a module when it is registered rather than at its first call).
     *
     * @throws ResourceLimitException naming the first declaration that does not fit
     */
    public void checkFits(InstanceLimits limits) {
        long total = 0;
        for (var m : module.memories()) {
            long min = m.limits().min();
            if (min > limits.maxMemoryPages()) {
                // a memory is one byte[], so memory64 sizes past 2 GiB end here too (see Memory.MAX_PAGES)
                throw new ResourceLimitException(ResourceLimitException.Resource.MEMORY, "memory minimum of " + min + " pages ("
                        + (Math.min(min, Long.MAX_VALUE / Memory.PAGE_SIZE) * Memory.PAGE_SIZE >> 20)
                        + " MiB) exceeds the limit of " + limits.maxMemoryPages() + " pages"
                        + (min > Memory.MAX_PAGES ? " (a memory is one Java byte[]: at most " + Memory.MAX_PAGES + " pages)" : ""), null);
            }
            total += min;
        }
        MemoryBudget budget = limits.memoryBudget();
        if (total > 0 && budget != null && total * Memory.PAGE_SIZE > budget.maxBytes()) {
            throw new ResourceLimitException(ResourceLimitException.Resource.MEMORY, "memory minimum of " + total + " pages exceeds the whole memory budget of "
                    + budget.maxBytes() + " bytes", null);
        }
        for (var t : module.tables()) {
            if (t.limits().min() > Instantiator.MAX_TABLE_SIZE) {
                throw new ResourceLimitException(ResourceLimitException.Resource.TABLE, "table minimum of " + t.limits().min()
                        + " elements exceeds the limit of " + Instantiator.MAX_TABLE_SIZE, null);
            }
        }
    }

    /**
     * A handle on exported function {@code name} that takes the instance as its last argument:
     * type {@code (params..., Instance) -> result}, traps translated as in {@link WasmFunction#handle()}.
     * Unlike {@code Instance.function(name).handle()} it is the same for every instance, so a code
     * generator can keep it in a {@code static final} field, where the JIT inlines the whole call.
     *
     * @throws IllegalArgumentException when there is no exported function of that name
     */
    public MethodHandle exportHandle(String name) {
        return exportHandles.computeIfAbsent(name, n -> makeExportHandle(exportIndex(n), false));
    }

    /**
     * {@link #exportHandle} without the bookkeeping every call from outside otherwise does on entry
     * (a fresh call-stack budget, a new epoch for {@link Instance#interrupt()}), for an embedder that
     * makes many calls into an instance as one unit of work, such as the rows of one SQL statement:
     * it calls {@link Instance#beginCalls()} before each unit instead. The embedder promises that no
     * other call into the instance runs meanwhile (in particular none re-enters it from an import)
     * and that it discards the instance after a trap, whose unwinding may leave the budget short.
     *
     * @throws IllegalArgumentException when there is no exported function of that name
     */
    public MethodHandle exportHandleForCalls(String name) {
        return exportHandlesForCalls.computeIfAbsent(name, n -> makeExportHandle(exportIndex(n), true));
    }

    private int exportIndex(String name) {
        for (Export e : module.exports()) {
            if (e.kind() == ExternKind.FUNC && e.name().equals(name)) {
                return e.index();
            }
        }
        throw new IllegalArgumentException("no exported function named \"" + name + "\"");
    }

    /** {@code unguarded}: the {@link #exportHandleForCalls} form, without {@link GuestBoundary}. */
    private MethodHandle makeExportHandle(int index, boolean unguarded) {
        FuncType type = functionTypes.get(index);
        MethodHandle target;
        if (index < importedFunctions) {
            // an import re-exported: dispatch through the instance's function table
            MethodHandle invoker = MethodHandles.exactInvoker(type.methodType());
            MethodHandle handleOf = MethodHandles.insertArguments(ExportHandles.FUNCTION_HANDLE, 1, index);
            target = MethodHandles.filterArguments(invoker, 0, handleOf);
            target = MethodHandles.permuteArguments(target,
                    type.methodType().appendParameterTypes(Instance.class), permutation(type.params().size()));
            return target;
        }
        target = unguarded ? unguarded(index) : guarded(index);
        target = MethodHandles.filterArguments(target, type.params().size(), ExportHandles.INSTANCE_STATE);
        return Internals.catching(target, WasmFunction.GUEST_TRANSLATE);
    }

    /** Moves the trailing Instance argument to the front, for the re-exported-import case. */
    private static int[] permutation(int params) {
        int[] p = new int[params + 1];
        p[0] = params;
        for (int i = 0; i < params; i++) {
            p[i + 1] = i;
        }
        return p;
    }

    private static MethodHandle functionHandle(Instance instance, int index) {
        return instance.state().func(index).handle();
    }

    /**
     * The handles {@link #makeExportHandle} adapts with, in a class of their own: made when the
     * first export handle is, not when this class initialises. A young JVM spins two LambdaForm
     * classes for {@code FUNCTION_HANDLE} (bytecode generated and defined by interpreted code,
     * about 4 ms of a code-cache load that then never uses them: the engine API's calls go
     * through the generated {@code callExport}).
     */
    private static final class ExportHandles {
        static final MethodHandle INSTANCE_STATE;
        static final MethodHandle FUNCTION_HANDLE;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                INSTANCE_STATE = lookup.findVirtual(Instance.class, "state", MethodType.methodType(ModuleInstance.class));
                FUNCTION_HANDLE = lookup.findStatic(CompiledModule.class, "functionHandle",
                        MethodType.methodType(MethodHandle.class, Instance.class, int.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private MethodHandle staticHandle(int index) {
        try {
            return MethodHandles.publicLookup().findStatic(functionClasses[index], "f" + index,
                    functionTypes.get(index).methodType().appendParameterTypes(generated));
        } catch (ReflectiveOperationException e) {
            throw new EngineBugException("generated method f" + index + " is missing", e);
        }
    }

    /** Instantiates a module without imports. */
    public Instance instantiate() {
        return instantiate(Imports.empty());
    }

    /** Instantiates with {@link Engine#defaultLimits()}; see {@link #instantiate(Imports, InstanceLimits)}. */
    public Instance instantiate(Imports imports) {
        return instantiate(imports, engine.defaultLimits());
    }

    /**
     * Links, initialises (element and data segments) and runs the start function.
     *
     * @throws LinkException          when an import is missing or incompatible
     * @throws ResourceLimitException when a memory or table exceeds {@code limits}
     * @throws Trap                   when initialisation or the start function traps (including
     *                                {@link TrapKind#TIMEOUT} past {@code limits.instantiationTimeout()}
     *                                and {@link TrapKind#OUT_OF_FUEL})
     * @throws EngineBugException     when the engine itself failed (a defect of ours)
     */
    public Instance instantiate(Imports imports, InstanceLimits limits) {
        try {
            return new Instantiator(this, imports, limits).run();
        } catch (WasmException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new EngineBugException("instantiating the module failed inside the engine: " + e, e);
        }
    }
}
