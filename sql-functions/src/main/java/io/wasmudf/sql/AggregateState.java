package io.wasmudf.sql;

import java.io.Serializable;

/**
 * One group's state of a user-defined aggregate under PostgreSQL's rules (nodeAgg.c), for every
 * host (H2's per-group aggregate object, Spark's {@code Aggregator} buffer): the state starts as
 * INITCOND (or NULL); a STRICT transition function is not called for a row with a NULL argument,
 * and while the state is still the NULL initial one the row's first argument becomes the state; a
 * STRICT transition function that returned NULL keeps the state NULL for the rest of the group; a
 * STRICT final function gives NULL for a NULL state. Combining partial states (COMBINEFUNC) follows
 * the same rules, a partial state being the one argument. The host calls the functions; this
 * decides whether and with what. Values are the codecs' Java values.
 */
public final class AggregateState implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object state;
    /** PostgreSQL's noTransValue: the state is the NULL initial value, not a NULL a transition returned. */
    private boolean noState;

    /** A group's state at its start: {@code initial} is INITCOND read as the state type, or null. */
    public AggregateState(Object initial) {
        this.state = initial;
        this.noState = initial == null;
    }

    /** The current state. */
    public Object state() {
        return state;
    }

    /**
     * One row: {@code call} holds the transition function's arguments from {@code argsFrom} on.
     * Returns true when the transition function must be called, with the state now at
     * {@code call[argsFrom - 1]}; its result then goes to {@link #transitioned}. False: the row is
     * skipped or taken as the state without a call.
     */
    public boolean admit(Object[] call, int argsFrom, boolean strict) {
        if (strict) {
            for (int i = argsFrom; i < call.length; i++) {
                if (call[i] == null) {
                    return false;
                }
            }
            if (noState) {
                state = call[argsFrom];
                noState = false;
                return false;
            }
            if (state == null) {
                return false;
            }
        }
        call[argsFrom - 1] = state;
        return true;
    }

    /** The transition (or combine) function's result is the new state. */
    public void transitioned(Object newState) {
        state = newState;
        noState = false;
    }

    /**
     * Merging a partial state (another group state's {@link #state()}) into this one: true when the
     * combine function must be called with {@code (state(), partial)}, its result going to
     * {@link #transitioned}; false when the partial was skipped (NULL) or taken as the state.
     */
    public boolean admitPartial(Object partial, boolean strict) {
        if (strict) {
            if (partial == null) {
                return false;
            }
            if (noState) {
                state = partial;
                noState = false;
                return false;
            }
            return state != null;
        }
        return true;
    }

    /** Whether the final function must be called on the state: there is one, and it is not STRICT with a NULL state. */
    public boolean needsFinal(boolean hasFinal, boolean finalStrict) {
        return hasFinal && !(finalStrict && state == null);
    }
}
