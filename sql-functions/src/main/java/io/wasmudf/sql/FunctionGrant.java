package io.wasmudf.sql;

import java.util.List;

/**
 * A parsed {@code GRANT|REVOKE {EXECUTE | ALL [PRIVILEGES]} ON {FUNCTION|ROUTINE} f[(argtypes)] [, …]
 * TO|FROM grantee [, …]} or {@code GRANT|REVOKE {USAGE | ALL [PRIVILEGES]} ON LANGUAGE wasm …}
 * ({@code functions} is empty then). A grantee is a role name as written; the unquoted words
 * PUBLIC, CURRENT_USER, CURRENT_ROLE and SESSION_USER keep PostgreSQL's meaning.
 */
public record FunctionGrant(boolean grant, boolean onLanguage, List<DropFunction.Target> functions, List<Identifier> grantees)
        implements WasmDdl {

    public FunctionGrant {
        functions = List.copyOf(functions);
        grantees = List.copyOf(grantees);
    }

    @Override
    public String commandTag() {
        return grant ? "GRANT" : "REVOKE";
    }
}
