package io.wasmudf.h2;

import io.wasmudf.sql.SqlErrors;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.WatText;
import java.sql.Clob;
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
 * renamed or have its bytes changed (2BP01). A module uploaded as WebAssembly text ({@code
 * source_text}) gets its bytes here. Public because H2 instantiates it by name.
 */
public final class ModuleGuard implements Trigger {
    private static final String NOT_NULL_VIOLATION = "23502";
    private static final int NAME = 0;
    private static final int BYTES = 2;
    /** Added by catalog version 3, hence last. */
    private static final int SOURCE_TEXT = 6;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        // stateless
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow != null) {
            encodeText(oldRow, newRow);
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

    /**
     * A row given as text gets its bytes from the text: on INSERT, bytes given as well must be
     * what the text encodes to; on UPDATE, new text replaces the bytes, and new bytes alone drop
     * the text that no longer describes them. A row with neither is refused as PostgreSQL refuses
     * a NULL in a NOT NULL column (23502).
     */
    private static void encodeText(Object[] oldRow, Object[] newRow) throws SQLException {
        String what = "module \"" + newRow[NAME] + "\"";
        String text = text(newRow);
        byte[] bytes = (byte[]) newRow[BYTES];
        boolean bytesChanged = oldRow == null || !Arrays.equals(bytes, (byte[]) oldRow[BYTES]);
        boolean textChanged = oldRow == null || !java.util.Objects.equals(text, text(oldRow));
        if (text != null && textChanged) {
            byte[] encoded = WatText.toBinary(what, text);
            if (bytes != null && bytesChanged && !Arrays.equals(bytes, encoded)) {
                throw SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, what + ": bytes and source_text disagree"
                        + " (give only source_text; the bytes are encoded from it)");
            }
            newRow[BYTES] = encoded;
        } else if (text != null && bytesChanged) {
            newRow[SOURCE_TEXT] = null;
        }
        if (newRow[BYTES] == null) {
            throw SqlStates.error(NOT_NULL_VIOLATION, "null value in column \"bytes\" of relation \"modules\" violates not-null constraint"
                    + " (give the module as bytes or as WebAssembly text in source_text)");
        }
    }

    /** The row's source_text: H2 hands a CLOB to triggers as a {@link Clob}. */
    private static String text(Object[] row) throws SQLException {
        Object v = row.length > SOURCE_TEXT ? row[SOURCE_TEXT] : null;
        if (v instanceof Clob c) {
            return c.getSubString(1, Math.toIntExact(c.length()));
        }
        return (String) v;
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
