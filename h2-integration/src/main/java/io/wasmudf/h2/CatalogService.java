package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.InstanceLimits;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One database's wasm functions: their definitions (loaded from the catalog tables when the
 * database is first opened through {@code jdbc:wasm:}), their bridge classes and bindings, the
 * sessions' instances, the database's limits, and a database-owned system connection for the
 * privileged catalog work (aliases, catalog rows) that function DDL needs whoever asks for it.
 * Bridge classes are named by {@link BridgeNames the database's id, the function's id and version}
 * and look their definition up here. Everything is released on DROP and REPLACE, and the whole
 * service when its database closes; the only JVM-wide state is the registry of open databases'
 * services, which H2's JVM-wide class lookup needs.
 */
final class CatalogService {
    private static final Logger LOG = Logger.getLogger(CatalogService.class.getName());
    /** The services of the open databases, by H2 database object; guarded by the class. */
    private static final Map<Object, CatalogService> BY_DATABASE = new IdentityHashMap<>();
    /** The same services by database id, for bridge classes; guarded by the class. */
    private static final Map<String, CatalogService> BY_ID = new HashMap<>();

    private final Object database;
    /** What a commit survives, as the connection that opened the database asked. */
    private final Durability durability;
    private final Connection system;
    /** Serialises the use of {@link #system} and every catalog change of this database. */
    private final ReentrantLock catalogLock = new ReentrantLock();
    private volatile String databaseId;
    /** False when the catalog could not be created or upgraded (a read-only database). */
    private boolean writable = true;
    final DatabaseLimits limits;
    final SessionGuests sessions = new SessionGuests(this);
    /** The database's wasm aggregates. */
    final AggregateRegistry aggregates = new AggregateRegistry(this);
    /** The result columns of the database's table functions. */
    final TableFunctions tables = new TableFunctions();
    /** The functions in force, by id. */
    private final Map<Long, FunctionDef> functions = new ConcurrentHashMap<>();
    /** Definitions whose alias is being created (H2 loads the bridge class then), by id. */
    private final Map<Long, FunctionDef> pending = new ConcurrentHashMap<>();
    private final Map<Long, FunctionBinding> bindings = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> bridgeClasses = new ConcurrentHashMap<>();
    /** EXECUTE access lists changed by GRANT/REVOKE since the definition was made, by function id. */
    private final Map<Long, String> acls = new ConcurrentHashMap<>();
    /** Owners changed by ALTER FUNCTION … OWNER TO since the definition was made, by function id. */
    private final Map<Long, String> owners = new ConcurrentHashMap<>();
    /** USAGE ON LANGUAGE wasm; null is the default (PUBLIC). */
    private volatile String languageAcl;
    /** Changes at every GRANT/REVOKE, so the sessions' cached permission checks are made again. */
    private volatile int aclGeneration;

    private CatalogService(Object database, DatabaseLimits limits, Durability durability) throws SQLException {
        this.database = database;
        this.limits = limits;
        this.durability = durability;
        this.system = H2Access.systemConnection(database);
    }

    // ---- the registry ------------------------------------------------------------------------

    /**
     * The service of the database behind {@code raw} (an H2 connection just opened through the
     * driver), started on first use with {@code settings} (the URL's wasm settings; they count
     * only for the connection that first opens the database, and are checked for every one: 22023)
     * and {@code durability} (which, likewise, the first connection decides). Null when {@code raw}
     * is not an embedded H2 connection.
     */
    static CatalogService open(Connection raw, Map<String, String> settings, Durability durability) throws SQLException {
        DatabaseLimits checked = DatabaseLimits.create(settings);
        Object db = H2Access.database(H2Access.session(raw));
        if (db == null) {
            return null;
        }
        synchronized (CatalogService.class) {
            purgeClosed();
            CatalogService s = BY_DATABASE.get(db);
            if (s == null) {
                durability.apply(raw);
                s = new CatalogService(db, checked, durability);
                BY_DATABASE.put(db, s);
                try {
                    s.start();
                } catch (SQLException | RuntimeException e) {
                    BY_DATABASE.remove(db);
                    BY_ID.remove(s.databaseId, s);
                    throw e;
                }
            }
            return s;
        }
    }

