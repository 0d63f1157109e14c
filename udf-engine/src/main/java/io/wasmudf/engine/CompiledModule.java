package io.wasmudf.engine;

import io.wasmudf.engine.internal.compile.ModuleCompiler;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.Internals;
import io.wasmudf.engine.internal.runtime.ModuleInstance;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** A validated module compiled to JVM bytecode; immutable and instantiable many times. */
public final class CompiledModule {
    private final Engine engine;
    private final WasmModule module;
    private final String sha256;
    private final Class<? extends ModuleInstance> generated;
    private final MethodHandle constructor;
    private final List<FuncType> functionTypes = new ArrayList<>();
    private final List<ImportInfo> imports = new ArrayList<>();
    private final List<ExportInfo> exports = new ArrayList<>();
    /** Static method handles of defined functions, resolved on first use. */
    private final AtomicReferenceArray<MethodHandle> functionHandles;

    CompiledModule(Engine engine, WasmModule module, ModuleCompiler.Output out, String sha256) {
        this.engine = engine;
        this.module = module;
        this.sha256 = sha256;
        this.generated = new GeneratedClassLoader(CompiledModule.class.getClassLoader())
                .define(out.binaryName(), out.bytes()).asSubclass(ModuleInstance.class);
        try {
            this.constructor = MethodHandles.publicLookup().findConstructor(generated, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(ModuleInstance.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("generated class is unusable", e);
        }
        for (Import imp : module.imports()) {
            FuncType ft = null;
            if (imp.desc() instanceof ImportDesc.Func f) {
                ft = module.types().get(f.typeIndex());
                functionTypes.add(ft);
            }
            imports.add(new ImportInfo(imp.module(), imp.name(), imp.desc().kind(), ft));
        }
        for (int t : module.functions()) {
            functionTypes.add(module.types().get(t));
        }
        for (Export e : module.exports()) {
            exports.add(new ExportInfo(e.name(), e.kind(), e.kind() == ExternKind.FUNC ? functionTypes.get(e.index()) : null));
        }
        this.functionHandles = new AtomicReferenceArray<>(functionTypes.size());
    }

    public List<ImportInfo> imports() {
        return List.copyOf(imports);
    }

    public List<ExportInfo> exports() {
        return List.copyOf(exports);
    }

    /** Hex SHA-256 of the module bytes. */
    public String sha256() {
        return sha256;
    }

    /** The engine that compiled this module. */
    public Engine engine() {
        return engine;
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
            throw new IllegalStateException(t);
        }
    }

    /** The function instance of defined function {@code index} bound to {@code state}. */
    WasmFunction bind(ModuleInstance state, int index) {
        FuncType type = functionTypes.get(index);
        MethodHandle h = functionHandles.get(index);
        if (h == null) {
            try {
                h = MethodHandles.publicLookup().findStatic(generated, "f" + index,
                        type.methodType().appendParameterTypes(generated));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            functionHandles.set(index, h);
        }
        MethodHandle bound = MethodHandles.insertArguments(h, type.params().size(), state);
        return Internals.guest(type, bound);
    }

    /** Instantiates a module without imports. */
    public Instance instantiate() {
        return instantiate(Imports.empty());
    }

    /**
     * Links, initialises (element and data segments) and runs the start function.
     *
     * @throws LinkException          when an import is missing or incompatible
     * @throws ResourceLimitException when a memory or table exceeds the engine's limits
     * @throws Trap                   when initialisation or the start function traps
     */
    public Instance instantiate(Imports imports) {
        return new Instantiator(this, imports).run();
    }

    /** Defines one generated class; a loader per module lets the class be unloaded with it. */
    private static final class GeneratedClassLoader extends ClassLoader {
        GeneratedClassLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
