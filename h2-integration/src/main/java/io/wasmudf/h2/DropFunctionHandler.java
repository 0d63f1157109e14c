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
            FunctionDef f = target(ctx, t, drop.ifExists());
            if (f != null && !targets.contains(f)) {
                targets.add(f);
            }
        }
        return targets;
    }

    /**
     * The function {@code t} names, as PostgreSQL's LookupFuncWithArgs finds it: by name and
     * argument types, or by name alone when the name has one function (42725 "function name "f" is
     * not unique" when it has several); null when there is none and {@code ifExists}, else 42883.
     */
    static FunctionDef target(DdlPipeline.Context ctx, DropFunction.Target t, boolean ifExists) throws SQLException {
        DdlPipeline.ResolvedName r = ctx.resolve(t.name());
        List<FunctionDef> overloads = ctx.service().overloads(r.schema(), r.name());
        FunctionDef f;
        if (t.argTypes() == null) {
            if (overloads.size() > 1) {
                throw SqlStates.hinted(SqlStates.AMBIGUOUS_FUNCTION, "function name \"" + r.display() + "\" is not unique",
                        "Specify the argument list to select the function unambiguously.");
            }
            f = overloads.isEmpty() ? null : overloads.get(0);
        } else {
            f = ctx.service().find(r.schema(), r.name(), t.argTypes());
        }
        if (f != null) {
            return f;
        }
        if (overloads.isEmpty() && ctx.service().aggregates.find(r.schema(), r.name()) != null) {
            throw SqlStates.error(SqlStates.WRONG_OBJECT_TYPE, "\"" + r.display() + "\" is an aggregate function"
                    + " (use DROP AGGREGATE to drop aggregate functions)");
        }
        if (ifExists) {
            ctx.notice(t.argTypes() == null ? "function " + r.display() + "() does not exist, skipping"
                    : "function " + r.display() + "(" + SqlTypes.names(t.argTypes()) + ") does not exist, skipping");
            return null;
        }
        if (t.argTypes() == null) {
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "could not find a function named \"" + r.display() + "\"");
        }
        throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + r.display() + "(" + SqlTypes.names(t.argTypes()) + ") does not exist");
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
            plan.rows(sys -> {
                        CatalogStore.deleteFunction(sys, f.schema(), f.name(), f.id());
                        CatalogStore.setComment(sys, f.id(), null);
                        CatalogStore.deleteImplicitIfUnused(sys, f.module());
                        TableFunctions.delete(sys, f.id());
                    })
                    .onSuccess(() -> service.replace(f, null));
        }
        // one alias change per name, however many of its overloads go
        java.util.Map<String, List<FunctionDef>> byName = new java.util.LinkedHashMap<>();
        for (FunctionDef f : targets) {
            byName.computeIfAbsent(f.schema() + "\u0000" + f.name(), k -> new ArrayList<>()).add(f);
        }
        for (List<FunctionDef> dropped : byName.values()) {
            FunctionDef first = dropped.get(0);
            List<FunctionDef> before = service.overloads(first.schema(), first.name());
            List<FunctionDef> after = before;
            for (FunctionDef f : dropped) {
                after = NameAlias.with(after, f, null);
            }
            NameAlias.change(plan, service, first.schema(), first.name(), before, after);
        }
        return plan;
    }
}
