package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.CreateFunction;
import io.wasmudf.sql.FunctionKind;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.ModuleCheck;
import io.wasmudf.sql.ModuleSource;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.WatText;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/** {@code CREATE [OR REPLACE] FUNCTION … LANGUAGE wasm} through the {@link DdlPipeline}. */
final class CreateFunctionHandler implements DdlPipeline.Handler<CreateFunction, CreateFunctionHandler.Resolved> {

    /** The statement with its names, module bytes and the function it would replace; {@link #check} adds what it verified. */
    static final class Resolved {
        /** The statement; made STRICT by {@link #check} when it named no null-input behaviour and the export is plain. */
        CreateFunction statement;
        final DdlPipeline.ResolvedName name;
        final byte[] bytes;
        /** {@code wasm.modules.name}; implicit modules get theirs ({@code sha256:…}) once the bytes are hashed. */
        String moduleName;
        final boolean implicit;
        final FunctionDef existing;
        final String owner;
        CompiledModule module;
        AbiLayout abi;

        Resolved(CreateFunction statement, DdlPipeline.ResolvedName name, byte[] bytes, String moduleName, boolean implicit,
                 FunctionDef existing, String owner) {
            this.statement = statement;
            this.name = name;
            this.bytes = bytes;
            this.moduleName = moduleName;
            this.implicit = implicit;
            this.existing = existing;
            this.owner = owner;
        }

        String fn() {
            return "function " + name.display();
        }

        String what() {
            return implicit ? "the module" : "module \"" + moduleName + "\"";
        }
    }

