package io.wasmudf.h2;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.AlterFunctionActions;
import io.wasmudf.sql.DropFunction;
import io.wasmudf.sql.FunctionKind;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.ModuleCheck;
import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.Volatility;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code ALTER FUNCTION … IMMUTABLE | STABLE | VOLATILE, STRICT | CALLED ON NULL INPUT, SET/RESET
 * wasm.…} through the {@link DdlPipeline}: the function keeps its id, name, module, owner and ACL
 * and gets a new version (a new bridge, so no session keeps calling it with the old limits or
 * null handling). The changed declaration is checked as CREATE checks it: the export against the
 * new null-input ABI, the module against the new limits (it must still instantiate).
 */
final class AlterFunctionActionsHandler implements DdlPipeline.Handler<AlterFunctionActions, AlterFunctionActionsHandler.Resolved> {

    /** The function as it is, and as the statement declares it (its packed-result flag set by {@link #check}). */
    static final class Resolved {
        final FunctionDef old;
        FunctionDef def;

        Resolved(FunctionDef old, FunctionDef def) {
            this.old = old;
            this.def = def;
        }
    }

    @Override
    public Resolved resolve(DdlPipeline.Context ctx, AlterFunctionActions s) throws SQLException {
        FunctionDef old = new DropFunctionHandler().resolve(ctx, new DropFunction(false, List.of(s.target()))).get(0);
        Volatility volatility = s.volatility() != null ? s.volatility() : old.volatility();
        boolean strict = s.strict() != null ? s.strict() : old.strict();
        FunctionLimits own = old.limits();
        if (own.grants() != null && own.grants().equals(FunctionLimits.defaultGrants(old.volatility()))) {
            // grants equal to the volatility's default are taken as not set (the catalog stores them resolved),
            // so an IMMUTABLE function made VOLATILE sees real clocks and a VOLATILE one made IMMUTABLE loses them
            own = new FunctionLimits(own.maxMemoryPages(), own.fuel(), own.timeout(), null);
        }
        FunctionLimits limits = s.apply(own).withGrantsFor(volatility);
        return new Resolved(old, new FunctionDef(old.id(), old.version() + 1, old.schema(), old.name(), old.display(), old.kind(),
                ctx.service().owner(old), old.params(), old.result(), strict, volatility, old.module(), old.sha256(), old.export(), limits,
                old.packedResult(), old.v128Values(), ctx.service().acl(old)));
    }

    @Override
    public void check(DdlPipeline.Context ctx, Resolved r) throws SQLException {
        ctx.checkOwner(r.old);
        FunctionDef def = r.def;
        String fn = "function " + def.display();
        if (def.kind() == FunctionKind.TABLE && !def.strict()) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, fn + ": set-returning wasm functions must be STRICT"
                    + " for now (no rows for a NULL argument)");
        }
        DatabaseLimits db = ctx.service().limits;
        FunctionLimits effective = db.effective(def.limits()).withGrantsFor(def.volatility());
        CompiledModule module = ctx.service().module(def, effective.fuel() > 0);
        String what = "its module \"" + def.module() + "\"";
        AbiLayout declared = def.kind() == FunctionKind.TABLE ? def.abi() : AbiLayout.of(def.paramTypes(), def.result(), def.strict());
        AbiLayout abi = ModuleCheck.check(def.display(), module, def.export(), declared);
        if (abi.packedOption() != def.packedResult() || abi.isVectorForm() != def.v128Values()) {
            r.def = new FunctionDef(def.id(), def.version(), def.schema(), def.name(), def.display(), def.kind(), def.owner(), def.params(),
                    def.result(), def.strict(), def.volatility(), def.module(), def.sha256(), def.export(), def.limits(), abi.packedOption(),
                    abi.isVectorForm(), def.acl());
        }
        if (!def.limits().equals(r.old.limits())) {
            CreateFunctionHandler.checkFits(ctx.service(), module, fn, what, effective);
            try {
                GuestInstance.instantiate(module, ctx.service().instanceLimits(module, effective), GuestHosts.trial(effective.grants())).discard();
            } catch (RuntimeException | OutOfMemoryError e) {
                throw SqlErrors.instantiateFailed(fn, e, DatabaseLimits.INSTANTIATION_TIMEOUT.toSeconds(), db.budget.toString());
            }
        }
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, Resolved r) {
        CatalogService service = ctx.service();
        FunctionDef old = r.old;
        FunctionDef def = r.def;
        DdlPlan plan = new DdlPlan()
                .onDuplicate("function " + def.display() + " already exists as an H2 built-in function or alias")
                .before(() -> service.prepare(def), () -> service.abandon(def))
                .rows(sys -> {
                    CatalogStore.deleteFunction(sys, old.schema(), old.name(), old.id());
                    CatalogStore.insertFunction(sys, def, service.aliasTarget(def));
                })
                .onSuccess(() -> service.replace(old, def));
        List<FunctionDef> before = service.overloads(old.schema(), old.name());
        NameAlias.change(plan, service, old.schema(), old.name(), before, NameAlias.with(before, old, def));
        return plan;
    }
}
