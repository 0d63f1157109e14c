package io.wasmudf.h2;

import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.BoundExport;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.ExportInfo;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Instance;
import io.wasmudf.sql.ModuleCheck;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The runtime side of one bridge class, i.e. of one version of one function of one database:
 * finds the calling session's {@link BoundExport} (a field hit when the same session calls row
 * after row) and turns failures into {@link SQLException}s naming the function. Public only
 * because generated classes call it.
 */
public final class FunctionBinding {
    /** The database's service; null for a bridge whose function is gone ({@link #bind} then fails with 42883). */
    private final CatalogService service;
    /** The definition this bridge serves; null when gone. */
    final FunctionDef def;
    private final String function;
    /** The compiled module of the first bind: the one the bridge's call sites link to directly. */
    private volatile CompiledModule linked;
    /**
     * The binding of the session that called last, whichever thread it ran on: a session calls a
     * function row after row, so one entry answers almost every bind without a lookup. A plain
     * field is enough: a {@code Bound} is immutable and checks its own owner, so a stale or racing
     * read only costs a lookup. It can keep one closed session's instance reachable until the next
     * bind; {@link #forget} drops it when the session is released.
     */
    private SessionGuests.Bound last;
    /**
     * The binding this thread used last, consulted when {@link #last} belongs to another session
     * (sessions calling the function concurrently), so they do not all queue on the sessions'
     * lock; weak, so a closed session's instance is not kept alive by a pooled thread.
     */
    private final ThreadLocal<WeakReference<SessionGuests.Bound>> lastOfThread = new ThreadLocal<>();

    FunctionBinding(CatalogService service, FunctionDef def) {
        this.service = service;
        this.def = def;
        this.function = def.display();
    }

    private FunctionBinding(String gone) {
        this.service = null;
        this.def = null;
        this.function = gone;
    }

    /**
     * The binding of bridge class {@code className}; called once from its static initializer and
     * from its call sites' bootstrap. A class whose function was dropped or replaced meanwhile gets
     * a binding that refuses calls.
     */
    public static FunctionBinding forBridge(String className) {
        BridgeNames.Parsed p = BridgeNames.parse(className);
        CatalogService service = p == null ? null : CatalogService.forBridge(p.databaseId());
        FunctionBinding b = service == null ? null : service.binding(p.functionId(), p.version());
        return b != null ? b : new FunctionBinding(className);
    }

    /**
     * The export bound to the session behind {@code c}, instantiating the module for it if needed,
     * and prepared for one call: the statement's deadline set, fuel refilled, a cancelled
     * statement refused (57014).
     */
    public BoundExport bind(Connection c) throws SQLException {
        Object session = H2Access.session(c);
        SessionGuests.Bound b = last;
        if (b == null || !b.export().isUsableBy(session)) {
            b = bindSlow(session);
        }
        b.guest().enter(session, function);
        return b.export();
    }

