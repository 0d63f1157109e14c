package io.wasmudf.h2;

import io.wasmudf.sql.DropFunction;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
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
            String shown = r.display() + (t.argTypes() == null ? "" : "(" + names(t.argTypes()) + ")");
            if (f == null || (t.argTypes() != null && !t.argTypes().equals(f.paramTypes()))) {
                if (drop.ifExists()) {
                    continue;
                }
                String hint = f == null ? "" : " (there is " + r.display() + "(" + names(f.paramTypes()) + "))";
                throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + shown + " does not exist" + hint);
            }
            if (!targets.contains(f)) {
                targets.add(f);
            }
        }
        return targets;
    }

    private static String names(List<SqlType> types) {
        return types.stream().map(SqlType::sqlName).collect(Collectors.joining(", "));
    }

    @Override
    public void check(DdlPipeline.Context ctx, List<FunctionDef> targets) throws SQLException {
        for (FunctionDef f : targets) {
            ctx.checkOwner(f);
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
                    })
                    .onSuccess(() -> service.replace(f, null));
        }
        return plan;
    }
}
