package io.wasmudf.h2;

import io.wasmudf.sql.DropFunction;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlTypes;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@code DROP FUNCTION [IF EXISTS] name [(argtypes)] [, …]} through the {@link DdlPipeline}: all targets or none. */
final class DropFunctionHandler implements DdlPipeline.Handler<DropFunction, List<FunctionDef>> {

    @Override
    public List<FunctionDef> resolve(DdlPipeline.Context ctx, DropFunction drop) throws SQLException {
        List<FunctionDef> targets = new ArrayList<>();
        for (DropFunction.Target t : drop.targets()) {
            DdlPipeline.ResolvedName r = ctx.resolve(t.name());
            FunctionDef f = ctx.service().find(r.schema(), r.name());
            String shown = r.display() + (t.argTypes() == null ? "" : "(" + SqlTypes.names(t.argTypes()) + ")");
            if (f == null || (t.argTypes() != null && !t.argTypes().equals(f.paramTypes()))) {
                if (f == null && ctx.service().aggregates.find(r.schema(), r.name()) != null) {
                    throw SqlStates.error(SqlStates.WRONG_OBJECT_TYPE, "\"" + r.display() + "\" is an aggregate function"
                            + " (use DROP AGGREGATE to drop aggregate functions)");
                }
                if (drop.ifExists()) {
                    continue;
                }
                String hint = f == null ? "" : " (there is " + r.display() + "(" + SqlTypes.names(f.paramTypes()) + "))";
                throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + shown + " does not exist" + hint);
            }
            if (!targets.contains(f)) {
                targets.add(f);
            }
        }
        return targets;
    }

    @Override
    public void check(DdlPipeline.Context ctx, List<FunctionDef> targets) throws SQLException {
        for (FunctionDef f : targets) {
            ctx.checkOwner(f);
            List<AggregateDef> dependents = ctx.service().aggregates.dependentsOf(f.id());
            if (!dependents.isEmpty()) {
                String fn = "function " + f.display() + "(" + SqlTypes.names(f.paramTypes()).replace(", ", ",") + ")";
                throw SqlStates.error(SqlStates.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop " + fn + " because other objects depend on it ("
                        + dependents.stream().map(a -> "function " + a.signature() + " depends on " + fn).collect(Collectors.joining("; "))
                        + "; drop the aggregates first)");
            }
        }
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, List<FunctionDef> targets) {
        CatalogService service = ctx.service();
        DdlPlan plan = new DdlPlan();
        for (FunctionDef f : targets) {
            String alias = CatalogService.aliasName(f);
            plan.alias("DROP ALIAS IF EXISTS " + alias, List.of(service.createAliasSql(alias, f, true)))
                    .rows(sys -> {
                        CatalogStore.deleteFunction(sys, f.schema(), f.name(), f.id());
                        CatalogStore.setComment(sys, f.id(), null);
                        CatalogStore.deleteImplicitIfUnused(sys, f.module());
                        TableFunctions.delete(sys, f.id());
                    })
                    .onSuccess(() -> service.replace(f, null));
        }
        return plan;
    }
}
