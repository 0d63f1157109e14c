package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PostgreSQL's per-group rules (nodeAgg.c) as the hosts drive them: which rows reach the transition function, and with what state. */
class AggregateStateTest {

    /** Runs a sum transition (state + x) over {@code xs} the way a host does. */
    private static AggregateState sum(Long initial, boolean strict, Long... xs) {
        AggregateState s = new AggregateState(initial);
        for (Long x : xs) {
            Object[] call = {null, x};
            if (s.admit(call, 1, strict)) {
                Long state = (Long) call[0];
                s.transitioned(state == null || call[1] == null ? null : state + (Long) call[1]);
            }
        }
        return s;
    }

    @Test
    void strictTransitionSkipsNullRowsAndStartsFromInitcond() {
        assertEquals(6L, sum(0L, true, 1L, null, 2L, 3L).state());
    }

    @Test
    void strictTransitionWithoutInitcondTakesTheFirstRowAsTheState() {
        AggregateState s = new AggregateState(null);
        Object[] call = {null, 5L};
        assertFalse(s.admit(call, 1, true), "the first non-NULL row becomes the state without a call");
        assertEquals(5L, s.state());
        assertEquals(12L, sum(null, true, null, 5L, 7L).state());
        assertNull(sum(null, true, null, null).state(), "no non-NULL row: the state stays NULL");
    }

    @Test
    void aNullReturnedByAStrictTransitionStaysForTheGroup() {
        AggregateState s = new AggregateState(1L);
        Object[] call = {null, 2L};
        assertTrue(s.admit(call, 1, true));
        s.transitioned(null);
        assertFalse(s.admit(new Object[] {null, 3L}, 1, true), "NULL state: later rows are not passed to a STRICT transition");
        assertNull(s.state());
    }

    @Test
    void calledOnNullInputSeesEveryRowAndTheNullState() {
        AggregateState s = new AggregateState(null);
        Object[] call = {"x", null};
        assertTrue(s.admit(call, 1, false));
        assertNull(call[0], "the NULL initial state is passed");
    }

    @Test
    void partialStatesCombineUnderTheSameRules() {
        AggregateState empty = new AggregateState(null);
        assertFalse(empty.admitPartial(4L, true), "a strict combine takes the first partial as the state");
        assertEquals(4L, empty.state());
        assertFalse(empty.admitPartial(null, true), "a NULL partial is skipped");
        assertTrue(empty.admitPartial(6L, true));
        assertTrue(new AggregateState(null).admitPartial(null, false), "a non-strict combine is always called");
    }

    @Test
    void aStrictFinalFunctionIsNotCalledForANullState() {
        assertFalse(new AggregateState(null).needsFinal(true, true));
        assertTrue(new AggregateState(null).needsFinal(true, false));
        assertTrue(new AggregateState(0L).needsFinal(true, true));
        assertFalse(new AggregateState(0L).needsFinal(false, false));
    }
}
