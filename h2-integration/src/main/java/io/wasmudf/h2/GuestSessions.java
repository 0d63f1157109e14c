package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.WasmException;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.sql.BoundExport;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.ModuleCheck;
import io.wasmudf.sql.SqlStates;
import java.lang.invoke.MethodHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiConsumer;

/**
 * Module instances per database session: all functions over the same module share one instance
 * within a session, and no instance is ever reachable from two sessions. The session owns its
 * instances and bound exports (weak keys: they go when the session goes; thread-local caches
 * only hold them weakly); a discarded (trapped) instance is replaced on the next call.
 */
final class GuestSessions {
    private static final Map<Object, SessionState> BY_SESSION = new WeakHashMap<>();

    /** What one session holds: instances by module hash, bound exports by bridge class. */
    private static final class SessionState {
        final Map<String, GuestInstance> guests = new HashMap<>();
        final Map<String, BoundExport> exports = new HashMap<>();
    }

    private GuestSessions() {}

    static BoundExport bind(Object session, Connection c, BridgeSpec spec) throws SQLException {
        String key = spec.className();
        synchronized (BY_SESSION) {
            SessionState state = BY_SESSION.get(session);
            BoundExport e = state == null ? null : state.exports.get(key);
            if (e != null && e.isUsableBy(session)) {
                return e;
            }
        }
        GuestInstance guest = instance(session, c, spec);
        Object export = guest.instance().export(spec.export());
        if (!(export instanceof WasmFunction f) || !f.type().equals(spec.abi().core())) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, "function " + spec.function() + ": module " + spec.sha256()
                    + " does not export \"" + spec.export() + "\" as " + spec.abi().describeCore());
        }
        MethodHandle post = null;
        Object p = guest.instance().export(ModuleCheck.POST_PREFIX + spec.export());
        if (p instanceof WasmFunction pf && pf.type().equals(spec.abi().postType())) {
            post = pf.handle();
        }
        BoundExport bound = new BoundExport(guest, f.handle(), post, session);
        synchronized (BY_SESSION) {
            BY_SESSION.computeIfAbsent(session, k -> new SessionState()).exports.put(key, bound);
        }
        return bound;
    }

    private static GuestInstance instance(Object session, Connection c, BridgeSpec spec) throws SQLException {
        synchronized (BY_SESSION) {
            SessionState state = BY_SESSION.get(session);
            GuestInstance g = state == null ? null : state.guests.get(spec.sha256());
            if (g != null && !g.isDiscarded()) {
                return g;
            }
        }
        CompiledModule module = ModuleRegistry.forSha(spec.sha256(), c, spec.function());
        GuestInstance g;
        try {
            g = GuestInstance.instantiate(module);
        } catch (Trap t) {
            throw SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, "function " + spec.function() + ": wasm trap while instantiating the module: " + t.getMessage(), t);
        } catch (WasmException e) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, "function " + spec.function() + ": cannot instantiate the module: " + e.getMessage(), e);
        }
        synchronized (BY_SESSION) {
            BY_SESSION.computeIfAbsent(session, k -> new SessionState()).guests.put(spec.sha256(), g);
        }
        CancelWatchdog.start();
        return g;
    }

    /** Calls {@code action} with each live session and its instances (a snapshot, taken under the lock). */
    static void forEach(BiConsumer<Object, GuestInstance> action) {
        List<Map.Entry<Object, GuestInstance>> snapshot = new ArrayList<>();
        synchronized (BY_SESSION) {
            BY_SESSION.forEach((s, state) -> state.guests.values().forEach(g -> snapshot.add(Map.entry(s, g))));
        }
        snapshot.forEach(e -> action.accept(e.getKey(), e.getValue()));
    }

    /** Number of live sessions holding instances. */
    static int sessionCount() {
        synchronized (BY_SESSION) {
            return BY_SESSION.size();
        }
    }
}
