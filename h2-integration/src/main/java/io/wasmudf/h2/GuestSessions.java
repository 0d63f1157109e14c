package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.InstanceLimits;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.sql.BoundExport;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.ModuleCheck;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import java.lang.invoke.MethodHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Module instances per database session: all functions over the same module and with the same
 * limits share one instance within a session, and no instance is ever reachable from two
 * sessions, so no session can see another's memory. The session owns its instances and bound
 * exports (weak keys: they go when the session goes; thread-local caches only hold them weakly);
 * a discarded (trapped) instance is replaced on the next call, and closing the connection closes
 * its instances, giving their memory back to the database's budget.
 */
final class GuestSessions {
    private static final Map<Object, SessionState> BY_SESSION = new WeakHashMap<>();

    /** What one session holds: instances by module hash and limits, bound exports by bridge class. */
    private static final class SessionState {
        final Map<String, SessionGuest> guests = new HashMap<>();
        final Map<String, Bound> exports = new HashMap<>();
    }

    /** An export bound for one session, with the instance state its calls go through. */
    record Bound(BoundExport export, SessionGuest guest) {}

    private GuestSessions() {}

    static Bound bind(Object session, Connection c, BridgeSpec spec) throws SQLException {
        String key = spec.className();
        synchronized (BY_SESSION) {
            SessionState state = BY_SESSION.get(session);
            Bound b = state == null ? null : state.exports.get(key);
            if (b != null && b.export().isUsableBy(session)) {
                return b;
            }
        }
        SessionGuest sg = instance(session, c, spec);
        GuestInstance guest = sg.guest;
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
        Bound bound = new Bound(new BoundExport(guest, f.handle(), post, session), sg);
        synchronized (BY_SESSION) {
            BY_SESSION.computeIfAbsent(session, k -> new SessionState()).exports.put(key, bound);
        }
        return bound;
    }

    /** The binding {@code session} holds for bridge class {@code className}, or null. */
    static Bound bound(Object session, String className) {
        synchronized (BY_SESSION) {
            SessionState state = session == null ? null : BY_SESSION.get(session);
            return state == null ? null : state.exports.get(className);
        }
    }

    /** The instance limits for {@code limits} (effective ones) in a database with {@code db}'s budget. */
    static InstanceLimits instanceLimits(CompiledModule module, FunctionLimits limits, DatabaseLimits db) {
        long fuel = limits.fuel();
        return module.engine().defaultLimits()
                .withMaxMemoryPages(limits.maxMemoryPages())
                .withMemoryBudget(db.budget)
                .withFuel(fuel > 0 ? fuel : Long.MAX_VALUE)
                .withInstantiationTimeout(DatabaseLimits.INSTANTIATION_TIMEOUT);
    }

    private static SessionGuest instance(Object session, Connection c, BridgeSpec spec) throws SQLException {
        DatabaseLimits db = DatabaseLimits.of(session);
        FunctionLimits limits = db.effective(spec.limits());
        String key = spec.sha256() + "/" + limits;
        synchronized (BY_SESSION) {
            SessionState state = BY_SESSION.get(session);
            SessionGuest g = state == null ? null : state.guests.get(key);
            if (g != null && !g.guest.isDiscarded()) {
                return g;
            }
        }
        String fn = "function " + spec.function();
        CompiledModule module = ModuleRegistry.forSha(spec.sha256(), c, spec.function(), limits.fuel() > 0);
        GuestInstance guest;
        try {
            guest = GuestInstance.instantiate(module, instanceLimits(module, limits, db));
        } catch (RuntimeException | OutOfMemoryError e) {
            throw SqlErrors.instantiateFailed(fn, e, DatabaseLimits.INSTANTIATION_TIMEOUT.toSeconds(), db.budget.toString());
        }
        SessionGuest g = new SessionGuest(guest, limits);
        SessionGuest old;
        synchronized (BY_SESSION) {
            old = BY_SESSION.computeIfAbsent(session, k -> new SessionState()).guests.put(key, g);
        }
        if (old != null) {
            old.close();
        }
        return g;
    }

    /** Cancels the statement running in {@code session}: running guest calls stop, later ones of that statement are refused. */
    static void cancel(Object session) {
        for (SessionGuest g : guestsOf(session)) {
            g.cancel(session);
        }
    }

    /** Closes {@code session}'s instances (its connection closed): their memory goes back to the budget. */
    static void release(Object session) {
        SessionState state;
        synchronized (BY_SESSION) {
            state = BY_SESSION.remove(session);
        }
        FunctionBinding.forget(session);
        if (state != null) {
            state.guests.values().forEach(SessionGuest::close);
        }
    }

    private static List<SessionGuest> guestsOf(Object session) {
        synchronized (BY_SESSION) {
            SessionState state = BY_SESSION.get(session);
            return state == null ? List.of() : new ArrayList<>(state.guests.values());
        }
    }

    /** Number of live sessions holding instances. */
    static int sessionCount() {
        synchronized (BY_SESSION) {
            return BY_SESSION.size();
        }
    }
}