    @Override
    public Resolved resolve(DdlPipeline.Context ctx, CreateFunction def) throws SQLException {
        DdlPipeline.ResolvedName name = ctx.resolve(def.name());
        String fn = "function " + name.display();
        ModuleSource src = def.source();
        byte[] bytes;
        String moduleName = null;
        boolean implicit = true;
        if (src instanceof ModuleSource.Inline in) {
            bytes = in.bytes();
        } else if (src instanceof ModuleSource.Text t) {
            bytes = WatText.toBinary(fn, t.text());
        } else if (src instanceof ModuleSource.BoundParameter) {
            if (ctx.boundModule() == null) {
                throw SqlStates.error(SqlStates.INVALID_PARAMETER_VALUE, fn
                        + ": AS ? needs the module bytes bound as parameter 1 (PreparedStatement.setBytes)");
            }
            bytes = ctx.boundModule();
        } else {
            String m = ((ModuleSource.CatalogModule) src).moduleName();
            moduleName = m;
            implicit = false;
            bytes = ctx.service().withCatalog(sys -> CatalogStore.moduleBytes(sys, m));
            if (bytes == null) {
                throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, fn + ": module \"" + moduleName
                        + "\" does not exist (upload it with INSERT INTO wasm.modules(name, bytes) VALUES (?, ?))");
            }
        }
        return new Resolved(def, name, bytes, moduleName, implicit, ctx.service().find(name.schema(), name.name(), def.parameterTypes()),
                ctx.userName());
    }

    @Override
    public void check(DdlPipeline.Context ctx, Resolved r) throws SQLException {
        Privileges.checkLanguageUsage(ctx.service(), H2Access.session(ctx.user()), r.name.display());
        List<FunctionDef> overloads = ctx.service().overloads(r.name.schema(), r.name.name());
        if (r.existing == null && !overloads.isEmpty()) {
            checkOverload(r, overloads);
        }
        if (r.existing == null) {
            if (!H2Access.schemaExists(ctx.user(), r.name.schema())) {
                throw SqlStates.error(SqlStates.INVALID_SCHEMA_NAME, "schema \"" + r.name.schema() + "\" does not exist");
            }
            if (!H2Access.mayCreateIn(ctx.user(), r.name.schema())) {
                throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "permission denied for schema " + r.name.schema()
                        + " (creating " + r.fn() + " needs ownership of the schema or ALTER ANY SCHEMA)");
            }
        } else {
            ctx.checkOwner(r.existing);
            if (r.statement.orReplace()) {
                ctx.service().aggregates.checkReplacement(r.existing, r.statement.parameterTypes(), r.statement.returnType());
            }
            checkSignature(r);
        }
        DatabaseLimits db = ctx.service().limits;
        FunctionLimits limits = db.effective(r.statement.limits()).withGrantsFor(r.statement.volatility());
        try {
            r.module = Engines.compile(r.bytes, limits.fuel() > 0);
        } catch (RuntimeException e) {
            throw SqlErrors.compileFailed(r.fn(), r.what(), e);
        }
        if (r.implicit) {
            r.moduleName = "sha256:" + r.module.sha256();
        }
        r.abi = ModuleCheck.check(r.name.display(), r.module, r.statement.exportName(), nullInputBehaviour(ctx, r).abi());
        checkFits(ctx.service(), r.module, r.fn(), r.what(), limits);
        try {
            // a WASI reactor's _initialize (or a command's _start) runs here too: one that exits or traps is refused now
            GuestInstance.instantiate(r.module, ctx.service().instanceLimits(r.module, limits), GuestHosts.trial(limits.grants())).discard();
        } catch (RuntimeException | OutOfMemoryError e) {
            throw SqlErrors.instantiateFailed(r.fn(), e, DatabaseLimits.INSTANTIATION_TIMEOUT.toSeconds(), db.budget.toString());
        }
        if (r.existing == null && overloads.isEmpty() && shadowedByBuiltin(ctx, r.name.name(), r.statement.parameters().size())) {
            throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, r.fn() + " would be hidden by H2's built-in function or alias "
                    + r.name.name().toUpperCase(Locale.ROOT) + " (choose another name, or open the database with BUILTIN_ALIAS_OVERRIDE=TRUE)");
        }
        if (r.existing != null && !r.statement.orReplace()) {
            // PostgreSQL's wording (pg_proc.c); the HINT is ours
            throw SqlStates.hinted(SqlStates.DUPLICATE_FUNCTION, "function \"" + r.statement.name().name().pgName()
                    + "\" already exists with same argument types", "Use CREATE OR REPLACE FUNCTION to replace it.");
        }
    }

    /**
     * A new overload of a name that has functions already ({@code others}, none with these argument
     * types): table functions keep a name to themselves (H2 takes an alias as a table function or a
     * scalar one, not both), and an arity several functions share is dispatched by packing the
     * argument types into a long, hence at most {@link OverloadSet#MAX_DISPATCH_ARITY} arguments.
     */
    private static void checkOverload(Resolved r, List<FunctionDef> others) throws SQLException {
        FunctionDef other = others.get(0);
        String otherSignature = signature(other);
        if (r.statement.tableColumns() != null || others.stream().anyMatch(f -> f.kind() == FunctionKind.TABLE)) {
            throw SqlStates.hinted(SqlStates.FEATURE_NOT_SUPPORTED, r.fn() + ": function " + otherSignature
                    + " has the same name, and set-returning wasm functions cannot be overloaded",
                    "Choose another name, or use DROP FUNCTION " + otherSignature + " first.");
        }
        int arity = r.statement.parameters().size();
        if (arity > OverloadSet.MAX_DISPATCH_ARITY && others.stream().anyMatch(f -> f.params().size() == arity)) {
            throw SqlStates.hinted(SqlStates.FEATURE_NOT_SUPPORTED, r.fn() + ": wasm functions of more than "
                    + OverloadSet.MAX_DISPATCH_ARITY + " arguments cannot be overloaded with others of as many arguments",
                    "Choose another name.");
        }
    }

    /** {@code f(integer,text)}, as PostgreSQL's format_procedure writes it (no space after the commas). */
    static String signature(FunctionDef f) {
        return f.display() + "(" + f.paramTypes().stream().map(t -> t.sqlName()).collect(java.util.stream.Collectors.joining(",")) + ")";
    }

    /** With the same argument types, OR REPLACE may not change the result type (or the kind), as in PostgreSQL. */
    private static void checkSignature(Resolved r) throws SQLException {
        FunctionDef old = r.existing;
        boolean table = r.statement.tableColumns() != null;
        if (r.statement.orReplace() && (table != (old.kind() == FunctionKind.TABLE)
                || !old.result().sqlName().equals(r.statement.returnType().sqlName()))) {
            throw SqlStates.hinted(SqlStates.INVALID_FUNCTION_DEFINITION, "cannot change return type of existing function",
                    "Use DROP FUNCTION " + signature(old) + " first.");
        }
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, Resolved r) throws SQLException {
        CatalogService service = ctx.service();
        CreateFunction s = r.statement;
        long id = r.existing != null ? r.existing.id() : service.withCatalog(CatalogStore::nextFunctionId);
        int version = r.existing != null ? r.existing.version() + 1 : 1;
        FunctionDef def = new FunctionDef(id, version, r.name.schema(), r.name.name(), r.name.display(),
                s.tableColumns() == null ? FunctionKind.SCALAR : FunctionKind.TABLE,
                r.existing != null ? service.owner(r.existing) : r.owner, s.parameters(), s.returnType(), s.strict(), s.volatility(), r.moduleName,
                r.module.sha256(), s.exportName(), s.limits().withGrantsFor(s.volatility()), r.abi.packedOption(), r.abi.isVectorForm(), r.existing != null ? service.acl(r.existing) : null);
        DdlPlan plan = new DdlPlan();
        plan.onDuplicate(r.fn() + " already exists as an H2 built-in function or alias (choose another name)")
                .before(() -> service.prepare(def), () -> service.abandon(def))
                .rows(sys -> {
                    if (r.existing != null) {
                        CatalogStore.deleteFunction(sys, r.existing.schema(), r.existing.name(), r.existing.id());
                    }
                    if (r.implicit) {
                        CatalogStore.addImplicitModule(sys, r.moduleName, r.bytes,
                                s.source() instanceof ModuleSource.Text t ? t.text() : null);
                    }
                    CatalogStore.insertFunction(sys, def, service.aliasTarget(def));
                    if (r.existing != null && !r.existing.module().equals(r.moduleName)) {
                        CatalogStore.deleteImplicitIfUnused(sys, r.existing.module());
                    }
                })
                .onSuccess(() -> service.replace(r.existing, def));
        List<FunctionDef> before = service.overloads(def.schema(), def.name());
        NameAlias.change(plan, service, def.schema(), def.name(), before, NameAlias.with(before, r.existing, def));
        TableFunctions.plan(plan, service, s, def, r.existing);
        return plan;
    }

    /**
     * The declaration whose ABI the export is checked against. PostgreSQL's default is CALLED ON
     * NULL INPUT, but an export with plain values cannot see a NULL: a statement that names no
     * null-input behaviour is made STRICT, with a NOTICE, when the export has the plain signature;
     * otherwise (and for a named behaviour) the declaration stands. This also settles the only
     * ambiguous core signature, a zero-argument {@code () -> i32}: STRICT reads it as the value,
     * CALLED ON NULL INPUT as a pointer to an {@code option<T>} return area. A table function
     * has only the STRICT form.
     */
    private static CreateFunction nullInputBehaviour(DdlPipeline.Context ctx, Resolved r) {
        CreateFunction s = r.statement;
        if (s.nullInputDeclared()) {
            return s;
        }
        CreateFunction strict = s.withStrict(true);
        boolean plain = ModuleCheck.exportMatches(r.module, s.exportName(), strict.abi());
        if (plain || s.tableColumns() != null) {
            r.statement = strict;
            if (plain) {
                ctx.notice("function " + r.name.display() + " is created as STRICT: its export \"" + s.exportName()
                        + "\" takes plain values, which cannot be NULL, so a NULL argument gives "
                        + (s.tableColumns() != null ? "no rows" : "NULL") + " without a call"
                        + " (write STRICT or CALLED ON NULL INPUT to say which you mean)");
            }
            return strict;
        }
        return s.withStrict(false);
    }

    /**
     * Refuses, at CREATE (and ALTER FUNCTION … SET), a module that could never be instantiated under {@code limits}: a declared
     * minimum memory over the function's cap or the database's whole budget (53200), or a table
     * over the engine's limit (54000).
     */
    static void checkFits(CatalogService service, CompiledModule module, String fn, String what, FunctionLimits limits) throws SQLException {
        DatabaseLimits db = service.limits;
        long min = module.declaredMemoryMinPages();
        long pageBytes = FunctionLimits.PAGE_BYTES;
        if (min > limits.maxMemoryPages()) {
            throw SqlStates.error(SqlStates.OUT_OF_MEMORY, fn + ": " + what + " declares a minimum memory of " + min + " pages ("
                    + mib(min * pageBytes) + "), more than the limit of " + limits.maxMemoryPages() + " pages ("
                    + mib(limits.maxMemoryPages() * pageBytes) + "; raise it with SET " + FunctionLimits.MAX_MEMORY + ")");
        }
        if (min * pageBytes > db.budget.maxBytes()) {
            throw SqlStates.error(SqlStates.OUT_OF_MEMORY, fn + ": " + what + " declares a minimum memory of " + mib(min * pageBytes)
                    + ", more than the database's whole wasm memory budget of " + mib(db.budget.maxBytes()) + " ("
                    + DatabaseLimits.MEMORY_BUDGET + ")");
        }
        try {
            module.checkFits(service.instanceLimits(module, limits));
        } catch (RuntimeException e) {
            throw SqlErrors.instantiateFailed(fn, e, DatabaseLimits.INSTANTIATION_TIMEOUT.toSeconds(), db.budget.toString());
        }
    }

    private static String mib(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1 << 20), 2, RoundingMode.DOWN).stripTrailingZeros().toPlainString() + " MiB";
    }

    /**
     * H2 resolves built-in function names (and mode-specific ones) before aliases, so an alias of
     * such a name could never be called. Asks H2's own parser on the user's connection (a prepare,
     * nothing runs): an unknown function fails with FUNCTION_NOT_FOUND; anything else means the
     * name is taken.
     */
    static boolean shadowedByBuiltin(DdlPipeline.Context ctx, String name, int arity) throws SQLException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || H2Access.allowsBuiltinAliasOverride(ctx.user())) {
            return false;
        }
        StringBuilder probe = new StringBuilder("SELECT ").append(name).append('(');
        for (int i = 0; i < arity; i++) {
            probe.append(i == 0 ? "NULL" : ", NULL");
        }
        String sql = probe.append(')').toString();
        int code = H2Access.prepareErrorCode(ctx.user(), sql);
        if (code >= 0) {
            return code != org.h2.api.ErrorCode.FUNCTION_NOT_FOUND_1;
        }
        try (PreparedStatement ps = ctx.user().prepareStatement(sql)) {
            return true;
        } catch (SQLException e) {
            return e.getErrorCode() != org.h2.api.ErrorCode.FUNCTION_NOT_FOUND_1;
        }
    }
}
