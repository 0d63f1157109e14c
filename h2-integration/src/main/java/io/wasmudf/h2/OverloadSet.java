package io.wasmudf.h2;

import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.h2.engine.Session;
import org.h2.jdbc.JdbcConnection;
import org.h2.value.Value;
import org.h2.value.ValueArray;
import org.h2.value.ValueNull;
import org.h2.value.ValueToObjectConverter;

/**
 * The runtime side of an overloaded name's dispatching class ({@link OverloadBridgeGenerator}):
 * its functions (each called through its own bridge class, unchanged), and for each arity that
 * several of them share, PostgreSQL's choice ({@link OverloadResolution}) by the types of the
 * values H2 passes, made once per combination of types and cached. Public only because generated
 * classes call it.
 */
public final class OverloadSet {
    /** {@link #choose}'s answer when a NULL leaves several STRICT functions: each would return NULL. */
    public static final int NULL_RESULT = -1;
    /** Overloaded arities pack one 8-bit type code per argument into a long. */
    static final int MAX_DISPATCH_ARITY = 7;

    private final List<FunctionDef> members;
    /** The Java class each member's parameter takes (boxed), for {@link #arg}. */
    private final Class<?>[][] argClasses;
    private final CatalogService service;
    private final String gone;
    /** Per arity: the choices made so far, by packed type codes. */
    private final List<ConcurrentHashMap<Long, Integer>> choices = new ArrayList<>();
    /** The last choice, which answers row after row of one call site without a map lookup (racy but immutable). */
    private Hit last = new Hit(Long.MIN_VALUE, 0);

    private record Hit(long key, int index) {}

    private OverloadSet(CatalogService service, List<FunctionDef> members, String gone) {
        this.service = service;
        this.members = members;
        this.gone = gone;
        this.argClasses = new Class<?>[members.size()][];
        for (int i = 0; i < members.size(); i++) {
            FunctionDef d = members.get(i);
            argClasses[i] = d.paramTypes().stream().map(t -> BridgeGenerator.paramClass(t, d.strict()).isPrimitive() ? t.boxedType()
                    : BridgeGenerator.paramClass(t, d.strict())).toArray(Class<?>[]::new);
        }
        for (int i = 0; i <= MAX_DISPATCH_ARITY; i++) {
            choices.add(new ConcurrentHashMap<>());
        }
    }

    /** The set of dispatching class {@code className}, from its static initializer. */
    public static OverloadSet forBridge(String className) {
        BridgeNames.ParsedGroup p = BridgeNames.parseGroup(className);
        CatalogService service = p == null ? null : CatalogService.forBridge(p.databaseId());
        if (service == null) {
            return new OverloadSet(null, List.of(), className);
        }
        List<FunctionDef> members = new ArrayList<>();
        for (int i = 0; i < p.functionIds().length; i++) {
            FunctionDef d = service.definition(p.functionIds()[i], p.versions()[i]);
            if (d == null) {
                return new OverloadSet(null, List.of(), className);
            }
            members.add(d);
        }
        return new OverloadSet(service, members, null);
    }

    /** The method type of a function's own bridge {@code call} (see {@link BridgeGenerator}). */
    static MethodType memberType(FunctionDef def) {
        List<Class<?>> params = new ArrayList<>();
        params.add(Connection.class);
        for (SqlType t : def.paramTypes()) {
            params.add(BridgeGenerator.paramClass(t, def.strict()));
        }
        return MethodType.methodType(BridgeGenerator.returnClass(def), params);
    }