    /** The service of the database {@code session} belongs to, or null when none was started. */
    static CatalogService ofSession(Object session) {
        Object db = H2Access.database(session);
        synchronized (CatalogService.class) {
            CatalogService s = db == null ? null : BY_DATABASE.get(db);
            return s == null || H2Access.isClosing(db) ? null : s;
        }
    }

    /** The service with database id {@code id}, for a bridge class; null when that database is not open here. */
    static CatalogService forBridge(String id) {
        synchronized (CatalogService.class) {
            CatalogService s = BY_ID.get(id);
            return s == null || H2Access.isClosing(s.database) ? null : s;
        }
    }

    /** Forgets the services of databases that closed (their connections are gone, their memory is released). */
    static void purgeClosed() {
        List<CatalogService> closed = new ArrayList<>();
        synchronized (CatalogService.class) {
            for (var it = BY_DATABASE.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (H2Access.isClosing(e.getKey())) {
                    closed.add(e.getValue());
                    BY_ID.remove(e.getValue().databaseId, e.getValue());
                    it.remove();
                }
            }
        }
        closed.forEach(CatalogService::released);
    }

    /** Number of services, for tests: databases whose wasm state this JVM holds. */
    static int openCount() {
        synchronized (CatalogService.class) {
            return BY_DATABASE.size();
        }
    }

    /** Whether any open database still has a function over module content {@code sha}. */
    private static boolean anyUses(String sha) {
        synchronized (CatalogService.class) {
            return BY_DATABASE.values().stream().anyMatch(s -> s.functions.values().stream().anyMatch(f -> f.sha256().equals(sha)));
        }
    }

    /** After a commit of a session of this database: forces it to disk when the database runs with WASM_FSYNC=ON. */
    void afterCommit() {
        durability.afterCommit(database);
    }

    // ---- start -------------------------------------------------------------------------------

    /**
     * Creates or upgrades the catalog, reads its functions, and re-creates the aliases of any that
     * the database persisted under another bridge name: catalogs of the first releases, and a copy
     * of a database that is open here already (same id), which gets a new id.
     */
    private void start() throws SQLException {
        String id;
        try {
            id = CatalogStore.ensure(system);
        } catch (SQLException e) {
            writable = false;
            LOG.log(Level.FINE, "the wasm catalog of " + H2Access.databaseName(database) + " cannot be written", e);
            id = null;
        }
        tables.start(system);
        List<CatalogStore.StoredFunction> stored = List.of();
        try {
            stored = CatalogStore.loadFunctions(system);
        } catch (SQLException e) {
            // no catalog at all (a read-only database that never had one): no functions
        }
        if (id == null || BY_ID.containsKey(id)) {
            String fresh = CatalogStore.newDatabaseId();
            if (id != null && writable) {
                CatalogStore.setDatabaseId(system, fresh);
            }
            id = fresh;
        }
        databaseId = id;
        BY_ID.put(id, this);
        languageAcl = CatalogStore.languageAcl(system);
        Map<String, List<CatalogStore.StoredFunction>> byName = new java.util.LinkedHashMap<>();
        for (CatalogStore.StoredFunction f : stored) {
            FunctionDef def = f.def();
            if (def.id() == 0 && writable) {
                def = def.withIdentity(CatalogStore.nextFunctionId(system), def.version());
            }
            functions.put(def.id(), def);
            byName.computeIfAbsent(def.schema() + "\u0000" + def.name(), k -> new ArrayList<>()).add(new CatalogStore.StoredFunction(def, f.bridge()));
        }
        // a name's alias is its function's bridge, or the dispatching class of its overloads; the rows record it
        List<List<CatalogStore.StoredFunction>> rebind = new ArrayList<>();
        for (List<CatalogStore.StoredFunction> group : byName.values()) {
            group.sort(java.util.Comparator.comparingLong(f -> f.def().id()));
            String target = aliasTarget(group.stream().map(CatalogStore.StoredFunction::def).toList());
            if (group.stream().anyMatch(f -> !target.equals(f.bridge()))) {
                rebind.add(group);
            }
        }
        if (!rebind.isEmpty() && writable) {
            rebindAll(rebind);
        }
        aggregates.start(system, writable);
    }

