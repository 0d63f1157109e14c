package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.CreateFunction;
import io.wasmudf.sql.DropFunction;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.FunctionParameter;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.Identifier;
import io.wasmudf.sql.ModuleCheck;
import io.wasmudf.sql.ModuleSource;
import io.wasmudf.sql.QualifiedName;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.Volatility;
import io.wasmudf.sql.WasmDdl;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * Executes CREATE/DROP FUNCTION against the underlying H2 connection. Everything that can be
 * checked is checked before anything is written; the writes (catalog rows, then the H2 alias)
 * run in one transaction that is rolled back if any of them fails.
 */
final class FunctionDdl {
    private final Connection raw;

    private FunctionDdl(Connection raw) {
        this.raw = raw;
    }

    /** Runs {@code ddl}; {@code boundModule} is the byte[] bound to {@code AS ?} (or null). */
    static void execute(Connection raw, WasmDdl ddl, byte[] boundModule) throws SQLException {
        BridgeClassFactory.install();
        FunctionDdl x = new FunctionDdl(raw);
        Catalog.ensure(raw);
        if (ddl instanceof CreateFunction c) {
            x.create(c, boundModule);
        } else {
            x.drop((DropFunction) ddl);
        }
    }

    private record Resolved(String schema, String name, String display) {}

    private Resolved resolve(QualifiedName q) throws SQLException {
        DatabaseMetaData md = raw.getMetaData();
        String schema = q.schema() == null ? raw.getSchema() : fold(q.schema(), md);
        String name = fold(q.name(), md);
        String display = q.schema() == null ? q.name().pgName() : q.schema().pgName() + "." + q.name().pgName();
        return new Resolved(schema, name, display);
    }

    private static String fold(Identifier id, DatabaseMetaData md) throws SQLException {
        if (id.quoted()) {
            return id.text();
        }
        if (md.storesUpperCaseIdentifiers()) {
            return id.text().toUpperCase(Locale.ROOT);
        }
        if (md.storesLowerCaseIdentifiers()) {
            return id.text().toLowerCase(Locale.ROOT);
        }
        return id.text();
    }

    // ---- CREATE ----------------------------------------------------------------------------

    private void create(CreateFunction def, byte[] boundModule) throws SQLException {
        Resolved r = resolve(def.name());
        String fn = r.display();
        byte[] bytes;
        String moduleName;
        boolean implicit;
        ModuleSource src = def.source();
        if (src instanceof ModuleSource.Inline in) {
            bytes = in.bytes();
            moduleName = null;
            implicit = true;
        } else if (src instanceof ModuleSource.BoundParameter) {
            if (boundModule == null) {
                throw SqlStates.error(SqlStates.INVALID_PARAMETER_VALUE, "function " + fn
                        + ": AS ? needs the module bytes bound as parameter 1 (PreparedStatement.setBytes)");
            }
            bytes = boundModule;
            moduleName = null;
            implicit = true;
        } else {
            moduleName = ((ModuleSource.CatalogModule) src).moduleName();
            bytes = Catalog.moduleBytes(raw, moduleName);
            implicit = false;
            if (bytes == null) {
                throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + fn + ": module \"" + moduleName
                        + "\" does not exist (upload it with INSERT INTO wasm.modules(name, bytes) VALUES (?, ?))");
            }
        }
        String what = implicit ? "the module" : "module \"" + moduleName + "\"";
        DatabaseLimits db = DatabaseLimits.ofConnection(raw);
        FunctionLimits limits = db.effective(def.limits());
        CompiledModule module;
        try {
            module = ModuleRegistry.compile(bytes, limits.fuel() > 0);
        } catch (RuntimeException e) {
            throw SqlErrors.compileFailed("function " + fn, what, e);
        }
        String sha = module.sha256();
        if (implicit) {
            moduleName = "sha256:" + sha;
        }
        String export = def.exportName();
        AbiLayout abi = ModuleCheck.check(fn, module, export, def.abi());
        checkFits(fn, what, module, limits, db);
        try {
            GuestInstance.instantiate(module, GuestSessions.instanceLimits(module, limits, db)).discard();
        } catch (RuntimeException | OutOfMemoryError e) {
            throw SqlErrors.instantiateFailed("function " + fn, e, DatabaseLimits.INSTANTIATION_TIMEOUT.toSeconds(), db.budget.toString());
        }

