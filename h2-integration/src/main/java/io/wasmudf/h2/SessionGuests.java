package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.sql.BoundExport;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.ModuleCheck;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import java.lang.invoke.MethodHandle;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * One database's module instances per session: all functions over the same module and with the
 * same limits share one instance within a session, and no instance is ever reachable from two
 * sessions, so no session can see another's memory. The session owns its instances and bound
 * exports (weak keys: they go when the session goes; thread-local caches only hold them weakly);
 * a discarded (trapped) instance is replaced on the next call, closing the connection closes its
 * instances (their memory goes back to the database's budget), and DROP/REPLACE closes those no
 * function uses any more.
 */
final class SessionGuests {
    private final CatalogService service;
    private final Map<Object, SessionState> bySession = new WeakHashMap<>();
    /** Whether any instance of this database ever had host imports: until then there is no output to collect, nor a lock to take per statement. */
    private volatile boolean anyHosted;

    /** What one session holds: instances by module hash and limits, bound exports by binding. */
    private static final class SessionState {
        final Map<String, SessionGuest> guests = new HashMap<>();
        final Map<FunctionBinding, Bound> exports = new HashMap<>();
        /** Instances of dropped or replaced functions, closed when the session next binds or closes. */
        final List<SessionGuest> retired = new ArrayList<>();
        /** What the session's guests wrote, until its statement collects it. */
        final GuestOutput output = new GuestOutput();
    }

    /** An export bound for one session, with the instance state its calls go through. */
    record Bound(BoundExport export, SessionGuest guest) {}

    SessionGuests(CatalogService service) {
        this.service = service;
    }

    /** Which instance of a session serves a function: its module content and its effective limits. */
    static String instanceKey(String sha256, FunctionLimits effective) {
        return sha256 + "/" + effective;
    }

    Bound bind(Object session, FunctionBinding binding) throws SQLException {
        FunctionDef def = binding.def;
        List<SessionGuest> toClose;
        synchronized (this) {
            SessionState state = bySession.get(session);
            Bound b = state == null ? null : state.exports.get(binding);
            if (b != null && b.export().isUsableBy(session)) {
                return b;
            }
            toClose = takeRetired(state);
        }
        toClose.forEach(SessionGuest::close);
        SessionGuest sg = instance(session, def);
        GuestInstance guest = sg.guest;
        Object export = guest.instance().export(def.export());
        if (!(export instanceof WasmFunction f) || !f.type().equals(def.abi().core())) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, "function " + def.display() + ": module \"" + def.module()
                    + "\" does not export \"" + def.export() + "\" as " + def.abi().describeCore());
        }
        MethodHandle post = null;
        Object p = guest.instance().export(ModuleCheck.POST_PREFIX + def.export());
        if (p instanceof WasmFunction pf && pf.type().equals(def.abi().postType())) {
            post = pf.handle();
        }
        Bound bound = new Bound(new BoundExport(guest, f.handle(), post, session), sg);
        synchronized (this) {
            bySession.computeIfAbsent(session, k -> new SessionState()).exports.put(binding, bound);
        }
        return bound;
    }

    /** The binding {@code session} holds for {@code binding}, or null. */
    synchronized Bound bound(Object session, FunctionBinding binding) {
        SessionState state = session == null ? null : bySession.get(session);
        return state == null ? null : state.exports.get(binding);
    }

    private SessionGuest instance(Object session, FunctionDef def) throws SQLException {
        // grants are part of the key: functions of one module with different grants get different instances
        FunctionLimits limits = service.limits.effective(def.limits()).withGrantsFor(def.volatility());
        String key = instanceKey(def.sha256(), limits);
        synchronized (this) {
            SessionState state = bySession.get(session);
            SessionGuest g = state == null ? null : state.guests.get(key);
            if (g != null && !g.guest.isDiscarded()) {
                return g;
            }
        }
        String fn = "function " + def.display();
        CompiledModule module = service.module(def, limits.fuel() > 0);
        GuestOutput.Source output;
        synchronized (this) {
            output = bySession.computeIfAbsent(session, k -> new SessionState()).output.source(def.display());
        }
        GuestInstance guest;
        try {
            guest = GuestInstance.instantiate(module, service.instanceLimits(module, limits), GuestHosts.forSession(limits.grants(), output));
        } catch (RuntimeException | OutOfMemoryError e) {
            throw SqlErrors.instantiateFailed(fn, e, DatabaseLimits.INSTANTIATION_TIMEOUT.toSeconds(), service.limits.budget.toString());
        }
        if (guest.hosted() != null) {
            anyHosted = true;
        }
        SessionGuest g = new SessionGuest(guest, limits, H2Access.database(session) != null, output);
        SessionGuest old;
        synchronized (this) {
            old = bySession.computeIfAbsent(session, k -> new SessionState()).guests.put(key, g);
        }
        if (old != null) {
            old.close();
        }
        return g;
    }

    /**
     * {@code def} (bound through {@code binding}, which may be null) was dropped or replaced: every
     * session forgets its bound export, and instances whose key is not in {@code live} (used by a
     * function still in force) are closed — now for sessions not running a statement, at their
     * next bind or close for the others, whose running statement may still be calling them.
     */
    void retire(FunctionDef def, FunctionBinding binding, Set<String> live) {
        List<SessionGuest> toClose = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<Object, SessionState> e : bySession.entrySet()) {
                SessionState state = e.getValue();
                if (binding != null) {
                    state.exports.remove(binding);
                    binding.forget(e.getKey());
                }
                boolean idle = !H2Access.isRunningStatement(e.getKey());
                for (var it = state.guests.entrySet().iterator(); it.hasNext(); ) {
                    var g = it.next();
                    if (!live.contains(g.getKey())) {
                        it.remove();
                        (idle ? toClose : state.retired).add(g.getValue());
                    }
                }
                if (idle) {
                    toClose.addAll(takeRetired(state));
                }
            }
        }
        toClose.forEach(SessionGuest::close);
    }

    private static List<SessionGuest> takeRetired(SessionState state) {
        if (state == null || state.retired.isEmpty()) {
            return List.of();
        }
        List<SessionGuest> out = new ArrayList<>(state.retired);
        state.retired.clear();
        return out;
    }

    /** Cancels the statement running in {@code session}: running guest calls stop, later ones of that statement are refused. */
    void cancel(Object session) {
        List<SessionGuest> guests;
        synchronized (this) {
            SessionState state = bySession.get(session);
            guests = state == null ? List.of() : new ArrayList<>(state.guests.values());
        }
        for (SessionGuest g : guests) {
            g.cancel(session);
        }
    }

    /**
     * What {@code session}'s guests wrote since the last collection, as warnings in order (after
     * delivering their unfinished lines); empty for a session without instances.
     */
    List<java.sql.SQLWarning> takeOutput(Object session) {
        if (!anyHosted) {
            return List.of();
        }
        List<SessionGuest> guests;
        GuestOutput output;
        synchronized (this) {
            SessionState state = bySession.get(session);
            if (state == null) {
                return List.of();
            }
            guests = new ArrayList<>(state.guests.values());
            output = state.output;
        }
        for (SessionGuest g : guests) {
            g.flushOutput();
        }
        return output.take();
    }

    /** Closes {@code session}'s instances (its connection closed): their memory goes back to the budget. */
    void release(Object session) {
        SessionState state;
        synchronized (this) {
            state = bySession.remove(session);
        }
        if (state != null) {
            state.exports.keySet().forEach(b -> b.forget(session));
            state.guests.values().forEach(SessionGuest::close);
            state.retired.forEach(SessionGuest::close);
        }
    }

    /** Closes every session's instances (the database closed). */
    void releaseAll() {
        List<Object> sessions;
        synchronized (this) {
            sessions = new ArrayList<>(bySession.keySet());
        }
        sessions.forEach(this::release);
    }

    /** Number of instances all sessions hold (retired ones included), for tests. */
    synchronized int instanceCount() {
        return bySession.values().stream().mapToInt(s -> s.guests.size() + s.retired.size()).sum();
    }
}
