package io.wasmudf.h2;

import io.wasmudf.sql.DropFunction;
import io.wasmudf.sql.FunctionGrant;
import io.wasmudf.sql.Identifier;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlTypes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code GRANT/REVOKE EXECUTE ON FUNCTION …} and {@code GRANT/REVOKE USAGE ON LANGUAGE wasm}
 * through the {@link DdlPipeline}, with PostgreSQL's rules: the owner of a function (or a
 * superuser) changes its access list; only superusers change the language's, as the bootstrap
 * superuser owns the languages in PostgreSQL. Grantees are H2 users (roles of the wire server).
 */
final class FunctionGrantHandler implements DdlPipeline.Handler<FunctionGrant, FunctionGrantHandler.Resolved> {

    /** The functions (none for the language) and the grantees as H2 user names. */
    record Resolved(FunctionGrant statement, List<FunctionDef> functions, List<String> grantees) {}

    @Override
    public Resolved resolve(DdlPipeline.Context ctx, FunctionGrant g) throws SQLException {
        List<FunctionDef> functions = new ArrayList<>();
        for (DropFunction.Target t : g.functions()) {
            FunctionDef f = DropFunctionHandler.target(ctx, t, false);
            if (!functions.contains(f)) {
                functions.add(f);
            }
        }
        List<String> grantees = new ArrayList<>();
        for (Identifier id : g.grantees()) {
            String user = h2User(ctx, id);
            if (!grantees.contains(user)) {
                grantees.add(user);
            }
        }
        return new Resolved(g, functions, grantees);
    }

    /** The H2 user a grantee names: PUBLIC, the session's own user, or an existing user (42704 otherwise). */
    static String h2User(DdlPipeline.Context ctx, Identifier id) throws SQLException {
        if (!id.quoted()) {
            switch (id.text().toUpperCase(Locale.ROOT)) {
                case "PUBLIC":
                    return Privileges.PUBLIC;
                case "CURRENT_USER": case "CURRENT_ROLE": case "SESSION_USER":
                    return ctx.userName();
                default:
                    break;
            }
        }
        String name = id.quoted() ? id.text() : id.text().toUpperCase(Locale.ROOT);
        boolean exists = ctx.service().withCatalog(sys -> {
            try (PreparedStatement ps = sys.prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!exists) {
            throw SqlStates.error(SqlStates.UNDEFINED_OBJECT, "role \"" + id.pgName() + "\" does not exist");
        }
        return name;
    }

    @Override
    public void check(DdlPipeline.Context ctx, Resolved r) throws SQLException {
        Object session = H2Access.session(ctx.user());
        if (H2Access.isSuperuser(session)) {
            return;
        }
        String me = ctx.userName();
        if (r.statement().onLanguage()) {
            // PostgreSQL warns a role that holds USAGE ("no privileges were granted") and changes nothing; here it is 42501
            throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "permission denied for language wasm: only superusers may "
                    + (r.statement().grant() ? "grant" : "revoke") + " its privileges");
        }
        for (FunctionDef f : r.functions()) {
            if (!me.equals(ctx.service().owner(f))) {
                throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "permission denied for function " + Privileges.pgName(f)
                        + ": only its owner or a superuser may " + (r.statement().grant() ? "grant" : "revoke") + " privileges on it");
            }
        }
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, Resolved r) {
        CatalogService service = ctx.service();
        boolean grant = r.statement().grant();
        DdlPlan plan = new DdlPlan();
        // the new lists are computed when the plan is applied, under the catalog lock, so concurrent GRANTs keep each other's changes
        if (r.statement().onLanguage()) {
            String[] acl = new String[1];
            plan.rows(sys -> {
                acl[0] = Privileges.change(service.languageAcl(), null, grant, r.grantees());
                CatalogStore.setLanguageAcl(sys, acl[0]);
            }).onSuccess(() -> service.setLanguageAcl(acl[0]));
            return plan;
        }
        for (FunctionDef f : r.functions()) {
            String[] acl = new String[1];
            plan.rows(sys -> {
                acl[0] = Privileges.change(service.acl(f), service.owner(f), grant, r.grantees());
                CatalogStore.setFunctionAcl(sys, f.id(), acl[0]);
            }).onSuccess(() -> service.setAcl(f, acl[0]));
        }
        return plan;
    }
}
