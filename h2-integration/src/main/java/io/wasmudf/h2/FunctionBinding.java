package io.wasmudf.h2;

import io.wasmudf.engine.Trap;
import io.wasmudf.engine.WasmException;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.BoundExport;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.SqlStates;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.jdbc.JdbcConnection;

/**
 * The runtime side of one bridge class: finds the calling session's {@link BoundExport} (a
 * thread-local hit when the thread keeps serving the same session) and turns failures into
 * {@link SQLException}s naming the function. Public only because generated classes call it.
 */
public final class FunctionBinding {
    private static final ConcurrentHashMap<String, FunctionBinding> BY_CLASS = new ConcurrentHashMap<>();

    private final BridgeSpec spec;
    /** The binding this thread used last; weak, so a closed session's instance is not kept alive by a thread. */
    private final ThreadLocal<WeakReference<GuestSessions.Bound>> last = new ThreadLocal<>();

    private FunctionBinding(BridgeSpec spec) {
        this.spec = spec;
    }

    /** The binding of the bridge class {@code className}; called once from its static initializer. */
    public static FunctionBinding forBridge(String className) {
        return BY_CLASS.computeIfAbsent(className, n -> {
            try {
                return new FunctionBinding(BridgeSpec.fromClassName(n));
            } catch (SQLException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    /**
     * The export bound to the session behind {@code c}, instantiating the module for it if needed,
     * and prepared for one call: the statement's deadline set, fuel refilled, a cancelled
     * statement refused (57014).
     */
    public BoundExport bind(Connection c) throws SQLException {
        Object session = c instanceof JdbcConnection j ? j.getSession() : c;
        WeakReference<GuestSessions.Bound> ref = last.get();
        GuestSessions.Bound b = ref == null ? null : ref.get();
        if (b == null || !b.export().isUsableBy(session)) {
            b = GuestSessions.bind(session, c, spec);
            last.set(new WeakReference<>(b));
        }
        b.guest().enter(session, spec.function());
        return b.export();
    }

    /**
     * Translates a failure inside a call into an SQLException naming the function: 57014 for a
     * timeout or cancel, 54000 for exhausted fuel, 54001 for an exhausted call stack, 53200 for
     * memory, 38000 for other traps. A trap (or anything unexpected) closes the instance, so the
     * session's next call gets a fresh one; the connection itself stays usable.
     */
    public SQLException fail(BoundExport e, Throwable t) {
        String fn = "function " + spec.function();
        if (t instanceof AbiException a) {
            return SqlStates.error(a.sqlState(), fn + ": " + a.getMessage(), a);
        }
        if (t instanceof SQLException s) {
            return s;
        }
        SessionGuest guest = guestOf(e);
        int growRefusals = e.guest.memoryGrowRefusals();
        if (guest != null) {
            guest.close();
        } else {
            e.guest.discard();
        }
        if (t instanceof Trap trap) {
            switch (trap.kind()) {
                case TIMEOUT:
                    return SqlStates.error(SqlStates.QUERY_CANCELED, fn + ": " + trap.getMessage() + " ("
                            + (guest == null ? "canceling statement due to statement timeout" : guest.timeoutReason()) + ")", trap);
                case INTERRUPTED:
                    return SqlStates.error(SqlStates.QUERY_CANCELED, fn + ": " + trap.getMessage() + " (canceling statement due to user request)", trap);
                case OUT_OF_FUEL:
                    return SqlStates.error(SqlStates.PROGRAM_LIMIT_EXCEEDED, fn + ": " + trap.getMessage() + " ("
                            + FunctionLimits.FUEL + " = " + (guest == null ? "?" : guest.limits.fuel()) + " instructions per call)", trap);
                case CALL_STACK_EXHAUSTED:
                    return stackExhausted(fn, trap);
                default:
                    if (growRefusals > 0) {
                        // the guest asked for memory, was refused, and gave up: report what it ran into
                        return SqlStates.error(SqlStates.OUT_OF_MEMORY, fn + ": out of memory: wasm trap: " + trap.getMessage()
                                + " after memory.grow was refused (" + memoryLimits(guest) + ")", trap);
                    }
                    return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, fn + ": wasm trap: " + trap.getMessage(), trap);
            }
        }
        if (t instanceof StackOverflowError) {
            return stackExhausted(fn, t);
        }
        if (t instanceof WasmException) {
            return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, fn + ": " + t.getMessage(), t);
        }
        if (t instanceof OutOfMemoryError) {
            return SqlStates.error(SqlStates.OUT_OF_MEMORY, fn + ": out of memory while running the guest", t);
        }
        return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, fn + ": guest call failed: " + t, t);
    }

    private static String memoryLimits(SessionGuest guest) {
        if (guest == null) {
            return "memory limit reached";
        }
        return FunctionLimits.MAX_MEMORY + " = " + (guest.limits.maxMemoryPages() * FunctionLimits.PAGE_BYTES >> 10) + " kB"
                + ", or the database's " + DatabaseLimits.MEMORY_BUDGET + " is used up";
    }

    private static SQLException stackExhausted(String fn, Throwable t) {
        return SqlStates.error(SqlStates.STATEMENT_TOO_COMPLEX, fn + ": call stack exhausted (recursion too deep)", t);
    }

    /** The instance state of {@code e}: the binding this thread just used for it. */
    private SessionGuest guestOf(BoundExport e) {
        WeakReference<GuestSessions.Bound> ref = last.get();
        GuestSessions.Bound b = ref == null ? null : ref.get();
        return b != null && b.export() == e ? b.guest() : null;
    }
}
