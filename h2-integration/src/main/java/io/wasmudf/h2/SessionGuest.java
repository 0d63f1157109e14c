package io.wasmudf.h2;

import io.wasmudf.engine.Instance;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.time.Instant;
import org.h2.engine.SessionLocal;

/**
 * One session's instance of a module under one set of limits, and what it knows about the
 * statement running it. On the first call of each statement it turns H2's query timeout (the
 * session's cancel time, set from {@code Statement.setQueryTimeout} or {@code SET QUERY_TIMEOUT})
 * and the function's {@code wasm.timeout} into the instance's engine deadline; {@link #cancel}
 * interrupts a running call and refuses later calls of the same statement; a per-call fuel budget
 * is refilled before every call.
 */
final class SessionGuest {
    /** H2 sets this at every statement start and end; a new object means a new statement (identity is enough). */
    private static final VarHandle COMMAND_START = commandStart();

    final GuestInstance guest;
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

    SessionGuest(GuestInstance guest, FunctionLimits limits) {
        this.guest = guest;
        this.limits = limits;
        this.fuel = limits.fuel() == null ? 0 : limits.fuel();
        this.timeoutNanos = limits.timeout() == null ? 0 : limits.timeout().toNanos();
    }

    /** Before each call: a new statement gets its deadline; a cancelled one gets no more calls; fuel is refilled. */
    void enter(Object session, String function) throws SQLException {
        if (session instanceof SessionLocal s) {
            Object current = statementOf(s);
            if (current != statement && (current == null || !current.equals(statement))) {
                beginStatement(s, current);
            } else if (current != null && current == cancelledStatement) {
                throw SqlStates.error(SqlStates.QUERY_CANCELED, "function " + function + ": canceling statement due to user request");
            }
        }
        if (fuel > 0) {
            guest.instance().setFuel(fuel);
        }
    }

    private void beginStatement(SessionLocal s, Object current) {
        statement = current;
        // H2 leaves the last statement's cancel time in place; with no command running (calls while
        // a statement is prepared, e.g. constant-folding an IMMUTABLE function) it is stale
        long cancelAt = s.getCurrentCommand() == null ? 0 : s.getCancel();
        long deadline = cancelAt;
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
        if (session instanceof SessionLocal s) {
            cancelledStatement = statementOf(s);
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

    void close() {
        guest.discard();
    }

    private static Object statementOf(SessionLocal s) {
        if (COMMAND_START != null) {
            return (Instant) COMMAND_START.get(s); // the cast makes the access exact-typed, hence cheap
        }
        return s.getCommandStartOrEnd();
    }

    private static VarHandle commandStart() {
        try {
            return MethodHandles.privateLookupIn(SessionLocal.class, MethodHandles.lookup())
                    .findVarHandle(SessionLocal.class, "commandStartOrEnd", Instant.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another H2 version: the public getter works too, it just allocates per call
        }
    }
}
