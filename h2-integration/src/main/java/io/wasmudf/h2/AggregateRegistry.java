package io.wasmudf.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One database's wasm aggregates, the aggregate side of its {@link CatalogService}: definitions in
 * force, those being created (H2 loads the bridge class while {@code CREATE AGGREGATE} runs), and
 * the generated bridge classes and their bindings. Bridge classes share the functions' naming
 * ({@link BridgeNames}); ids come from the same sequence, so a name says which of the two it is.
 */
final class AggregateRegistry {
    private final CatalogService service;
    private final Map<Long, AggregateDef> aggregates = new ConcurrentHashMap<>();
    private final Map<Long, AggregateDef> pending = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();
    private final Map<Long, AggregateBinding> bindings = new ConcurrentHashMap<>();

    AggregateRegistry(CatalogService service) {
        this.service = service;
    }

    /**
     * Creates the table if needed and reads the aggregates; re-creates the H2 aggregate of any
     * stored under another bridge name (a copy of a database open here already gets a new id).
     */
    void start(Connection system, boolean writable) throws SQLException {
        List<AggregateStore.Stored> stored;
        try {
            stored = AggregateStore.load(system);
        } catch (SQLException e) {
            return; // a read-only database without the table has no aggregates
        }
        for (AggregateStore.Stored s : stored) {
            AggregateDef def = s.def();
            aggregates.put(def.id(), def);
            if (writable && !bridgeClassName(def).equals(s.bridge())) {
                try (Statement st = system.createStatement()) {
                    st.execute("DROP AGGREGATE IF EXISTS " + h2Name(def));
                    st.execute(createSql(def, true));
                }
                system.setAutoCommit(false);
                try {
                    AggregateStore.delete(system, def.id());
                    AggregateStore.insert(system, def, bridgeClassName(def));
                    system.commit();
                } catch (SQLException | RuntimeException e) {
                    system.rollback();
                    throw e;
                } finally {
                    system.setAutoCommit(true);
                }
            }
        }
    }

    /** Whether {@code id} is an aggregate's (in force or being created). */
    boolean owns(long id) {
        return aggregates.containsKey(id) || pending.containsKey(id);
    }

    /** The definition a bridge class names, if it is in force or being created; else null. */
    AggregateDef definition(long id, int version) {
        return VersionedDefinitions.find(pending, aggregates, id, version, AggregateDef::version);
    }

    Class<?> bridgeClass(String name, long id, int version) throws ClassNotFoundException {
        Class<?> c = classes.get(name);
        if (c != null) {
            return c;
        }
        if (definition(id, version) == null) {
            throw new ClassNotFoundException(name + ": no wasm aggregate " + id + " version " + version);
        }
        return classes.computeIfAbsent(name, n -> BridgeClassFactory.define(n, AggregateBridgeGenerator.generate(n)));
    }

    AggregateBinding binding(long id, int version) {
        AggregateDef def = definition(id, version);
        if (def == null) {
            return null;
        }
        return bindings.compute(id, (k, b) -> b != null && b.def == def ? b : new AggregateBinding(service, def));
    }

    /** The aggregate in force stored as {@code schema.name}, or null. */
    AggregateDef find(String schema, String name) {
        for (AggregateDef a : aggregates.values()) {
            if (a.schema().equals(schema) && a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The aggregates that use function {@code functionId} as a support function. */
    List<AggregateDef> dependentsOf(long functionId) {
        return aggregates.values().stream()
                .filter(a -> a.sfunc() == functionId || a.finalFunc() == functionId || a.combineFunc() == functionId)
                .sorted(java.util.Comparator.comparing(AggregateDef::display))
                .toList();
    }

    /**
     * Refuses (42P13) a {@code CREATE OR REPLACE FUNCTION} that would change the argument or
     * result types of a support function an aggregate uses: PostgreSQL refuses a changed return
     * type ("cannot change return type of existing function"), and its changed argument types
     * would be a new function, leaving the aggregate's in place.
     */
    void checkReplacement(FunctionDef existing, List<io.wasmudf.sql.SqlType> params, io.wasmudf.sql.SqlType result) throws java.sql.SQLException {
        List<AggregateDef> users = dependentsOf(existing.id());
        if (users.isEmpty() || existing.paramTypes().equals(params) && existing.result() == result) {
            return;
        }
        String what = existing.result() != result ? "cannot change return type of existing function" : "cannot change argument types of existing function";
        throw io.wasmudf.sql.SqlStates.error(io.wasmudf.sql.SqlStates.INVALID_FUNCTION_DEFINITION, what + " " + existing.display() + " ("
                + users.stream().map(a -> "aggregate " + a.signature()).collect(java.util.stream.Collectors.joining(", "))
                + " uses it; drop the aggregate first)");
    }

    List<AggregateDef> all() {
        return List.copyOf(aggregates.values());
    }

    void prepare(AggregateDef def) {
        pending.put(def.id(), def);
    }

    void abandon(AggregateDef def) {
        pending.remove(def.id(), def);
        classes.remove(bridgeClassName(def));
    }

    /** Puts {@code def} in force (null for a DROP) in place of {@code old} (null for a new aggregate). */
    void replace(AggregateDef old, AggregateDef def) {
        if (def != null) {
            aggregates.put(def.id(), def);
            pending.remove(def.id(), def);
        } else if (old != null) {
            aggregates.remove(old.id(), old);
        }
        if (old != null) {
            AggregateBinding b = bindings.get(old.id());
            if (b != null && b.def == old) {
                bindings.remove(old.id(), b);
            }
            classes.remove(bridgeClassName(old));
        }
    }

    void releaseAll() {
        aggregates.clear();
        pending.clear();
        classes.clear();
        bindings.clear();
    }

    String bridgeClassName(AggregateDef def) {
        return BridgeNames.className(service.databaseId(), def.id(), def.version());
    }

    /** {@code "SCHEMA"."NAME"}. */
    static String h2Name(AggregateDef def) {
        return CatalogService.quote(def.schema()) + "." + CatalogService.quote(def.name());
    }

    /** H2's {@code CREATE [FORCE] AGGREGATE … FOR 'bridge class'}. */
    String createSql(AggregateDef def, boolean force) {
        return "CREATE " + (force ? "FORCE " : "") + "AGGREGATE " + h2Name(def) + " FOR '" + bridgeClassName(def) + "'";
    }
}
