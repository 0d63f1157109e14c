package io.wasmudf.h2;

import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.h2.api.Trigger;

/**
 * Row trigger on {@code wasm.modules}: an inserted or updated module must be a valid module (so
 * uploads fail early, 42P13 or 54000; it is validated, not compiled, so nothing is compiled or
 * cached for an INSERT that rolls back), and a module that functions still use cannot be deleted,
 * renamed or have its bytes changed (2BP01). The inserting user becomes the module's owner
 * (whatever the row says, unless a superuser gives one); only the owner or a superuser may change
 * or delete it (42501), as for functions. Public because H2 instantiates it by name.
 */
public final class ModuleGuard implements Trigger {
    private static final int NAME = 0;
    private static final int BYTES = 2;
    /** Position of the owner column (added by ALTER TABLE to catalogs of earlier releases); -1 while it is missing. */
    private int owner = -1;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND UPPER(COLUMN_NAME) = 'OWNER'")) {
            ps.setString(1, schemaName);
            ps.setString(2, tableName);
            try (ResultSet rs = ps.executeQuery()) {
                owner = rs.next() ? rs.getInt(1) - 1 : -1;
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        checkOwner(conn, oldRow, newRow);
        if (newRow != null) {
            Object bytes = newRow[BYTES];
            if (bytes instanceof byte[] b && (oldRow == null || !Arrays.equals(b, (byte[]) oldRow[BYTES]))) {
                try {
                    // bytes the engines hold compiled (CREATE FUNCTION … AS ? storing its module)
                    // passed validation already; reading the cache compiles and keeps nothing
                    if (!Engines.isCompiled(b)) {
                        Engines.validate(b);
                    }
                } catch (RuntimeException e) {
                    throw SqlErrors.compileFailed(null, "module \"" + newRow[NAME] + "\"", e);
                }
            }
        }
        if (oldRow != null) {
            boolean deleting = newRow == null;
            boolean changing = !deleting && (!oldRow[NAME].equals(newRow[NAME]) || !Arrays.equals((byte[]) oldRow[BYTES], (byte[]) newRow[BYTES]));
            if (deleting || changing) {
                List<String> users = functionsUsing(conn, (String) oldRow[NAME]);
                if (!users.isEmpty()) {
                    throw SqlStates.error(SqlStates.DEPENDENT_OBJECTS_STILL_EXIST, "cannot " + (deleting ? "delete" : "change")
                            + " module \"" + oldRow[NAME] + "\" because functions depend on it: " + String.join(", ", users)
                            + " (DROP FUNCTION them first)");
                }
            }
        }
    }

    /** Records the owner of a new row; 42501 when a user other than the owner or a superuser changes or deletes one. */
    private void checkOwner(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        int at = owner;
        if (at < 0) {
            return; // a catalog without owners (being upgraded)
        }
        Object session = H2Access.session(conn);
        boolean superuser = H2Access.isSuperuser(session);
        String user = H2Access.userName(session);
        if (oldRow == null) {
            if (newRow[at] == null || !superuser) {
                newRow[at] = user;
            }
            return;
        }
        if (!superuser && (user == null || !user.equals(oldRow[at]))) {
            throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "must be owner of module \"" + oldRow[NAME] + "\" to "
                    + (newRow == null ? "delete" : "change") + " it");
        }
        if (newRow != null && !superuser) {
            newRow[at] = oldRow[at];
        }
    }

    /** Qualified names of the functions using {@code module}, as the trigger's own transaction sees the catalog. */
    private static List<String> functionsUsing(Connection conn, String module) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT schema_name, name FROM wasm.functions WHERE module_name = ? ORDER BY 1, 2")) {
            ps.setString(1, module);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        return out;
    }
}
