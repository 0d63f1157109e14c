package io.wasmudf.h2;

import io.wasmudf.sql.CreateAggregate;
import io.wasmudf.sql.QualifiedName;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import io.wasmudf.sql.TextInput;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code CREATE [OR REPLACE] AGGREGATE name (argtypes) (SFUNC = …, STYPE = …, …)} through the
 * {@link DdlPipeline}: the support functions are wasm functions found by name and exact argument
 * types, checked as PostgreSQL's {@code AggregateCreate} checks them (same SQLSTATEs and wording),
 * and the aggregate becomes an H2 {@code CREATE AGGREGATE} of a generated {@link WasmAggregate}.
 */
final class CreateAggregateHandler implements DdlPipeline.Handler<CreateAggregate, CreateAggregateHandler.Resolved> {

    /** The statement with its resolved name, support functions and the aggregate it would replace. */
    record Resolved(CreateAggregate statement, DdlPipeline.ResolvedName name, AggregateDef existing, FunctionDef sfunc, FunctionDef finalFunc,
                    FunctionDef combineFunc, String owner) {}

    @Override
    public Resolved resolve(DdlPipeline.Context ctx, CreateAggregate s) throws SQLException {
        DdlPipeline.ResolvedName name = ctx.resolve(s.name());
        CatalogService service = ctx.service();
        List<SqlType> sfArgs = new ArrayList<>();
        sfArgs.add(s.stype());
        sfArgs.addAll(s.argTypes());
        FunctionDef sfunc = lookup(ctx, s.sfunc(), sfArgs);
        FunctionDef fin = s.finalFunc() == null ? null : lookup(ctx, s.finalFunc(), List.of(s.stype()));
        FunctionDef comb = s.combineFunc() == null ? null : lookup(ctx, s.combineFunc(), List.of(s.stype(), s.stype()));
        return new Resolved(s, name, service.aggregates.find(name.schema(), name.name()), sfunc, fin, comb, ctx.userName());
    }

    /** PostgreSQL's lookup_agg_function: a function of that name taking exactly {@code args}, else 42883. */
    private static FunctionDef lookup(DdlPipeline.Context ctx, QualifiedName q, List<SqlType> args) throws SQLException {
        DdlPipeline.ResolvedName n = ctx.resolve(q);
        FunctionDef f = ctx.service().find(n.schema(), n.name(), args);
        if (f == null) {
            List<FunctionDef> others = ctx.service().overloads(n.schema(), n.name());
            String there = others.isEmpty() ? "" : " (there is " + others.stream().map(o -> o.display() + "(" + SqlTypes.names(o.paramTypes()) + ")")
                    .collect(java.util.stream.Collectors.joining(", ")) + ")";
            throw SqlStates.error(SqlStates.UNDEFINED_FUNCTION, "function " + n.display() + "(" + SqlTypes.names(args) + ") does not exist" + there);
        }
        return f;
    }

