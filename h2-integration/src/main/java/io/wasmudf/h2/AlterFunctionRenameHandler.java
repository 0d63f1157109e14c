package io.wasmudf.h2;

import io.wasmudf.sql.AlterFunctionRename;
import io.wasmudf.sql.DropFunction;
import io.wasmudf.sql.QualifiedName;
import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code ALTER FUNCTION … RENAME TO} through the {@link DdlPipeline}: the function keeps its id
 * (so its description and ACL stay), gets a new version (a new bridge, so nothing cached under the
 * old name survives), and its alias moves to the new name in the same schema, as CREATE OR REPLACE
 * moves it. Only the owner may rename; the new name must be free and not one H2 resolves first.
 */
final class AlterFunctionRenameHandler implements DdlPipeline.Handler<AlterFunctionRename, AlterFunctionRenameHandler.Resolved> {

    /** The function, its new name as the database stores it, and the name as messages show it. */
    record Resolved(FunctionDef old, DdlPipeline.ResolvedName to) {}

    @Override
    public Resolved resolve(DdlPipeline.Context ctx, AlterFunctionRename statement) throws SQLException {
        FunctionDef old = new DropFunctionHandler().resolve(ctx, new DropFunction(false, List.of(statement.target()))).get(0);
        DdlPipeline.ResolvedName to = ctx.resolve(new QualifiedName(statement.target().name().schema(), statement.newName()));
        return new Resolved(old, new DdlPipeline.ResolvedName(old.schema(), to.name(), to.display()));
    }

    @Override
    public void check(DdlPipeline.Context ctx, Resolved r) throws SQLException {
        ctx.checkOwner(r.old());
        if (ctx.service().find(r.to().schema(), r.to().name(), r.old().paramTypes()) != null) {
            throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, "function " + r.to().display() + "(" + argTypes(r.old())
                    + ") already exists in schema \"" + pgName(r.old().schema()) + "\"");
        }
        List<FunctionDef> others = ctx.service().overloads(r.to().schema(), r.to().name());
        if (!others.isEmpty() && (r.old().kind() == io.wasmudf.sql.FunctionKind.TABLE
                || others.stream().anyMatch(f -> f.kind() == io.wasmudf.sql.FunctionKind.TABLE))) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "function " + r.to().display() + " exists with other argument types,"
                    + " and set-returning wasm functions cannot be overloaded");
        }
        if (others.isEmpty() && CreateFunctionHandler.shadowedByBuiltin(ctx, r.to().name(), r.old().params().size())) {
            throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, "function " + r.to().display() + " would be hidden by H2's built-in function"
                    + " or alias " + r.to().name() + " (choose another name, or open the database with BUILTIN_ALIAS_OVERRIDE=TRUE)");
        }
    }

    private static String pgName(String h2Name) {
        return h2Name.equals(h2Name.toUpperCase(java.util.Locale.ROOT)) ? h2Name.toLowerCase(java.util.Locale.ROOT) : h2Name;
    }

    private static String argTypes(FunctionDef f) {
        return String.join(", ", f.paramTypes().stream().map(io.wasmudf.sql.SqlType::sqlName).toList());
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, Resolved r) {
        CatalogService service = ctx.service();
        FunctionDef old = r.old();
        FunctionDef def = new FunctionDef(old.id(), old.version() + 1, old.schema(), r.to().name(), r.to().display(), old.kind(),
                service.owner(old), old.params(), old.result(), old.strict(), old.volatility(), old.module(), old.sha256(), old.export(),
                old.limits(), old.packedResult(), old.v128Values(), service.acl(old)); // the owner and ACL in force, which GRANT and OWNER TO may have changed
        DdlPlan plan = new DdlPlan()
                .onDuplicate("function " + def.display() + " already exists as an H2 built-in function or alias (choose another name)")
                .before(() -> service.prepare(def), () -> service.abandon(def))
                .rows(sys -> {
                    CatalogStore.deleteFunction(sys, old.schema(), old.name(), old.id());
                    CatalogStore.insertFunction(sys, def, service.aliasTarget(def));
                })
                .onSuccess(() -> service.replace(old, def));
        List<FunctionDef> from = service.overloads(old.schema(), old.name());
        NameAlias.change(plan, service, old.schema(), old.name(), from, NameAlias.with(from, old, null));
        List<FunctionDef> to = service.overloads(def.schema(), def.name());
        NameAlias.change(plan, service, def.schema(), def.name(), to, NameAlias.with(to, null, def));
        return plan;
    }
}
