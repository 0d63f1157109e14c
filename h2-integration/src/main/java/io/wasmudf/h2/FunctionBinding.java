package io.wasmudf.h2;

import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.WasmException;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.BoundExport;
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
    /** The last export this thread used; weak, so a closed session's instance is not kept alive by a thread. */
    private final ThreadLocal<WeakReference<BoundExport>> last = new ThreadLocal<>();

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

    /** The export bound to the session behind {@code c}, instantiating the module for it if needed. */
    public BoundExport bind(Connection c) throws SQLException {
        Object session = c instanceof JdbcConnection j ? j.getSession() : c;
        WeakReference<BoundExport> ref = last.get();
        BoundExport e = ref == null ? null : ref.get();
        if (e != null && e.isUsableBy(session)) {
            return e;
        }
        e = GuestSessions.bind(session, c, spec);
        last.set(new WeakReference<>(e));
        return e;
    }

    /**
     * Translates a failure inside a call. A trap (or anything unexpected) discards the instance,
     * so the session's next call gets a fresh one; the connection itself stays usable.
     */
    public SQLException fail(BoundExport e, Throwable t) {
        String fn = "function " + spec.function();
        if (t instanceof AbiException a) {
            return SqlStates.error(a.sqlState(), fn + ": " + a.getMessage(), a);
        }
        if (t instanceof SQLException s) {
            return s;
        }
        e.guest.discard();
        if (t instanceof Trap trap && (trap.kind() == TrapKind.INTERRUPTED || trap.kind() == TrapKind.TIMEOUT)) {
            return SqlStates.error(SqlStates.QUERY_CANCELED, fn + ": canceling statement (query timeout or cancel): " + trap.getMessage(), trap);
        }
        if (t instanceof Trap trap) {
            return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, fn + ": wasm trap: " + trap.getMessage(), trap);
        }
        if (t instanceof StackOverflowError) {
            return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, fn + ": wasm trap: call stack exhausted", t);
        }
        if (t instanceof WasmException) {
            return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, fn + ": " + t.getMessage(), t);
        }
        if (t instanceof OutOfMemoryError) {
            return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, fn + ": out of memory while running the guest", t);
        }
        return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, fn + ": guest call failed: " + t, t);
    }
}
