package io.wasmudf.engine;

import io.wasmudf.engine.internal.compile.FunctionInterfaces;
import io.wasmudf.engine.internal.runtime.GuestBoundary;
import io.wasmudf.engine.internal.runtime.Internals;
import io.wasmudf.engine.internal.runtime.TypeIds;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * A function instance: an export of an instance, a table element of type funcref, or a host
 * function given as an import. {@link #handle()} has exactly {@code type().methodType()}, so a
 * caller can use {@code invokeExact} without boxing.
 */
public final class WasmFunction {
    static {
        Internals.install(new Internals.Access() {
            @Override
            public int typeId(WasmFunction f) {
                return f.typeId;
            }

            @Override
            public MethodHandle rawHandle(WasmFunction f) {
                return f.raw();
            }

            @Override
            public int directIndex(WasmFunction f, Object instance) {
                return f.owner == instance ? f.index : -1;
            }
        });
    }

    private final FuncType type;
    private final int typeId;
    /**
     * Exact-typed handle without trap translation: what compiled code calls. For a function of a
     * compiled module, built on first use ({@link #raw()}): an instance has a function instance per
     * table element, most of which no caller ever reaches, and binding a handle to the instance is
     * most of what making one costs. The race is benign: two threads build equal handles,
     * immutable objects published through their final fields.
     */
    private MethodHandle raw;
    /**
     * Exact-typed handle that turns JVM exceptions into {@link Trap}s: what hosts call. A guest
     * function's is built on first use: the combinators cost a young JVM generated classes, and
     * neither instantiation (which creates the functions tables and exports refer to) nor
     * {@link #call} needs it.
     */
    private volatile MethodHandle handle;
    private final boolean host;
    /** The function's module, for building {@link #raw} on first use; null for a host function. */
    private final CompiledModule module;
    /**
     * The instance whose defined function this is (null for a host function) and its function
     * index there: a {@code call_indirect} of that instance calls it directly (see Tables#direct).
     */
    private final io.wasmudf.engine.internal.runtime.ModuleInstance owner;
    private final int index;

    private WasmFunction(FuncType type, MethodHandle raw, boolean host) {
        this.type = type;
        this.typeId = TypeIds.of(type);
        this.host = host;
        this.raw = host ? Internals.catching(raw, HOST_TRANSLATE) : raw;
        if (host) {
            this.handle = this.raw;
        }
        this.module = null;
        this.owner = null;
        this.index = -1;
    }

    /** Defined function {@code index} of {@code module}'s instance {@code owner}; its handles are built on first use. */
    WasmFunction(CompiledModule module, io.wasmudf.engine.internal.runtime.ModuleInstance owner, int index, FuncType type, int typeId) {
        this.type = type;
        this.typeId = typeId;
        this.host = false;
        this.module = module;
        this.owner = owner;
        this.index = index;
    }

    private MethodHandle raw() {
        MethodHandle r = raw;
        if (r == null) {
            r = module.boundHandle(owner, index, false);
            raw = r;
        }
        return r;
    }

    private static final MethodHandle HOST_TRANSLATE;
    /** {@link #translateGuest} as a handle; also wraps {@code CompiledModule.exportHandle}. */
    static final MethodHandle GUEST_TRANSLATE;

    static {
        try {
            MethodType t = MethodType.methodType(Throwable.class, Throwable.class);
            HOST_TRANSLATE = MethodHandles.lookup().findStatic(WasmFunction.class, "translateHost", t);
            GUEST_TRANSLATE = MethodHandles.lookup().findStatic(WasmFunction.class, "translateGuest", t);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Throwable translateHost(Throwable t) {
        if (t instanceof WasmException) {
            // traps, and the host's own ends of a call (proc_exit, a guest-raised SQL error), pass as they are
            return t;
        }
        if (t instanceof StackOverflowError) {
            return new Trap(TrapKind.CALL_STACK_EXHAUSTED);
        }
        return new Trap(TrapKind.HOST_ERROR, t);
    }

    /**
     * Maps the JVM exceptions that compiled code relies on (see Mem, Ops) to spec traps: an
     * {@code ArithmeticException} or {@code IndexOutOfBoundsException} is the guest's only when
     * guest code or one of the helpers it calls on its behalf raised it ({@link GuestOrigin});
     * anywhere else it is a defect of the engine, reported as {@link EngineBugException} and never
     * as a trap. Other unchecked exceptions that are not the engine's own also are engine bugs.
     */
    static Throwable translateGuest(Throwable t) {
        if (t instanceof WasmException) {
            return t;
        }
        if (t instanceof StackOverflowError) {
            return new Trap(TrapKind.CALL_STACK_EXHAUSTED);
        }
        if (t instanceof ArithmeticException) {
            return GuestOrigin.isGuest(t) ? new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO) : GuestOrigin.bug(t);
        }
        if (t instanceof IndexOutOfBoundsException) {
            return GuestOrigin.isGuest(t) ? new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS) : GuestOrigin.bug(t);
        }
        if (t instanceof io.wasmudf.engine.internal.runtime.WasmThrow w) {
            return w.toTrap(); // an uncaught Wasm exception leaving the guest
        }
        if (t instanceof RuntimeException) {
            return GuestOrigin.bug(t);
        }
        return t;
    }

    /** A host function; {@code handle} must have exactly {@code type.methodType()}. */
    public static WasmFunction host(FuncType type, MethodHandle handle) {
        Objects.requireNonNull(type, "type");
        if (!handle.type().equals(type.methodType())) {
            throw new IllegalArgumentException("host function handle has type " + handle.type()
                    + " but " + type + " needs " + type.methodType());
        }
        return new WasmFunction(type, handle, true);
    }

    public FuncType type() {
        return type;
    }

    /** The exact-typed handle ({@code type().methodType()}); traps surface as {@link Trap}. */
    public MethodHandle handle() {
        MethodHandle h = handle;
        if (h == null) {
            // two threads may both build it: equivalent handles, either will do
            h = module != null ? module.boundHandle(owner, index, true) : Internals.catching(raw(), GUEST_TRANSLATE);
            handle = h;
        }
        return h;
    }

    /**
     * This function as an instance of functional interface {@code type}: calls are plain interface calls the JIT inlines, unlike invokeExact on a handle held in a field.
     * Its one method must have exactly {@code type().methodType()}, else {@link IllegalArgumentException}; each call generates a small class, so keep the result.
     */
    public <T> T as(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return FunctionInterfaces.implement(type, handle(), this.type);
    }

    /**
     * The generic (tool) path: arguments boxed as {@code Integer, Long, Float, Double} or references;
     * returns the results boxed likewise (empty array for none). Throws {@link Trap} on a trap.
     */
    public Object[] call(Object... args) {
        if (args.length != type.params().size()) {
            throw new IllegalArgumentException("expected " + type.params().size() + " arguments, got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            // compiled code takes a v128 as Object (see ValType#javaType) and relies on it being a V128
            if (type.params().get(i) == ValType.V128 && !(args[i] instanceof V128)) {
                throw new IllegalArgumentException("argument " + i + " is a v128 and must be a V128, not " + args[i]);
            }
        }
        Object result;
        try {
            if (direct(args)) {
                // the generated switch (ExportCalls): a young JVM spins a dozen classes for a handle's first generic invoke
                result = module.needsBoundary(index) ? GuestBoundary.callExport(owner, index, args) : owner.callExport(index, args);
            } else {
                // the raw handle, translated here as handle() would: one combinator fewer to build
                result = invokeGeneric(raw(), args);
            }
        } catch (Throwable t) {
            Throwable e = host ? t : translateGuest(t);
            if (e instanceof RuntimeException r) {
                throw r;
            } else if (e instanceof Error r) {
                throw r;
            }
            throw new Trap(TrapKind.HOST_ERROR, e);
        }
        switch (type.results().size()) {
            case 0: return new Object[0];
            case 1: return new Object[] {result};
            default: return (Object[]) result;
        }
    }

    /**
     * Whether {@link #call} can take the instance's generated switch: a defined function it covers
     * and arguments boxed exactly as the parameter types (the switch casts without checking; other
     * boxes keep the method handle's conversions and errors).
     */
    private boolean direct(Object[] args) {
        if (module == null || !module.coversExportCall(index)) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            ValType p = type.params().get(i);
            Object a = args[i];
            boolean exact = p == ValType.I32 ? a instanceof Integer
                    : p == ValType.I64 ? a instanceof Long
                    : p == ValType.F32 ? a instanceof Float
                    : p == ValType.F64 && a instanceof Double;
            if (!exact) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code h.invokeWithArguments(args)}, through a plain {@code invoke} for few arguments: the same
     * conversions, without the spreading invoker a young JVM would generate classes for first.
     */
    private static Object invokeGeneric(MethodHandle h, Object[] args) throws Throwable {
        switch (args.length) {
            case 0: return h.invoke();
            case 1: return h.invoke(args[0]);
            case 2: return h.invoke(args[0], args[1]);
            case 3: return h.invoke(args[0], args[1], args[2]);
            default: return h.invokeWithArguments(args);
        }
    }

    @Override
    public String toString() {
        return "WasmFunction[" + type + "]";
    }
}