        Catalog.FunctionRow existing = Catalog.findFunction(raw, r.schema(), r.name());
        if (existing == null && shadowedByBuiltin(r.name(), def.parameters().size())) {
            throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, "function " + fn + " would be hidden by H2's built-in function or alias "
                    + r.name().toUpperCase(Locale.ROOT) + " (choose another name, or open the database with BUILTIN_ALIAS_OVERRIDE=TRUE)");
        }
        if (existing != null && !def.orReplace()) {
            throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, "function " + fn + " already exists (use CREATE OR REPLACE FUNCTION)");
        }
        BridgeSpec spec = new BridgeSpec(fn, sha, export, def.parameterTypes(), def.returnType(), def.strict(), def.limits(),
                abi.packedOption());
        String arguments = def.parameters().stream().map(FunctionParameter::toString).collect(Collectors.joining(", "));
        String argTypes = def.parameterTypes().stream().map(SqlType::sqlName).collect(Collectors.joining(", "));
        String finalModule = moduleName;
        boolean finalImplicit = implicit;
        String alias = quote(r.schema()) + "." + quote(r.name());
        List<String> ddl = new ArrayList<>();
        List<String> restoreOld = new ArrayList<>();
        if (existing != null) {
            ddl.add("DROP ALIAS IF EXISTS " + alias);
            restoreOld.add(createAlias(alias, existing.volatility().equals(Volatility.IMMUTABLE.name()), existing.bridge(), true));
        }
        List<String> undoAll = new ArrayList<>();
        undoAll.add("DROP ALIAS IF EXISTS " + alias);
        undoAll.addAll(restoreOld);
        ddl.add(createAlias(alias, def.volatility() == Volatility.IMMUTABLE, spec.aliasTarget(), false));
        apply(fn, ddl, restoreOld, () -> {
            if (existing != null) {
                Catalog.deleteFunction(raw, r.schema(), r.name());
            }
            if (finalImplicit) {
                Catalog.addImplicitModule(raw, finalModule, bytes);
            }
            Catalog.insertFunction(raw, r.schema(), r.name(), arguments, argTypes, def.returnType(), finalModule, export,
                    def.volatility().name(), def.strict(), spec.aliasTarget(), def.limits());
            if (existing != null && !existing.module().equals(finalModule)) {
                Catalog.deleteImplicitIfUnused(raw, existing.module());
            }
        }, undoAll);
    }

    /**
     * Refuses, at CREATE, a module that could never be instantiated under {@code limits}: a declared
     * minimum memory over the function's cap or the database's whole budget (53200), or a table
     * over the engine's limit (54000).
     */
    private static void checkFits(String fn, String what, CompiledModule module, FunctionLimits limits, DatabaseLimits db) throws SQLException {
        long min = module.declaredMemoryMinPages();
        long pageBytes = FunctionLimits.PAGE_BYTES;
        if (min > limits.maxMemoryPages()) {
            throw SqlStates.error(SqlStates.OUT_OF_MEMORY, "function " + fn + ": " + what + " declares a minimum memory of " + min + " pages ("
                    + mib(min * pageBytes) + "), more than the limit of " + limits.maxMemoryPages() + " pages (" + mib(limits.maxMemoryPages() * pageBytes)
                    + "; raise it with SET " + FunctionLimits.MAX_MEMORY + ")");
        }
        if (min * pageBytes > db.budget.maxBytes()) {
            throw SqlStates.error(SqlStates.OUT_OF_MEMORY, "function " + fn + ": " + what + " declares a minimum memory of " + mib(min * pageBytes)
                    + ", more than the database's whole wasm memory budget of " + mib(db.budget.maxBytes()) + " (" + DatabaseLimits.MEMORY_BUDGET + ")");
        }
        try {
            module.checkFits(GuestSessions.instanceLimits(module, limits, db));
        } catch (RuntimeException e) {
            throw SqlErrors.instantiateFailed("function " + fn, e, DatabaseLimits.INSTANTIATION_TIMEOUT.toSeconds(), db.budget.toString());
        }
    }

    private static String mib(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return java.math.BigDecimal.valueOf(bytes).divide(java.math.BigDecimal.valueOf(1 << 20), 2, java.math.RoundingMode.DOWN)
                .stripTrailingZeros().toPlainString() + " MiB";
    }

    private static String createAlias(String alias, boolean deterministic, String target, boolean force) {
        return "CREATE " + (force ? "FORCE " : "") + "ALIAS " + alias + (deterministic ? " DETERMINISTIC" : "") + " FOR '" + target + "'";
    }

    /**
     * H2 resolves built-in function names (and mode-specific ones) before aliases, so an alias of
     * such a name could never be called. Asks H2's own parser: an unknown function fails with
     * FUNCTION_NOT_FOUND; anything else means the name is taken.
     */
    private boolean shadowedByBuiltin(String name, int arity) throws SQLException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return false;
        }
        if (raw instanceof JdbcConnection j && j.getSession() instanceof SessionLocal session
                && session.getDatabase().isAllowBuiltinAliasOverride()) {
            return false;
        }
        StringBuilder probe = new StringBuilder("SELECT ").append(name).append('(');
        for (int i = 0; i < arity; i++) {
            probe.append(i == 0 ? "NULL" : ", NULL");
        }
        try (PreparedStatement ps = raw.prepareStatement(probe.append(')').toString())) {
            return true;
        } catch (SQLException e) {
            return e.getErrorCode() != org.h2.api.ErrorCode.FUNCTION_NOT_FOUND_1;
        }
    }

    // ---- DROP ------------------------------------------------------------------------------

    private void drop(DropFunction drop) throws SQLException {
        for (DropFunction.Target t : drop.targets()) {
            Resolved r = resolve(t.name());
            Catalog.FunctionRow row = Catalog.findFunction(raw, r.schema(), r.name());
            String shown = r.display() + (t.argTypes() == null ? "" : "(" + t.argTypes().stream().map(SqlType::sqlName).collect(Collectors.joining(", ")) + ")");
            if (row == null || (t.argTypes() != null && !t.argTypes().equals(row.argTypes()))) {
                if (drop.ifExists()) {
                    continue;
                }
                String hint = row == null ? "" : " (there is " + r.display() + "(" + row.argTypes().stream().map(SqlType::sqlName).collect(Collectors.joining(", ")) + "))";
                throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + shown + " does not exist" + hint);
            }
            String alias = quote(r.schema()) + "." + quote(r.name());
            List<String> restore = List.of(createAlias(alias, row.volatility().equals(Volatility.IMMUTABLE.name()), row.bridge(), true));
            apply(r.display(), List.of("DROP ALIAS IF EXISTS " + alias), restore, () -> {
                Catalog.deleteFunction(raw, r.schema(), r.name());
                Catalog.deleteImplicitIfUnused(raw, row.module());
            }, restore);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Applies alias DDL, then the catalog changes. H2 commits at every DDL statement, even one
     * that fails, so the DDL goes first and the catalog rows follow in their own transaction;
     * if either part fails, the undo statements restore the aliases and nothing is left behind.
     */
    private void apply(String fn, List<String> ddl, List<String> undoDdl, Work dml, List<String> undoAll) throws SQLException {
        try (Statement st = raw.createStatement()) {
            for (String sql : ddl) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            undo(undoDdl, e);
            if (e.getErrorCode() == org.h2.api.ErrorCode.FUNCTION_ALIAS_ALREADY_EXISTS_1) {
                throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, "function " + fn
                        + " already exists as an H2 built-in function or alias (choose another name)", e);
            }
            throw e;
        }
        try {
            atomically(dml);
        } catch (SQLException | RuntimeException e) {
            undo(undoAll, e);
            throw e;
        }
    }

    private void undo(List<String> undo, Exception failure) {
        try (Statement st = raw.createStatement()) {
            for (String sql : undo) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Runs {@code work} in one transaction (a savepoint when the caller has one open). */
    private void atomically(Work work) throws SQLException {
        boolean auto = raw.getAutoCommit();
        Savepoint sp = null;
        if (auto) {
            raw.setAutoCommit(false);
        } else {
            sp = raw.setSavepoint();
        }
        try {
            work.run();
            if (auto) {
                raw.commit();
            }
        } catch (SQLException | RuntimeException e) {
            try {
                if (auto) {
                    raw.rollback();
                } else {
                    raw.rollback(sp);
                }
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            if (auto) {
                raw.setAutoCommit(true);
            }
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

}