    @Override
    public void check(DdlPipeline.Context ctx, Resolved r) throws SQLException {
        CreateAggregate s = r.statement();
        String agg = "aggregate " + r.name().display();
        if (r.sfunc().result() != s.stype()) {
            throw SqlStates.error(SqlStates.DATATYPE_MISMATCH, "return type of transition function " + r.sfunc().display() + " is not "
                    + s.stype().sqlName());
        }
        if (r.combineFunc() != null && r.combineFunc().result() != s.stype()) {
            throw SqlStates.error(SqlStates.DATATYPE_MISMATCH, "return type of combine function " + r.combineFunc().display() + " is not "
                    + s.stype().sqlName());
        }
        if (r.sfunc().strict() && s.initCond() == null && (s.argTypes().isEmpty() || s.argTypes().get(0) != s.stype())) {
            throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION,
                    "must not omit initial value when transition function is strict and transition type is not compatible with input type");
        }
        if (s.initCond() != null) {
            TextInput.parse(s.stype(), s.initCond());
        }
        if (r.existing() == null) {
            if (!H2Access.schemaExists(ctx.user(), r.name().schema())) {
                throw SqlStates.error(SqlStates.INVALID_SCHEMA_NAME, "schema \"" + r.name().schema() + "\" does not exist");
            }
            if (!H2Access.mayCreateIn(ctx.user(), r.name().schema())) {
                throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "permission denied for schema " + r.name().schema()
                        + " (creating " + agg + " needs ownership of the schema or ALTER ANY SCHEMA)");
            }
            List<FunctionDef> sameNames = ctx.service().overloads(r.name().schema(), r.name().name());
            FunctionDef sameName = sameNames.stream().filter(f -> f.paramTypes().equals(s.argTypes())).findFirst()
                    .orElse(sameNames.isEmpty() ? null : sameNames.get(0));
            if (sameName != null) {
                throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, sameName.paramTypes().equals(s.argTypes())
                        ? "function \"" + r.name().display() + "\" already exists with same argument types"
                        : agg + ": function " + sameName.display() + "(" + SqlTypes.names(sameName.paramTypes())
                        + ") has the same name (H2 keeps one function or aggregate per name)");
            }
            if (shadowedByBuiltin(ctx, r.name().name(), s.argTypes().size())) {
                throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, agg + " would be hidden by H2's built-in function or aggregate "
                        + r.name().name() + " (choose another name)");
            }
        } else {
            ctx.checkOwner(r.existing().owner(), r.existing().display());
            if (!s.orReplace()) {
                throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, r.existing().argTypes().equals(s.argTypes())
                        ? "function \"" + r.name().display() + "\" already exists with same argument types"
                        : agg + ": aggregate " + r.existing().signature() + " has the same name (H2 keeps one aggregate per name)");
            }
            if (!r.existing().argTypes().equals(s.argTypes())) {
                throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, agg + ": aggregate " + r.existing().signature()
                        + " has the same name (H2 keeps one aggregate per name; DROP AGGREGATE it first)");
            }
        }
    }

    /** H2 resolves its own functions and aggregates before user aggregates: such a name could never be called. */
    private static boolean shadowedByBuiltin(DdlPipeline.Context ctx, String name, int arity) throws SQLException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return false;
        }
        StringBuilder probe = new StringBuilder("SELECT ").append(name).append('(');
        for (int i = 0; i < arity; i++) {
            probe.append(i == 0 ? "NULL" : ", NULL");
        }
        try (PreparedStatement ps = ctx.user().prepareStatement(probe.append(')').toString())) {
            return true;
        } catch (SQLException e) {
            return e.getErrorCode() != org.h2.api.ErrorCode.FUNCTION_NOT_FOUND_1;
        }
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, Resolved r) throws SQLException {
        CatalogService service = ctx.service();
        AggregateRegistry registry = service.aggregates;
        CreateAggregate s = r.statement();
        AggregateDef old = r.existing();
        long id = old != null ? old.id() : service.withCatalog(CatalogStore::nextFunctionId);
        int version = old != null ? old.version() + 1 : 1;
        AggregateDef def = new AggregateDef(id, version, r.name().schema(), r.name().name(), r.name().display(),
                old != null ? old.owner() : r.owner(), s.argTypes(), r.sfunc().id(), s.stype(), r.finalFunc() == null ? 0 : r.finalFunc().id(),
                r.combineFunc() == null ? 0 : r.combineFunc().id(), s.initCond(), r.finalFunc() == null ? s.stype() : r.finalFunc().result(),
                s.parallel());
        String h2Name = AggregateRegistry.h2Name(def);
        DdlPlan plan = new DdlPlan();
        if (old != null) {
            plan.alias("DROP AGGREGATE IF EXISTS " + h2Name, List.of(registry.createSql(old, true)));
        }
        return plan.alias(registry.createSql(def, false), List.of("DROP AGGREGATE IF EXISTS " + h2Name))
                .onDuplicate("function " + r.name().display() + " already exists as an H2 built-in function, alias or aggregate (choose another name)")
                .before(() -> registry.prepare(def), () -> registry.abandon(def))
                .rows(sys -> {
                    if (old != null) {
                        AggregateStore.delete(sys, old.id());
                    }
                    AggregateStore.insert(sys, def, registry.bridgeClassName(def));
                })
                .onSuccess(() -> registry.replace(old, def));
    }
}
