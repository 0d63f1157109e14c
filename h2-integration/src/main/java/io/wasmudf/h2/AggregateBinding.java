package io.wasmudf.h2;

import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import io.wasmudf.sql.TextInput;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.h2.value.ValueToObjectConverter2;
import org.h2.value.Value;

/**
 * The runtime side of one aggregate bridge class (one version of one aggregate of one database):
 * resolves the support functions to the static {@code call} methods of their own bridge classes
 * (so an aggregate's transition call is exactly a scalar call of the SFUNC, with the same
 * marshalling, limits and error handling), parses the initial state, and checks the argument
 * types H2 hands over. Public only because generated classes call it.
 */
public final class AggregateBinding {
    private final CatalogService service;
    /** The definition served; null for a bridge whose aggregate is gone. */
    final AggregateDef def;
    private final String gone;
    private volatile Plan plan;
    /**
     * The current plan's transition handle, for the generated class's {@code static final}
     * invoker: a constant the JIT inlines through into the transition function's bridge (a plain
     * field would leave one uninlined {@code invokeExact} per row); retargeted when a support
     * function is replaced.
     */
    private final MutableCallSite transition = new MutableCallSite(TRANSITION_TYPE);
    private static final MethodType TRANSITION_TYPE = MethodType.methodType(Object.class, Object[].class);

    /**
     * What one group's state machine needs, valid while the support functions are the versions it
     * was made from: {@code sfunc} takes {@code (Connection, state, args…)} spread from one array.
     */
    record Plan(FunctionDef sfuncDef, MethodHandle sfunc, boolean sfuncStrict, FunctionDef finalDef, MethodHandle finalFunc,
                boolean finalStrict, Object initial, Class<?>[] argClasses, int resultType) {}

    AggregateBinding(CatalogService service, AggregateDef def) {
        this.service = service;
        this.def = def;
        this.gone = null;
        transition.setTarget(MethodHandles.insertArguments(SLOW_TRANSITION, 0, this));
    }

    private AggregateBinding(String gone) {
        this.service = null;
        this.def = null;
        this.gone = gone;
        transition.setTarget(MethodHandles.insertArguments(SLOW_TRANSITION, 0, this));
    }

    private static final MethodHandle SLOW_TRANSITION;

    static {
        try {
            SLOW_TRANSITION = MethodHandles.lookup().findVirtual(AggregateBinding.class, "slowTransition", TRANSITION_TYPE);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Before the first plan: the transition of the plan made now. */
    private Object slowTransition(Object[] call) throws Throwable {
        return (Object) plan().sfunc().invokeExact(call);
    }

    /** {@code (Object[]) -> Object}: the transition of the current plan, for the bridge class's constant field. */
    public MethodHandle transitionInvoker() {
        return transition.dynamicInvoker();
    }

    /** The plan the transition invoker calls (null before the first). */
    Plan current() {
        return plan;
    }

    /** The binding of aggregate bridge class {@code className}, from its static initializer. */
    public static AggregateBinding forBridge(String className) {
        BridgeNames.Parsed p = BridgeNames.parse(className);
        CatalogService service = p == null ? null : CatalogService.forBridge(p.databaseId());
        AggregateBinding b = service == null ? null : service.aggregates.binding(p.functionId(), p.version());
        return b != null ? b : new AggregateBinding(className);
    }

    /** The current plan: made again when a support function was replaced since (and checked again then). */
    Plan plan() throws SQLException {
        if (def == null) {
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "aggregate " + gone + " was dropped or replaced");
        }
        Plan p = plan;
        if (p != null && p.sfuncDef == service.function(def.sfunc()) && (def.finalFunc() == 0 || p.finalDef == service.function(def.finalFunc()))) {
            return p;
        }
        synchronized (this) {
            p = plan;
            if (p != null && p.sfuncDef == service.function(def.sfunc())
                    && (def.finalFunc() == 0 || p.finalDef == service.function(def.finalFunc()))) {
                return p;
            }
            p = makePlan();
            transition.setTarget(p.sfunc());
            MutableCallSite.syncAll(new MutableCallSite[] {transition});
            plan = p;
            return p;
        }
    }

    private Plan makePlan() throws SQLException {
        List<SqlType> sfArgs = new ArrayList<>();
        sfArgs.add(def.stype());
        sfArgs.addAll(def.argTypes());
        FunctionDef sfunc = support(def.sfunc(), sfArgs, def.stype(), "transition");
        FunctionDef fin = def.finalFunc() == 0 ? null : support(def.finalFunc(), List.of(def.stype()), def.result(), "final");
        Object initial = def.initCond() == null ? null : TextInput.parse(def.stype(), def.initCond());
        Class<?>[] argClasses = def.argTypes().stream().map(SqlType::boxedType).toArray(Class<?>[]::new);
        return new Plan(sfunc, handle(sfunc), sfunc.strict(), fin, fin == null ? null : handle(fin), fin != null && fin.strict(), initial,
                argClasses, h2Type(def.result()));
    }

    /** The support function {@code id} as it is now, if it still has the signature the aggregate was created with. */
    private FunctionDef support(long id, List<SqlType> args, SqlType result, String role) throws SQLException {
        FunctionDef f = service.function(id);
        if (f == null || !f.paramTypes().equals(args) || f.result() != result) {
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "aggregate " + def.signature() + ": its " + role + " function "
                    + (f == null ? "(id " + id + ")" : f.display()) + " no longer takes (" + SqlTypes.names(args) + ") and returns " + result.sqlName()
                    + " (it was replaced); CREATE OR REPLACE the function as before, or the aggregate");
        }
        return f;
    }

