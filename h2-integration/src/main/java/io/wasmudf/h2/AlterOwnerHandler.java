package io.wasmudf.h2;

import io.wasmudf.sql.AlterFunctionOwner;
import io.wasmudf.sql.SqlStates;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code ALTER FUNCTION f[(argtypes)] OWNER TO role} through the {@link DdlPipeline}: superusers
 * only, since PostgreSQL lets an owner give a function only to a role it is a member of and roles
 * have no members here. The old owner's EXECUTE privilege passes to the new owner, as in
 * PostgreSQL.
 */
final class AlterOwnerHandler implements DdlPipeline.Handler<AlterFunctionOwner, AlterOwnerHandler.Resolved> {

    /** The function and its new owner (an H2 user name). */
    record Resolved(FunctionDef function, String owner) {}

    @Override
    public Resolved resolve(DdlPipeline.Context ctx, AlterFunctionOwner a) throws SQLException {
        FunctionDef f = DropFunctionHandler.target(ctx, a.target(), false);
        String owner = FunctionGrantHandler.h2User(ctx, a.newOwner());
        if (owner.equals(Privileges.PUBLIC)) {
            throw SqlStates.error(SqlStates.UNDEFINED_OBJECT, "role \"public\" does not exist");
        }
        return new Resolved(f, owner);
    }

    @Override
    public void check(DdlPipeline.Context ctx, Resolved r) throws SQLException {
        if (H2Access.isSuperuser(H2Access.session(ctx.user()))) {
            return;
        }
        ctx.checkOwner(r.function());
        if (!r.owner().equals(ctx.userName())) {
            throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "must be member of role \"" + r.owner().toLowerCase(java.util.Locale.ROOT)
                    + "\" (only a superuser gives a function to another role here)");
        }
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, Resolved r) {
        CatalogService service = ctx.service();
        FunctionDef f = r.function();
        String[] acl = new String[1];
        DdlPlan plan = new DdlPlan();
        plan.rows(sys -> {
            String old = service.owner(f);
            String current = service.acl(f);
            if (current != null && Privileges.grantees(current, old).contains(old)) {
                acl[0] = Privileges.change(Privileges.change(current, old, false, List.of(old)), old, true, List.of(r.owner()));
            } else {
                acl[0] = current;
            }
            try (PreparedStatement ps = sys.prepareStatement("UPDATE wasm.functions SET owner = ?, acl = ? WHERE id = ?")) {
                ps.setString(1, r.owner());
                ps.setString(2, acl[0]);
                ps.setLong(3, f.id());
                ps.executeUpdate();
            }
        }).onSuccess(() -> service.setOwner(f, r.owner(), acl[0]));
        return plan;
    }
}
