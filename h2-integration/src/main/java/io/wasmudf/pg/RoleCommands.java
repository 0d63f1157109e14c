package io.wasmudf.pg;

import java.sql.SQLException;

/** Role and privilege commands: CREATE/ALTER/DROP ROLE (and USER), GRANT, REVOKE. */
final class RoleCommands {
    private final Session session;

    RoleCommands(Session session) {
        this.session = session;
    }

    /** The local statement for a role command, or null when {@code s} is not one. */
    LocalStatement match(SqlStatement s) throws SQLException {
        switch (s.kind) {
            case "CREATE USER":
            case "ALTER USER":
            case "DROP USER":
            case "CREATE ROLE":
            case "DROP ROLE":
            case "ALTER ROLE":
                throw new SQLException("roles are not supported yet", SqlStates.FEATURE_NOT_SUPPORTED);
            default:
                return null;
        }
    }
}
