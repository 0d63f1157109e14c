package io.wasmudf.h2;

import io.wasmudf.sql.AggregateState;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Aggregate;

/**
 * The state machine of one group of a wasm aggregate, with PostgreSQL's rules (nodeAgg.c): the
 * state starts as INITCOND (or NULL); a STRICT transition function is not called for a row with a
 * NULL argument, and while the state is still the NULL initial one the first row's (first)
 * argument becomes the state; a STRICT transition function that returned NULL keeps the state
 * NULL for the rest of the group; a STRICT final function gives NULL for a NULL state. H2 makes
 * one instance per group (and one to ask the result type). Generated bridge classes extend it;
 * public only for them.
 */
public abstract class WasmAggregate implements Aggregate {
    private final AggregateBinding binding;
    private AggregateBinding.Plan plan;
    private Connection conn;
    /** The rules live in sql-functions, shared with the Spark side. */
    private AggregateState state;

    protected WasmAggregate(AggregateBinding binding) {
        this.binding = binding;
    }

    @Override
    public void init(Connection conn) throws SQLException {
        this.conn = conn;
        this.plan = binding.plan();
        this.state = new AggregateState(plan.initial());
    }

    @Override
    public int getInternalType(int[] inputTypes) throws SQLException {
        return binding.resultType(inputTypes);
    }

    @Override
    public void add(Object value) throws SQLException {
        AggregateBinding.Plan p = plan;
        Class<?>[] classes = p.argClasses();
        Object[] call = new Object[classes.length + 2];
        call[0] = conn;
        if (classes.length == 1) {
            call[2] = coerce(value, classes[0]);
        } else {
            Object[] row = (Object[]) value;
            for (int i = 0; i < classes.length; i++) {
                call[i + 2] = coerce(row[i], classes[i]);
            }
        }
        if (!state.admit(call, 2, p.sfuncStrict())) {
            return;
        }
        try {
            // the constant call site of the generated class while this group's plan is the current one
            state.transitioned(p == binding.current() ? transition(call) : (Object) p.sfunc().invokeExact(call));
        } catch (Throwable t) {
            throw binding.fail(t);
        }
    }

    /** Calls the current plan's transition function with {@code (Connection, state, args…)}; generated classes call it through a constant. */
    protected Object transition(Object[] call) throws Throwable {
        return (Object) plan.sfunc().invokeExact(call);
    }

    @Override
    public Object getResult() throws SQLException {
        AggregateBinding.Plan p = plan;
        if (!state.needsFinal(p.finalFunc() != null, p.finalStrict())) {
            return state.state();
        }
        try {
            return (Object) p.finalFunc().invokeExact(new Object[] {conn, state.state()});
        } catch (Throwable t) {
            throw binding.fail(t);
        }
    }

    /** A value as H2 hands it over, as the declared argument's Java type (the types were checked by {@link #getInternalType}). */
    private static Object coerce(Object v, Class<?> target) throws SQLException {
        if (v == null || target.isInstance(v)) {
            return v;
        }
        if (v instanceof Number n) {
            if (target == Long.class) {
                return n.longValue();
            }
            if (target == Integer.class) {
                return n.intValue();
            }
            if (target == Short.class) {
                return n.shortValue();
            }
            if (target == Double.class) {
                return n.doubleValue();
            }
            if (target == Float.class) {
                return n.floatValue();
            }
        }
        if (v instanceof Clob c && target == String.class) {
            return c.getSubString(1, (int) c.length());
        }
        if (v instanceof Blob b && target == byte[].class) {
            return b.getBytes(1, (int) b.length());
        }
        return v; // the support function's bridge refuses it with its own message
    }
}