    /** Re-creates the aliases (and rewrites the rows) of names whose functions are stored under another bridge name. */
    private void rebindAll(List<List<CatalogStore.StoredFunction>> rebind) throws SQLException {
        catalogLock.lock();
        try (Statement st = system.createStatement()) {
            for (List<CatalogStore.StoredFunction> group : rebind) {
                List<FunctionDef> defs = group.stream().map(CatalogStore.StoredFunction::def).toList();
                String alias = aliasName(defs.get(0));
                st.execute("DROP ALIAS IF EXISTS " + alias);
                st.execute(createAliasSql(alias, defs, true));
                system.setAutoCommit(false);
                try {
                    for (FunctionDef def : defs) {
                        CatalogStore.deleteFunction(system, def.schema(), def.name(), def.id());
                        CatalogStore.insertFunction(system, def, aliasTarget(defs));
                    }
                    system.commit();
                } catch (SQLException | RuntimeException e) {
                    system.rollback();
                    throw e;
                } finally {
                    system.setAutoCommit(true);
                }
            }
            LOG.info("wasm catalog of " + H2Access.databaseName(database) + ": " + rebind.size() + " function alias(es) re-created for bridge ids");
        } finally {
            catalogLock.unlock();
        }
    }

    // ---- what bridge classes ask for ---------------------------------------------------------

    String databaseId() {
        return databaseId;
    }

    /** The alias target of {@code def}'s bridge in this database. */
    String aliasTarget(FunctionDef def) {
        return BridgeNames.aliasTarget(databaseId, def.id(), def.version());
    }

    /** The definition a bridge class names, if it is in force or being created; else null. */
    FunctionDef definition(long id, int version) {
        return VersionedDefinitions.find(pending, functions, id, version, FunctionDef::version);
    }

    /** The bridge class {@code name} of a function in force (or being created); generated once per version. */
    Class<?> bridgeClass(String name, long id, int version) throws ClassNotFoundException {
        Class<?> c = bridgeClasses.get(name);
        if (c != null) {
            return c;
        }
        BridgeNames.ParsedGroup group = BridgeNames.parseGroup(name);
        if (group != null) {
            List<FunctionDef> members = new ArrayList<>();
            for (int i = 0; i < group.functionIds().length; i++) {
                FunctionDef d = definition(group.functionIds()[i], group.versions()[i]);
                if (d == null) {
                    throw new ClassNotFoundException(name + ": no wasm function " + group.functionIds()[i] + " version " + group.versions()[i]
                            + " in database " + H2Access.databaseName(database));
                }
                members.add(d);
            }
            return bridgeClasses.computeIfAbsent(name, n -> BridgeClassFactory.define(n, OverloadBridgeGenerator.generate(n, members)));
        }
        if (aggregates.owns(id)) {
            return aggregates.bridgeClass(name, id, version);
        }
        FunctionDef def = definition(id, version);
        if (def == null) {
            throw new ClassNotFoundException(name + ": no wasm function " + id + " version " + version + " in database "
                    + H2Access.databaseName(database));
        }
        return bridgeClasses.computeIfAbsent(name, n -> BridgeClassFactory.define(n, def.kind() == io.wasmudf.sql.FunctionKind.TABLE
                ? TableBridgeGenerator.generate(n, def) : BridgeGenerator.generate(n, def)));
    }

    /** The runtime binding of function {@code id} version {@code version}, or null when that version is not in force. */
    FunctionBinding binding(long id, int version) {
        FunctionDef def = definition(id, version);
        if (def == null) {
            return null;
        }
        return bindings.compute(id, (k, b) -> b != null && b.def == def ? b : new FunctionBinding(this, def));
    }

