package io.wasmudf.spark;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.InstanceLimits;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.ModuleCheck;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.StaticCall;
import io.wasmudf.sql.SqlTypes;
import io.wasmudf.sql.types.TextType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One task thread's instance of a function's module and the marshalling of one call through the
 * codecs ({@link SqlType}'s lowering and lifting methods, as handles instead of the H2 side's
 * generated bridge). Not thread-safe: it belongs to one task thread. A trap discards the instance;
 * the next call (in a retried task) gets a fresh one. Public only for the code Spark generates
 * for {@link WasmExpression} (it calls {@link #instance}, {@link #text} and {@link #liftText}).
 */
public final class GuestCall {
    private static final MethodType UNARY = MethodType.genericMethodType(1);

    private final FunctionSpec spec;
    private final String subject;
    private final FunctionLimits limits;
    private final long fuel;
    private final GuestInstance guest;
    private final AbiLayout abi;
    private final List<SqlType> params;
    /** Per parameter, the (Object) -> core conversions of its flat values (strict: toCore, else orZero); null entries copy. */
    private final MethodHandle[][] lower;
    private final boolean[] allocated;
    /**
     * Per parameter copied into memory: the codec's plan, align, size and write methods as
     * generic handles made once ({@link GuestInstance#lowerIntoMemory}, the tools' path, looks
     * them up on every call, which made text and bytea arguments of the UDF path cost
     * microseconds per row). Null entries for other parameters.
     */
    private final MethodHandle[][] copy;
    /** {@code (Object[] core) -> Object}: the export, spread. */
    private final MethodHandle export;
    /** {@code (Object) -> void}: {@code cabi_post_<export>} or a no-op. */
    private final MethodHandle post;
    /** The result's lifting: (core) for DIRECT and PACKED_OPTION, (GuestInstance, retptr) for a return area; null copies. */
    private final MethodHandle lift;
    /**
     * STRICT, every argument one core value, the result direct, no post-return (most numeric
     * functions): the whole call as one handle {@code (Object[]) -> Object}, lowering and lifting
     * folded in, so a row costs one handle call instead of one per value. Null otherwise.
     */
    private final MethodHandle direct;
    private boolean functionDeadline;
    /** The instance, for the generated export class's static calls (which take it last). */
    public final Instance instance;
    /** The module takes text as {@code latin1+utf16}: the generated code passes text through {@link #text}, not {@link #write}. */
    public final boolean latin1Utf16;

    private GuestCall(FunctionSpec spec, GuestInstance guest, AbiLayout abi, FunctionLimits limits) {
        this.spec = spec;
        this.instance = guest.instance();
        this.latin1Utf16 = guest.latin1Utf16();
        this.subject = "function " + spec.display();
        this.guest = guest;
        this.abi = abi;
        this.limits = limits;
        this.fuel = limits.fuel() == null ? 0 : limits.fuel();
        this.params = abi.params();
        this.lower = new MethodHandle[params.size()][];
        this.allocated = new boolean[params.size()];
        this.copy = new MethodHandle[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            SqlType.Lowering l = params.get(i).lowering();
            if (l instanceof SqlType.Lowering.Allocated) {
                allocated[i] = true;
                SqlType.Lowering.Allocated a = (SqlType.Lowering.Allocated) l;
                copy[i] = new MethodHandle[] {
                    a.plan().handle().asType(MethodType.methodType(long.class, GuestInstance.class, Object.class)),
                    a.align().handle(), a.size().handle(),
                    a.write().handle().asType(MethodType.methodType(long.class, GuestInstance.class, Object.class, long.class, int.class))};
            } else if (l instanceof SqlType.Lowering.Scalar s) {
                lower[i] = new MethodHandle[] {generic(abi.strict() ? s.toCore() : s.orZero())};
            } else if (l instanceof SqlType.Lowering.Flat f) {
                List<StaticCall> calls = abi.strict() ? f.toCore() : f.orZero();
                lower[i] = calls.stream().map(GuestCall::generic).toArray(MethodHandle[]::new);
            }
        }
        Instance instance = guest.instance();
        int n = abi.core().params().size();
        this.export = instance.function(spec.export()).handle().asType(MethodType.genericMethodType(n)).asSpreader(Object[].class, n);
        Object p = instance.export(ModuleCheck.POST_PREFIX + spec.export());
        this.post = p instanceof io.wasmudf.engine.WasmFunction f && f.type().equals(abi.postType())
                ? f.handle().asType(MethodType.methodType(void.class, Object.class))
                : MethodHandles.empty(MethodType.methodType(void.class, Object.class));
        SqlType r = abi.result();
        this.direct = directCall(instance.function(spec.export()).handle(), abi, p == null);
        this.lift = switch (abi.form()) {
            case DIRECT -> generic(r.liftDirect());
            case PACKED_OPTION -> generic(r.liftPacked());
            case RETURN_AREA -> (abi.strict() ? r.liftArea() : r.liftOptional()).handle()
                    .asType(MethodType.methodType(Object.class, GuestInstance.class, int.class));
        };
    }

    private static MethodHandle directCall(MethodHandle export, AbiLayout abi, boolean noPost) {
        if (!abi.strict() || abi.form() != AbiLayout.ResultForm.DIRECT || !noPost) {
            return null;
        }
        List<SqlType> params = abi.params();
        MethodHandle[] filters = new MethodHandle[params.size()];
        for (int i = 0; i < filters.length; i++) {
            if (!(params.get(i).lowering() instanceof SqlType.Lowering.Scalar s)) {
                return null;
            }
            filters[i] = s.toCore() == null ? null : s.toCore().handle();
        }
        MethodHandle h = MethodHandles.filterArguments(export, 0, filters);
        StaticCall lift = abi.result().liftDirect();
        if (lift != null) {
            h = MethodHandles.filterReturnValue(h, lift.handle());
        }
        return h.asType(MethodType.genericMethodType(filters.length)).asSpreader(Object[].class, filters.length);
    }

    private static MethodHandle generic(StaticCall c) {
        return c == null ? null : c.handle().asType(UNARY);
    }

    /**
     * Compiles (or finds) the module, checks the export against the declaration and instantiates
     * it under the function's limits; failures are SQLExceptions naming the function.
     */
    static GuestCall create(FunctionSpec spec, byte[] module) throws SQLException {
        return create(spec, compile(spec, module));
    }

    /** Compiles (or finds in this JVM's cache) the module of {@code spec}, with metering if it has {@code wasm.fuel}. */
    static CompiledModule compile(FunctionSpec spec, byte[] module) throws SQLException {
        try {
            return ExecutorEngines.compile(module, ExportClasses.metered(spec));
        } catch (RuntimeException e) {
            throw SqlErrors.compileFailed("function " + spec.display(), "module", e);
        }
    }

    /** {@link #create(FunctionSpec, byte[])} of a module already compiled (by {@link #compile}). */
    static GuestCall create(FunctionSpec spec, CompiledModule compiled) throws SQLException {
        String subject = "function " + spec.display();
        FunctionLimits limits = spec.limits();
        boolean metered = ExportClasses.metered(spec);
        AbiLayout abi = check(spec, compiled);
        InstanceLimits il = compiled.engine().defaultLimits()
                .withMaxMemoryPages(limits.maxMemoryPages())
                .withMemoryBudget(ExecutorEngines.BUDGET)
                .withFuel(metered ? limits.fuel() : Long.MAX_VALUE)
                .withInstantiationTimeout(Duration.ofSeconds(10));
        GuestInstance g;
        try {
            g = GuestInstance.instantiate(compiled, il, HostEnvironment.builder().grants(limits.grants()).build());
        } catch (RuntimeException e) {
            throw SqlErrors.instantiateFailed(subject, e, 10, "wasm.memory_budget of this JVM");
        }
        return new GuestCall(spec, g, abi, limits);
    }

    /** The export's ABI after the module check (the packed-option form when the export has it). */
    static AbiLayout check(FunctionSpec spec, CompiledModule compiled) throws SQLException {
        return ModuleCheck.check(spec.display(), compiled, spec.export(), spec.abi());
    }

    /** Starts a task's unit of calls: its output budget and its {@code wasm.timeout} deadline. */
    void beginTask() {
        Instance instance = guest.instance();
        instance.beginCalls();
        HostedInstance h = guest.hosted();
        if (h != null) {
            h.beginUnit();
        }
        if (limits.timeout() != null && !limits.timeout().isZero()) {
            instance.setDeadline(System.nanoTime() + limits.timeout().toNanos());
            functionDeadline = true;
        } else if (functionDeadline) {
            instance.clearDeadline();
            functionDeadline = false;
        }
    }

    boolean usable() {
        return !guest.isDiscarded();
    }

    void close() {
        guest.discard();
    }

    /** Stops a running call (a killed task); any thread. */
    void interrupt() {
        guest.instance().interrupt();
    }

    /** Starts one call of the generated path: fuel and the host's per-call state, as {@link #call} does. */
    void beginCall() {
        if (fuel > 0) {
            instance.setFuel(fuel);
        }
        HostedInstance h = guest.hosted();
        if (h != null) {
            h.beginCall();
        }
    }

    /**
     * A text argument copied straight from Spark's UTF-8 bytes into guest memory (one copy, no
     * String in between); returns {@code (ptr << 32) | len}. Modules that take {@code latin1+utf16}
     * text get it through the codec.
     */
    public long text(UTF8String s) throws Throwable {
        if (guest.latin1Utf16()) {
            return guest.lowerIntoMemory(SqlTypes.TEXT, s.toString());
        }
        int len = s.numBytes();
        int ptr = (int) guest.realloc().invokeExact(0, 0, 1, len);
        guest.checkAllocation(ptr, len);
        s.writeToMemory(guest.memory().buffer(), Platform.BYTE_ARRAY_OFFSET + ptr);
        return (long) ptr << 32 | (len & 0xFFFFFFFFL);
    }

    /**
     * A text argument of {@code s.numBytes()} bytes copied into the block at {@code ptr} that the
     * generated code got from {@code cabi_realloc} (through the export class's constant handle);
     * returns {@code (ptr << 32) | len}. Not for {@link #latin1Utf16} modules, which take {@link #text}.
     */
    public long write(UTF8String s, int ptr) {
        int len = s.numBytes();
        guest.checkAllocation(ptr, len);
        s.writeToMemory(guest.memory().buffer(), Platform.BYTE_ARRAY_OFFSET + ptr);
        return (long) ptr << 32 | (len & 0xFFFFFFFFL);
    }

    /** A text result from the return area at {@code retptr}, validated UTF-8, as Spark's UTF8String. */
    public UTF8String liftText(int retptr) {
        return UTF8String.fromBytes(TextType.liftUtf8(guest, retptr));
    }

    /** A failure of the generated path, as {@link #call} reports it. */
    SQLException failure(Throwable t) {
        return fail(t);
    }

    /** One call with codec-typed arguments (nulls already handled for STRICT functions). */
    Object call(Object[] args) throws SQLException {
        try {
            if (fuel > 0) {
                guest.instance().setFuel(fuel);
            }
            HostedInstance h = guest.hosted();
            if (h != null) {
                h.beginCall();
            }
            if (direct != null) {
                return (Object) direct.invokeExact(args);
            }
            Object[] core = new Object[abi.core().params().size()];
            boolean strict = abi.strict();
            for (int i = 0; i < args.length; i++) {
                int s = abi.firstSlots().get(i);
                Object v = args[i];
                if (!strict) {
                    core[s++] = v == null ? 0 : 1;
                }
                if (allocated[i]) {
                    long packed = lower(copy[i], v);
                    core[s] = (int) (packed >>> 32);
                    core[s + 1] = (int) packed;
                } else {
                    for (MethodHandle m : lower[i]) {
                        core[s++] = m == null ? v : m.invokeExact(v);
                    }
                }
            }
            Object r = (Object) export.invokeExact(core);
            Object out = switch (abi.form()) {
                case DIRECT, PACKED_OPTION -> lift == null ? r : (Object) lift.invokeExact(r);
                case RETURN_AREA -> (Object) lift.invokeExact(guest, (int) (Integer) r);
            };
            post.invokeExact(r);
            return out;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** {@link GuestInstance#lowerIntoMemory} through the handles made once: {@code (ptr << 32) | len}, 0 for NULL. */
    private long lower(MethodHandle[] c, Object v) throws Throwable {
        if (v == null) {
            return 0L;
        }
        long plan = (long) c[0].invokeExact(guest, v);
        int ptr = (int) guest.realloc().invokeExact(0, 0, (int) c[1].invokeExact(plan), (int) c[2].invokeExact(plan));
        return (long) c[3].invokeExact(guest, v, plan, ptr);
    }

    private SQLException fail(Throwable t) {
        // an ABI violation leaves the instance consistent; anything else may not have
        if (!(t instanceof AbiException a && !a.sqlState().equals(SqlStates.OUT_OF_MEMORY) || t instanceof SQLException)) {
            int refusals = guest.memoryGrowRefusals();
            guest.discard();
            return SqlErrors.callFailed(subject, t, new SqlErrors.CallContext() {
                @Override
                public String timeoutReason() {
                    return "canceling statement: the function's " + FunctionLimits.TIMEOUT + " of " + limits.timeout().toMillis()
                            + " ms per Spark task expired";
                }

                @Override
                public String fuel() {
                    return String.valueOf(fuel);
                }

                @Override
                public int memoryGrowRefusals() {
                    return refusals;
                }

                @Override
                public String memoryLimits() {
                    return FunctionLimits.MAX_MEMORY + " = " + (limits.maxMemoryPages() * FunctionLimits.PAGE_BYTES >> 10) + " kB";
                }
            });
        }
        return SqlErrors.callFailed(subject, t, new SqlErrors.CallContext() {});
    }
}
