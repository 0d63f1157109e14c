package io.wasmudf.h2;

import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL's privileges on wasm functions (EXECUTE) and on LANGUAGE wasm (USAGE), held as
 * access lists of H2 user names ({@code PUBLIC} for everyone), comma-separated in the catalog. A
 * null list is PostgreSQL's default: the owner and PUBLIC hold the privilege (wasm is a trusted
 * language, so PUBLIC may create functions in it). Superusers (H2 administrators and holders of
 * ALTER ANY SCHEMA) hold every privilege, as in PostgreSQL.
 */
final class Privileges {
    static final String PUBLIC = "PUBLIC";

    private Privileges() {}

    /** The grantees of {@code acl}; the default list is the owner's (if any) and PUBLIC. */
    static List<String> grantees(String acl, String owner) {
        if (acl == null) {
            List<String> out = new ArrayList<>();
            if (owner != null && !owner.isEmpty()) {
                out.add(owner);
            }
            out.add(PUBLIC);
            return out;
        }
        List<String> out = new ArrayList<>();
        for (String g : acl.split(",")) {
            if (!g.isEmpty()) {
                out.add(g);
            }
        }
        return out;
    }

    /** Whether H2 user {@code user} holds the privilege under {@code acl} (directly or through PUBLIC). */
    static boolean allows(String acl, String owner, String user) {
        if (acl == null) {
            return true;
        }
        List<String> g = grantees(acl, owner);
        return g.contains(PUBLIC) || (user != null && g.contains(user));
    }

    /** {@code acl} with {@code grantees} added (GRANT) or removed (REVOKE). */
    static String change(String acl, String owner, boolean grant, Collection<String> grantees) {
        Set<String> g = new LinkedHashSet<>(grantees(acl, owner));
        if (grant) {
            g.addAll(grantees);
        } else {
            g.removeAll(grantees);
        }
        return String.join(",", g);
    }

    /** 42501 unless the user of {@code session} may execute {@code def} under its current access list. */
    static void checkExecute(CatalogService service, Object session, FunctionDef def) throws SQLException {
        String acl = service.acl(def);
        if (acl == null || allows(acl, service.owner(def), H2Access.userName(session)) || H2Access.isSuperuser(session)) {
            return;
        }
        throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "permission denied for function " + pgName(def));
    }

    /** The function's name as PostgreSQL's messages show it: H2's folded upper case back in lower case. */
    static String pgName(FunctionDef def) {
        String n = def.name();
        return n.equals(n.toUpperCase(Locale.ROOT)) ? n.toLowerCase(Locale.ROOT) : n;
    }

    /** 42501 unless the user of {@code session} may create functions in LANGUAGE wasm. */
    static void checkLanguageUsage(CatalogService service, Object session, String function) throws SQLException {
        String acl = service.languageAcl();
        if (acl == null || allows(acl, null, H2Access.userName(session)) || H2Access.isSuperuser(session)) {
            return;
        }
        throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "permission denied for language wasm (creating function " + function
                + "; a superuser may GRANT USAGE ON LANGUAGE wasm)");
    }
}