    private SessionGuests.Bound bindSlow(Object session) throws SQLException {
        if (service == null) {
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + function + " was dropped or replaced (bridge " + function + ")");
        }
        WeakReference<SessionGuests.Bound> ref = lastOfThread.get();
        SessionGuests.Bound b = ref == null ? null : ref.get();
        if (b == null || !b.export().isUsableBy(session)) {
            b = service.sessions.bind(session, this);
            lastOfThread.set(new WeakReference<>(b));
        }
        last = b;
        if (linked == null) {
            // the first bind always comes through here (last starts empty), before any call site links
            linked = b.export().guest.instance().module();
        }
        return b;
    }

    // ---- the bridge's invokedynamic call sites

    private static final MethodHandle MODULE_IS;
    private static final MethodHandle HANDLE_OF;
    private static final MethodHandle POST_OF;
    private static final MethodHandle REALLOC_OF;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MODULE_IS = lookup.findStatic(FunctionBinding.class, "moduleIs",
                    MethodType.methodType(boolean.class, Instance.class, CompiledModule.class));
            HANDLE_OF = lookup.findGetter(BoundExport.class, "handle", MethodHandle.class);
            POST_OF = lookup.findStatic(FunctionBinding.class, "postOf", MethodType.methodType(MethodHandle.class, BoundExport.class));
            REALLOC_OF = lookup.findStatic(FunctionBinding.class, "reallocOf", MethodType.methodType(MethodHandle.class, BoundExport.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static boolean moduleIs(Instance instance, CompiledModule module) {
        return instance.module() == module;
    }

    private static MethodHandle postOf(BoundExport e) {
        return e.post();
    }

    private static MethodHandle reallocOf(BoundExport e) {
        return e.guest.realloc();
    }

    /**
     * Bootstrap of the bridge's {@code invokedynamic} sites: {@code call} has type
     * {@code (core params..., BoundExport, Instance) -> core result}, {@code post} has
     * {@code (core result, BoundExport, Instance) -> void}, {@code realloc} (the argument allocator
     * {@code cabi_realloc}) has {@code (i32, i32, i32, i32, BoundExport, Instance) -> i32}. The
     * site is constant, so the JIT inlines straight into the compiled guest code: it goes to the module-level export handle of
     * the module the first {@link #bind} saw (a bind always runs before the first call), guarded
     * by an identity check of the instance's module; any other instance takes the bound handle.
     */
    public static CallSite bootstrap(MethodHandles.Lookup caller, String name, MethodType type) {
        FunctionBinding binding = forBridge(caller.lookupClass().getName());
        if (binding.def == null) {
            // a bridge of a function that is gone: bind() refuses every call before a site is reached
            return new ConstantCallSite(MethodHandles.dropArguments(MethodHandles.throwException(type.returnType(), IllegalStateException.class)
                    .bindTo(new IllegalStateException("function was dropped")), 0, type.parameterList()));
        }
        boolean post = name.equals("post");
        boolean realloc = name.equals("realloc");
        int coreArgs = type.parameterCount() - 2;
        // fallback: the handle (post, realloc) bound to this session's instance, from BoundExport
        MethodType coreType = type.dropParameterTypes(coreArgs, coreArgs + 2);
        MethodHandle fromExport = MethodHandles.filterArguments(MethodHandles.exactInvoker(coreType), 0,
                post ? POST_OF : realloc ? REALLOC_OF : HANDLE_OF);
        int[] order = new int[coreArgs + 1];
        order[0] = coreArgs;
        for (int i = 0; i < coreArgs; i++) {
            order[i + 1] = i;
        }
        MethodHandle fallback = MethodHandles.dropArguments(
                MethodHandles.permuteArguments(fromExport, type.dropParameterTypes(coreArgs + 1, coreArgs + 2), order),
                coreArgs + 1, Instance.class);
        CompiledModule module = binding.linked;
        String export = post ? ModuleCheck.POST_PREFIX + binding.def.export() : realloc ? ModuleCheck.REALLOC : binding.def.export();
        FuncType exportType = post ? binding.def.abi().postType() : realloc ? ModuleCheck.REALLOC_TYPE : binding.def.abi().core();
        if (post && module != null && !exports(module, export, null)) {
            // The bridge's class name fixes the module bytes, so no instance it ever sees has a
            // post-return: a constant no-op costs nothing, the fallback an uninlined handle call.
            return new ConstantCallSite(MethodHandles.empty(type));
        }
        if (module == null || !exports(module, export, exportType)) {
            return new ConstantCallSite(fallback);
        }
        // the per-call entry bookkeeping is done once per statement instead (SessionGuest.beginStatement)
        MethodHandle direct = MethodHandles.dropArguments(module.exportHandleForCalls(export), coreArgs, BoundExport.class);
        MethodHandle test = MethodHandles.dropArguments(MethodHandles.insertArguments(MODULE_IS, 1, module),
                0, type.dropParameterTypes(coreArgs + 1, coreArgs + 2).parameterList());
        return new ConstantCallSite(MethodHandles.guardWithTest(test, direct, fallback));
    }

    /** Whether {@code module} exports {@code name}, as a function of {@code type} unless that is null. */
    private static boolean exports(CompiledModule module, String name, FuncType type) {
        for (ExportInfo e : module.exports()) {
            if (e.name().equals(name) && (type == null || type.equals(e.funcType()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Translates a failure inside a call into an SQLException naming the function
     * ({@link SqlErrors#callFailed}). A trap, an exit, a guest-raised error, an allocator failure (or
     * anything unexpected) closes the instance, so the
     * session's next call gets a fresh one; the connection itself stays usable.
     */
    public SQLException fail(BoundExport e, Throwable t) {
        String fn = "function " + function;
        // an ABI violation leaves the instance consistent; an allocator that failed (53200) does not
        // recover by itself, so that instance is replaced like a trapped one
        if (t instanceof AbiException a && !a.sqlState().equals(SqlStates.OUT_OF_MEMORY) || t instanceof SQLException) {
            return SqlErrors.callFailed(fn, t, NO_CONTEXT);
        }
        SessionGuest guest = guestOf(e);
        int growRefusals = e.guest.memoryGrowRefusals();
        if (guest != null) {
            guest.close();
        } else {
            e.guest.discard();
        }
        return SqlErrors.callFailed(fn, t, new SqlErrors.CallContext() {
            @Override
            public String timeoutReason() {
                return guest == null ? SqlErrors.CallContext.super.timeoutReason() : guest.timeoutReason();
            }

            @Override
            public String fuel() {
                return guest == null ? "?" : String.valueOf(guest.limits.fuel());
            }

            @Override
            public int memoryGrowRefusals() {
                return growRefusals;
            }

            @Override
            public String memoryLimits() {
                return FunctionBinding.memoryLimits(guest);
            }
        });
    }

    private static final SqlErrors.CallContext NO_CONTEXT = new SqlErrors.CallContext() {};

    private static String memoryLimits(SessionGuest guest) {
        if (guest == null) {
            return "memory limit reached";
        }
        return FunctionLimits.MAX_MEMORY + " = " + (guest.limits.maxMemoryPages() * FunctionLimits.PAGE_BYTES >> 10) + " kB"
                + ", or the database's " + DatabaseLimits.MEMORY_BUDGET + " is used up";
    }

    /** The instance state of {@code e}: the binding just used, or (if another session has bound since) the session's. */
    private SessionGuest guestOf(BoundExport e) {
        SessionGuests.Bound b = last;
        if ((b == null || b.export() != e) && service != null) {
            b = service.sessions.bound(e.owner(), this);
        }
        return b != null && b.export() == e ? b.guest() : null;
    }

    /** Drops the cached entry for {@code session}, whose instances are being closed. */
    void forget(Object session) {
        SessionGuests.Bound b = last;
        if (b != null && b.export().owner() == session) {
            last = null;
        }
    }
}
