package io.wasmudf.h2;

import io.wasmudf.sql.DropAggregate;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlTypes;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@code DROP AGGREGATE [IF EXISTS] name (argtypes) [, …]} through the {@link DdlPipeline}: all targets or none. */
final class DropAggregateHandler implements DdlPipeline.Handler<DropAggregate, List<AggregateDef>> {

    @Override
    public List<AggregateDef> resolve(DdlPipeline.Context ctx, DropAggregate drop) throws SQLException {
        List<AggregateDef> targets = new ArrayList<>();
        for (DropAggregate.Target t : drop.targets()) {
            DdlPipeline.ResolvedName r = ctx.resolve(t.name());
            AggregateDef a = ctx.service().aggregates.find(r.schema(), r.name());
            String shown = r.display() + "(" + SqlTypes.names(t.argTypes()) + ")";
            if (a == null || !a.argTypes().equals(t.argTypes())) {
                FunctionDef f = a == null ? ctx.service().overloads(r.schema(), r.name()).stream().findFirst().orElse(null) : null;
                if (f != null && f.paramTypes().equals(t.argTypes())) {
                    throw SqlStates.error(SqlStates.WRONG_OBJECT_TYPE, "function " + shown + " is not an aggregate");
                }
                if (drop.ifExists()) {
                    continue;
                }
                String hint = a == null ? "" : " (there is " + a.signature() + ")";
                throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "aggregate " + shown + " does not exist" + hint);
            }
            if (!targets.contains(a)) {
                targets.add(a);
            }
        }
        return targets;
    }

    @Override
    public void check(DdlPipeline.Context ctx, List<AggregateDef> targets) throws SQLException {
        for (AggregateDef a : targets) {
            ctx.checkOwner(a.owner(), a.display());
        }
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, List<AggregateDef> targets) {
        AggregateRegistry registry = ctx.service().aggregates;
        DdlPlan plan = new DdlPlan();
        for (AggregateDef a : targets) {
            plan.alias("DROP AGGREGATE IF EXISTS " + AggregateRegistry.h2Name(a), List.of(registry.createSql(a, true)))
                    .rows(sys -> AggregateStore.delete(sys, a.id()))
                    .onSuccess(() -> registry.replace(a, null));
        }
        return plan;
    }
}
