package io.wasmudf.h2;

import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.Instance;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;

/**
 * One session's instance of a module under one set of limits, and what it knows about the
 * statement running it. On the first call of each statement it turns H2's query timeout (the
 * session's cancel time, set from {@code Statement.setQueryTimeout} or {@code SET QUERY_TIMEOUT})
 * and the function's {@code wasm.timeout} into the instance's engine deadline; {@link #cancel}
 * interrupts a running call and refuses later calls of the same statement; a per-call fuel budget
 * is refilled before every call.
 */
final class SessionGuest {
    final GuestInstance guest;
    /**
     * {@code guest.hosted()}, read per call: a field load, where calling the getter stayed a real
     * call in the bridges' compiled code whenever {@link HostedInstance} was not loaded yet (C2
     * does not inline a method whose signature names an unloaded class), i.e. for every module
     * without imports.
     */
    private final HostedInstance hosted;
    final FunctionLimits limits;
    private final long fuel;
    private final long timeoutNanos;
    /** The statement this instance last served; compared by identity (or equals, without the VarHandle). */
    private Object statement;
    /** The statement a cancel was requested for; written by the cancelling thread. */
    private volatile Object cancelledStatement;
    /** Whether the deadline now set came from the function's own {@code wasm.timeout} (for the message). */
    private boolean functionDeadline;
    private boolean hasDeadline;

    /** Whether the session is an embedded H2 session (else there is no statement to follow, e.g. in unit tests). */
    private final boolean embedded;

    /** Where the instance's output goes, told which function runs. */
    private final GuestOutput.Source output;

    SessionGuest(GuestInstance guest, FunctionLimits limits, boolean embedded, GuestOutput.Source output) {
        this.guest = guest;
        this.hosted = guest.hosted();
        this.output = output;
        this.embedded = embedded;
        this.limits = limits;
        this.fuel = limits.fuel() == null ? 0 : limits.fuel();
        this.timeoutNanos = limits.timeout() == null ? 0 : limits.timeout().toNanos();
    }

    /** Before each call: a new statement gets its deadline; a cancelled one gets no more calls; fuel is refilled. */
    void enter(Object session, String function) throws SQLException {
        if (embedded) {
            Object current = H2Access.statementOf(session);
            if (current != statement && (current == null || !current.equals(statement))) {
                beginStatement(session, current);
            }
            // checked after beginStatement too: a cancel that came before the statement's first call
            // found no call to interrupt, and beginning the statement discards pending interrupts
            if (current != null && current == cancelledStatement) {
                throw SqlStates.error(SqlStates.QUERY_CANCELED, "function " + function + ": canceling statement due to user request");
            }
        }
        if (fuel > 0) {
            guest.instance().setFuel(fuel);
        }
        if (hosted != null) {
            // each row is a call: the fixed clock, the seeded random stream and the per-call output
            // budget restart, so a deterministic function gives the same result in every row
            hosted.beginCall();
            output.calling(function);
        }
    }

    private void beginStatement(Object session, Object current) {
        statement = current;
        long deadline = H2Access.statementDeadline(session);
        functionDeadline = false;
        if (timeoutNanos > 0) {
            long own = System.nanoTime() + timeoutNanos;
            if (deadline == 0 || own - deadline < 0) {
                deadline = own;
                functionDeadline = true;
            }
        }
        Instance instance = guest.instance();
        // the bridges' direct call sites skip the per-call entry (CompiledModule.exportHandleForCalls):
        // a statement is their unit of calls, and a trap discards the instance (FunctionBinding.fail)
        instance.beginCalls();
        if (guest.hosted() != null) {
            guest.hosted().beginUnit(); // the per-statement output budget
        }
        if (deadline != 0) {
            instance.setDeadline(deadline);
            hasDeadline = true;
        } else if (hasDeadline) {
            instance.clearDeadline();
            hasDeadline = false;
        }
    }

    /** Stops the statement running in {@code session} now, as far as this instance is concerned. Any thread. */
    void cancel(Object session) {
        if (embedded) {
            cancelledStatement = H2Access.statementOf(session);
        }
        guest.instance().interrupt();
    }

    /** Why the last TIMEOUT trap happened, for its message. */
    String timeoutReason() {
        if (functionDeadline) {
            return "canceling statement: the function's " + FunctionLimits.TIMEOUT + " of " + limits.timeout().toMillis() + " ms expired";
        }
        return "canceling statement due to statement timeout";
    }

    /** Delivers the guest's unfinished output line, if any, to the session's output. */
    void flushOutput() {
        HostedInstance hosted = guest.hosted();
        if (hosted != null && !guest.isDiscarded()) {
            hosted.flushOutput();
        }
    }

    void close() {
        guest.discard();
    }
}