    /** {@code call(Connection, args…)} of {@code f}'s bridge class, as {@code (Object[]) -> Object}. */
    private MethodHandle handle(FunctionDef f) throws SQLException {
        String target = service.aliasTarget(f);
        try {
            Class<?> bridge = service.bridgeClass(BridgeNames.classOfTarget(target), f.id(), f.version());
            Class<?>[] params = new Class<?>[f.params().size() + 1];
            params[0] = Connection.class;
            for (int i = 0; i < f.params().size(); i++) {
                params[i + 1] = BridgeGenerator.paramClass(f.paramTypes().get(i), f.strict());
            }
            MethodHandle mh = MethodHandles.publicLookup().findStatic(bridge, BridgeNames.METHOD,
                    MethodType.methodType(BridgeGenerator.returnClass(f), params));
            return mh.asType(mh.type().generic()).asSpreader(Object[].class, params.length);
        } catch (ReflectiveOperationException e) {
            throw SqlStates.error(SqlStates.INTERNAL_ERROR, "aggregate " + def.signature() + ": cannot link function " + f.display() + ": " + e, e);
        }
    }

    /**
     * The H2 result type, after checking the argument types H2 will pass ({@code inputTypes}):
     * each must be the declared type or one PostgreSQL converts to it implicitly, else 42883 as
     * PostgreSQL reports a call that matches no function.
     */
    int resultType(int[] inputTypes) throws SQLException {
        Plan p = plan();
        boolean ok = inputTypes.length == def.argTypes().size();
        for (int i = 0; ok && i < inputTypes.length; i++) {
            ok = accepts(h2Type(def.argTypes().get(i)), inputTypes[i]);
        }
        if (!ok) {
            String given = java.util.Arrays.stream(inputTypes).mapToObj(AggregateBinding::pgName).collect(Collectors.joining(", "));
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + def.display() + "(" + given + ") does not exist (aggregate "
                    + def.signature() + " exists; no function matches the given name and argument types, you might need to add explicit type casts)");
        }
        return p.resultType();
    }

    private static int h2Type(SqlType t) {
        return ValueToObjectConverter2.classToType(t.boxedType()).getValueType();
    }

    /** Whether a value of H2 type {@code input} may be passed where {@code target} is declared (PostgreSQL's implicit casts among these). */
    private static boolean accepts(int target, int input) {
        if (input == target || input == Value.NULL || input == Value.UNKNOWN) {
            return true;
        }
        boolean integral = input == Value.TINYINT || input == Value.SMALLINT || input == Value.INTEGER || input == Value.BIGINT;
        return switch (target) {
            case Value.SMALLINT -> input == Value.TINYINT;
            case Value.INTEGER -> input == Value.TINYINT || input == Value.SMALLINT;
            case Value.BIGINT -> integral && input != Value.BIGINT;
            case Value.REAL -> integral || input == Value.NUMERIC;
            case Value.DOUBLE -> integral || input == Value.NUMERIC || input == Value.REAL || input == Value.DECFLOAT;
            case Value.VARCHAR -> input == Value.CHAR || input == Value.VARCHAR_IGNORECASE || input == Value.CLOB;
            case Value.VARBINARY -> input == Value.BINARY || input == Value.BLOB;
            default -> false;
        };
    }

    private static String pgName(int h2Type) {
        return switch (h2Type) {
            case Value.TINYINT, Value.SMALLINT -> "smallint";
            case Value.INTEGER -> "integer";
            case Value.BIGINT -> "bigint";
            case Value.REAL -> "real";
            case Value.DOUBLE -> "double precision";
            case Value.NUMERIC, Value.DECFLOAT -> "numeric";
            case Value.BOOLEAN -> "boolean";
            case Value.VARCHAR, Value.CLOB, Value.VARCHAR_IGNORECASE -> "text";
            case Value.CHAR -> "character";
            case Value.VARBINARY, Value.BINARY, Value.BLOB -> "bytea";
            default -> Value.getTypeName(h2Type).toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A failure that is not an SQLException already (those name the support function): an SQLException naming the aggregate. */
    SQLException fail(Throwable t) {
        if (t instanceof SQLException s) {
            return s;
        }
        if (t instanceof Error e && !(t instanceof StackOverflowError)) {
            throw e;
        }
        return SqlStates.error(SqlStates.INTERNAL_ERROR, "aggregate " + (def == null ? gone : def.signature()) + " failed: " + t, t);
    }
}