    /** The {@code call} of member {@code index}'s own bridge class; one that throws 42883 when the function is gone. */
    public MethodHandle handle(int index, String descriptor) {
        MethodType type = MethodType.fromMethodDescriptorString(descriptor, OverloadSet.class.getClassLoader());
        if (service == null) {
            return MethodHandles.dropArguments(MethodHandles.throwException(type.returnType(), SQLException.class)
                    .bindTo(SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + gone + " was dropped or replaced")), 0, type.parameterList());
        }
        FunctionDef d = members.get(index);
        Class<?> bridge;
        try {
            bridge = service.bridgeClass(BridgeNames.className(service.databaseId(), d.id(), d.version()), d.id(), d.version());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try {
            return MethodHandles.publicLookup().findStatic(bridge, BridgeNames.METHOD, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("bridge of function " + d.display() + ": " + e, e);
        }
    }

    /** The 8-bit type code of {@code v} (its H2 value type; arrays with their element type). */
    public static int code(Value v) {
        if (v == null) {
            return Value.NULL;
        }
        int t = v.getValueType();
        if (t == Value.ARRAY) {
            int e = ((ValueArray) v).getComponentType().getValueType();
            return 64 + Math.max(0, e);
        }
        return t;
    }

    /** The SQL type name an 8-bit type code stands for in PostgreSQL's terms. */
    static String typeName(int code) {
        if (code >= 64) {
            String e = typeName(code - 64);
            return e.equals(OverloadResolution.UNKNOWN) ? "anyarray" : e + "[]";
        }
        return switch (code) {
            case Value.NULL -> OverloadResolution.UNKNOWN;
            case Value.CHAR -> "bpchar";
            case Value.VARCHAR, Value.CLOB, Value.VARCHAR_IGNORECASE -> "text";
            case Value.BINARY, Value.VARBINARY, Value.BLOB -> "bytea";
            case Value.BOOLEAN -> "boolean";
            case Value.TINYINT, Value.SMALLINT -> "smallint";
            case Value.INTEGER -> "integer";
            case Value.BIGINT -> "bigint";
            case Value.NUMERIC, Value.DECFLOAT -> "numeric";
            case Value.REAL -> "real";
            case Value.DOUBLE -> "double precision";
            case Value.DATE -> "date";
            case Value.TIME -> "time";
            case Value.TIME_TZ -> "timetz";
            case Value.TIMESTAMP -> "timestamp";
            case Value.TIMESTAMP_TZ -> "timestamptz";
            case Value.JSON -> "json";
            case Value.UUID -> "uuid";
            case Value.ROW -> "record";
            case Value.GEOMETRY -> "geometry";
            case Value.ENUM -> "enum";
            case Value.JAVA_OBJECT -> "java_object";
            default -> code >= Value.INTERVAL_YEAR && code <= Value.INTERVAL_MINUTE_TO_SECOND ? "interval" : "unknown";
        };
    }

    /**
     * The member to call for arguments of packed type codes {@code key} (one byte per argument,
     * the first highest), or {@link #NULL_RESULT}; 42883 when none takes them, 42725 when several
     * do equally well, with PostgreSQL's wording and hints.
     */
    public int choose(int arity, long key) throws SQLException {
        long full = key | ((long) arity << 56);
        Hit l = last;
        if (l.key == full) {
            return l.index;
        }
        Integer cached = choices.get(arity).get(key);
        if (cached == null) {
            cached = resolve(arity, key);
            choices.get(arity).put(key, cached);
        }
        last = new Hit(full, cached);
        return cached;
    }

    private int resolve(int arity, long key) throws SQLException {
        if (service == null) {
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + gone + " was dropped or replaced");
        }
        List<String> inputs = new ArrayList<>();
        for (int i = arity - 1; i >= 0; i--) {
            inputs.add(typeName((int) (key >>> (8 * i)) & 0xff));
        }
        List<Integer> indexes = new ArrayList<>();
        List<List<String>> candidates = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).params().size() == arity) {
                indexes.add(i);
                candidates.add(members.get(i).paramTypes().stream().map(t -> OverloadResolution.base(t.sqlName())).toList());
            }
        }
        OverloadResolution.Choice c = OverloadResolution.choose(candidates, inputs);
        String call = "function " + members.get(0).display() + "(" + String.join(", ", inputs) + ")";
        if (c.found()) {
            FunctionDef chosen = members.get(indexes.get(c.index()));
            return chosen.strict() && inputs.contains(OverloadResolution.UNKNOWN) ? NULL_RESULT : indexes.get(c.index());
        }
        if (c.ambiguous()) {
            // A NULL reaches H2's functions without its static type: NULL of a typed column is indistinguishable from an untyped
            // NULL literal. When every remaining candidate is STRICT, each would give NULL, so the call does too.
            if (inputs.contains(OverloadResolution.UNKNOWN) && c.remaining().stream().allMatch(i -> members.get(indexes.get(i)).strict())) {
                return NULL_RESULT;
            }
            throw SqlStates.hinted(SqlStates.AMBIGUOUS_FUNCTION, call + " is not unique",
                    "Could not choose a best candidate function. You might need to add explicit type casts.");
        }
        throw SqlStates.hinted(SqlStates.UNDEFINED_FUNCTION, call + " does not exist",
                "No function matches the given name and argument types. You might need to add explicit type casts.");
    }

    /** Argument {@code v} as member {@code index}'s parameter {@code position} takes it (H2's own conversion to the Java class). */
    public Object arg(int index, int position, Value v, Connection c) {
        if (v == null || v == ValueNull.INSTANCE) {
            return null;
        }
        return ValueToObjectConverter.valueToObject(argClasses[index][position], v, (JdbcConnection) c);
    }

    /** A function's result as the arity's common result class (OverloadBridgeGenerator#commonResult), by H2's own conversion. */
    public static Object widen(Object o, Class<?> to, Connection c) {
        if (o == null || to.isInstance(o)) {
            return o;
        }
        Value v = ValueToObjectConverter.objectToValue((Session) H2Access.session(c), o, Value.UNKNOWN);
        return ValueToObjectConverter.valueToObject(to, v, (JdbcConnection) c);
    }

    /** For messages: the signatures. */
    @Override
    public String toString() {
        return members.stream().map(d -> d.display() + "(" + d.paramTypes().stream().map(SqlType::sqlName)
                .collect(Collectors.joining(", ")) + ")").collect(Collectors.joining("; "));
    }
}