    /**
     * The compiled module of {@code def}: one this JVM has checked against the catalog before, else
     * compiled (or found in the engine's caches) from the bytes in {@code wasm.modules}, read over
     * the system connection (never the caller's). Whether the module is still the one the function
     * was created with is decided by the catalog's own SHA-256 of the row ({@code wasm.modules.sha256},
     * a generated column), not by hashing the bytes here: after a restart that hash would be the
     * first use of SHA-256 in a young JVM, 10-150 ms for a large module, more than loading its code
     * from the code cache. The engine finds the compiled module by length, CRC-32C and exact
     * comparison of the bytes, so the hash is only ever compared, never trusted to pick code.
     */
    CompiledModule module(FunctionDef def, boolean fuel) throws SQLException {
        CompiledModule m = Engines.checked(def.sha256(), fuel);
        if (m != null) {
            return m;
        }
        CatalogStore.ModuleRow row;
        catalogLock.lock();
        try {
            row = CatalogStore.moduleRow(system, def.module());
        } finally {
            catalogLock.unlock();
        }
        String fn = "function " + def.display();
        if (row == null) {
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, fn + ": its module \"" + def.module() + "\" is no longer in wasm.modules");
        }
        if (!def.sha256().equals(row.sha256())) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, fn + ": module \"" + def.module() + "\" has changed since the"
                    + " function was created (sha256 " + def.sha256() + ", now " + row.sha256() + "); CREATE OR REPLACE the function");
        }
        try {
            m = Engines.compile(row.bytes(), fuel);
        } catch (RuntimeException e) {
            throw SqlErrors.compileFailed(fn, "its module \"" + def.module() + "\"", e);
        }
        Engines.checked(def.sha256(), fuel, m);
        return m;
    }

    /** The instance limits for {@code effective} limits in this database. */
    InstanceLimits instanceLimits(CompiledModule module, FunctionLimits effective) {
        long fuel = effective.fuel();
        return module.engine().defaultLimits()
                .withMaxMemoryPages(effective.maxMemoryPages())
                .withMemoryBudget(limits.budget)
                .withFuel(fuel > 0 ? fuel : Long.MAX_VALUE)
                .withInstantiationTimeout(DatabaseLimits.INSTANTIATION_TIMEOUT);
    }

    // ---- what function DDL uses --------------------------------------------------------------

    /** Catalog work: runs with the system connection, one at a time per database. */
    interface CatalogWork<T> {
        T run(Connection system) throws SQLException;
    }

    <T> T withCatalog(CatalogWork<T> work) throws SQLException {
        if (!writable) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "the wasm catalog of this database cannot be written (read-only database?)");
        }
        catalogLock.lock();
        try {
            return work.run(system);
        } finally {
            catalogLock.unlock();
        }
    }

    // ---- privileges (see Privileges) ---------------------------------------------------------

    /** Function {@code def}'s EXECUTE access list now (null: PostgreSQL's default). */
    String acl(FunctionDef def) {
        String changed = acls.get(def.id());
        return changed != null ? changed : def.acl();
    }

    void setAcl(FunctionDef def, String acl) {
        acls.put(def.id(), acl);
        aclGeneration++;
        H2Access.invalidatePreparedStatements(database);
    }

    /** Function {@code def}'s owner now (an H2 user name). */
    String owner(FunctionDef def) {
        String changed = owners.get(def.id());
        return changed != null ? changed : def.owner();
    }

    /** ALTER FUNCTION … OWNER TO: the new owner, and the access list with the old owner's privileges passed on. */
    void setOwner(FunctionDef def, String owner, String acl) {
        owners.put(def.id(), owner);
        if (acl != null) {
            setAcl(def, acl);
        } else {
            aclGeneration++; // the owner is in the default list
        }
    }

    String languageAcl() {
        return languageAcl;
    }

    void setLanguageAcl(String acl) {
        languageAcl = acl;
        aclGeneration++;
    }

    int aclGeneration() {
        return aclGeneration;
    }

    /** The function {@code id} in force, or null. */
    FunctionDef function(long id) {
        return functions.get(id);
    }

    /** The functions in force stored under {@code schema.name} (its overloads), in id order. */
    List<FunctionDef> overloads(String schema, String name) {
        List<FunctionDef> out = new ArrayList<>();
        for (FunctionDef f : functions.values()) {
            if (f.schema().equals(schema) && f.name().equals(name)) {
                out.add(f);
            }
        }
        out.sort(java.util.Comparator.comparingLong(FunctionDef::id));
        return out;
    }

    /** The function in force stored as {@code schema.name} with parameter types {@code types}, or null. */
    FunctionDef find(String schema, String name, List<io.wasmudf.sql.SqlType> types) {
        for (FunctionDef f : overloads(schema, name)) {
            if (f.paramTypes().equals(types)) {
                return f;
            }
        }
        return null;
    }

    /** Announces {@code def} before its alias is created, so H2 can load its bridge class. */
    void prepare(FunctionDef def) {
        pending.put(def.id(), def);
    }

    /** Withdraws a definition {@link #prepare}d for a change that failed. */
    void abandon(FunctionDef def) {
        pending.remove(def.id(), def);
        bridgeClasses.remove(BridgeNames.className(databaseId, def.id(), def.version()));
    }

    /**
     * Puts {@code def} in force (null for a DROP) in place of {@code old} (null for a new function):
     * the old version's binding, bridge class, the sessions' bound exports and the instances and
     * compiled modules nothing else uses any more are released.
     */
    void replace(FunctionDef old, FunctionDef def) {
        if (def != null) {
            functions.put(def.id(), def);
            pending.remove(def.id(), def);
        } else if (old != null) {
            functions.remove(old.id(), old);
            acls.remove(old.id());
            owners.remove(old.id());
        }
        if (old == null) {
            return;
        }
        FunctionBinding b = bindings.get(old.id());
        if (b != null && b.def == old) {
            bindings.remove(old.id(), b);
        }
        bridgeClasses.remove(BridgeNames.className(databaseId, old.id(), old.version()));
        bridgeClasses.keySet().removeIf(n -> {
            BridgeNames.ParsedGroup g = BridgeNames.parseGroup(n);
            return g != null && java.util.Arrays.stream(g.functionIds()).anyMatch(i -> i == old.id());
        });
        Set<String> live = functions.values().stream().map(f -> SessionGuests.instanceKey(f.sha256(), limits.effective(f.limits())))
                .collect(Collectors.toSet());
        sessions.retire(old, b, live);
        if (!anyUses(old.sha256())) {
            Engines.evict(old.sha256());
        }
    }

    /** Every function in force. */
    List<FunctionDef> functions() {
        return List.copyOf(functions.values());
    }

    /** The alias of {@code def}: {@code "SCHEMA"."NAME"}. */
    static String aliasName(FunctionDef def) {
        return quote(def.schema()) + "." + quote(def.name());
    }

    /** {@code CREATE [FORCE] ALIAS … [DETERMINISTIC] FOR 'bridge.call'} for {@code def} in this database. */
    String createAliasSql(String alias, FunctionDef def, boolean force) {
        return createAliasSql(alias, List.of(def), force);
    }

    /**
     * The alias of a name with functions {@code group} (its overloads, in id order): one function's
     * own bridge, or the dispatching class of several ({@link OverloadBridgeGenerator}); DETERMINISTIC
     * only when all are IMMUTABLE.
     */
    String createAliasSql(String alias, List<FunctionDef> group, boolean force) {
        boolean immutable = group.stream().allMatch(d -> d.volatility() == io.wasmudf.sql.Volatility.IMMUTABLE);
        return "CREATE " + (force ? "FORCE " : "") + "ALIAS " + alias + (immutable ? " DETERMINISTIC" : "") + " FOR '" + aliasTarget(group) + "'";
    }

    /** The alias target of a name whose functions are {@code group} (in id order; not empty). */
    String aliasTarget(List<FunctionDef> group) {
        if (group.size() == 1) {
            return aliasTarget(group.get(0));
        }
        long[] ids = group.stream().mapToLong(FunctionDef::id).toArray();
        int[] versions = group.stream().mapToInt(FunctionDef::version).toArray();
        return BridgeNames.groupClassName(databaseId, ids, versions) + "." + BridgeNames.METHOD;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Its database closed: drop every binding, class and instance; the system session goes with the database. */
    private void released() {
        List<String> shas = functions.values().stream().map(FunctionDef::sha256).distinct().toList();
        sessions.releaseAll();
        aggregates.releaseAll();
        bindings.clear();
        bridgeClasses.clear();
        functions.clear();
        pending.clear();
        for (String sha : shas) {
            if (!anyUses(sha)) {
                Engines.evict(sha);
            }
        }
    }
}
