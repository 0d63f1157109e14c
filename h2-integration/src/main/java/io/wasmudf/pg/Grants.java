package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import io.wasmudf.pg.StatementLexer.Kind;
import io.wasmudf.pg.StatementLexer.Token;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * GRANT and REVOKE in PostgreSQL's syntax, mapped onto H2's rights where they fit:
 * <ul>
 * <li>SELECT, INSERT, UPDATE, DELETE (and ALL) on tables and views, one by one or ALL TABLES IN
 *     SCHEMA (the tables there now, as in PostgreSQL), become H2 GRANT/REVOKE on the session's
 *     own connection, so H2 checks that the grantor owns the schema;</li>
 * <li>EXECUTE on wasm functions and USAGE ON LANGUAGE wasm are the function DDL of the
 *     session's connection: the catalog service keeps the access lists (PUBLIC by default, as
 *     PostgreSQL grants them for a trusted language) and checks them at every call;</li>
 * <li>USAGE on a schema is what PUBLIC has anyway (H2 does not restrict schema use): GRANT
 *     succeeds, REVOKE is refused with 0A000;</li>
 * <li>everything else (CREATE on a schema, sequences, TRUNCATE/REFERENCES/TRIGGER, column
 *     lists, GRANT OPTION, role membership) is refused with 0A000.</li>
 * </ul>
 */
final class Grants {
    private final Session session;

    Grants(Session session) {
        this.session = session;
    }

    LocalStatement.Result run(SqlStatement s) throws SQLException {
        boolean grant = s.kind.equals("GRANT");
        int i = 1;
        if (!grant && s.word(i).equals("GRANT") && s.word(i + 1).equals("OPTION")) {
            throw unsupported("GRANT OPTION");
        }
        Set<String> privileges = new LinkedHashSet<>();
        while (i < s.tokens.size() && !s.word(i).equals("ON") && !s.word(i).equals("TO") && !s.word(i).equals("FROM")) {
            Token t = s.tokens.get(i);
            if (t.isSymbol(",")) {
                i++;
                continue;
            }
            if (t.isSymbol("(")) {
                throw unsupported("column privileges");
            }
            String w = s.word(i);
            if (w.isEmpty()) {
                throw RoleCommands.syntax(s, i);
            }
            privileges.add(w);
            i++;
        }
        if (!s.word(i).equals("ON")) {
            throw unsupported("role membership (GRANT role TO role)");
        }
        i++;
        String objectKind = "TABLE";
        switch (s.word(i)) {
            case "TABLE":
                i++;
                break;
            case "ALL":
                if (s.word(i + 1).equals("TABLES") && s.word(i + 2).equals("IN") && s.word(i + 3).equals("SCHEMA")) {
                    objectKind = "ALL TABLES";
                    i += 4;
                } else {
                    throw unsupported("ON ALL " + s.word(i + 1));
                }
                break;
            case "SCHEMA":
            case "FUNCTION":
            case "ROUTINE":
            case "PROCEDURE":
            case "LANGUAGE":
            case "SEQUENCE":
            case "DATABASE":
            case "DOMAIN":
            case "TYPE":
            case "FOREIGN":
            case "LARGE":
            case "TABLESPACE":
            case "PARAMETER":
                objectKind = s.word(i);
                i++;
                break;
            default:
                break;
        }
        int targetWord = indexOfWord(s, grant ? "TO" : "FROM", i);
        List<String> objects = splitList(s, i, targetWord);
        List<String> grantees = grantees(s, targetWord + 1);
        switch (objectKind) {
            case "TABLE":
            case "ALL TABLES":
                return tables(s, grant, privileges, objectKind.equals("ALL TABLES") ? tablesIn(objects) : objects, grantees);
            case "SCHEMA":
                if (privileges.equals(Set.of("USAGE")) && grant) {
                    return LocalStatement.Result.of("GRANT"); // every role may use every schema here
                }
                throw unsupported(privileges.contains("CREATE") ? "CREATE on a schema (create the schema with AUTHORIZATION role"
                        + " to let a role create objects in it)" : "REVOKE USAGE on a schema (every role may use every schema)");
            case "FUNCTION":
            case "ROUTINE":
            case "PROCEDURE":
            case "LANGUAGE":
                return functionPrivileges(s, grant, objectKind, privileges, objects, grantees);
            default:
                throw unsupported("privileges on " + objectKind.toLowerCase(Locale.ROOT) + (objectKind.equals("SEQUENCE")
                        ? " (every role may use the sequences of the schemas it uses: H2 has no sequence rights)" : ""));
        }
    }

    private LocalStatement.Result tables(SqlStatement s, boolean grant, Set<String> privileges, List<String> tables, List<String> grantees)
            throws SQLException {
        List<String> rights = new ArrayList<>();
        for (String p : privileges) {
            switch (p) {
                case "SELECT": case "INSERT": case "UPDATE": case "DELETE":
                    rights.add(p);
                    break;
                case "ALL": case "PRIVILEGES":
                    if (!rights.contains("ALL")) {
                        rights.add("ALL");
                    }
                    break;
                default:
                    throw unsupported("the " + p + " privilege on tables (H2 has SELECT, INSERT, UPDATE and DELETE)");
            }
        }
        if (rights.isEmpty() || tables.isEmpty()) {
            throw RoleCommands.syntax(s, s.tokens.size());
        }
        for (String table : tables) {
            checkNotCatalog(table, rights);
            for (String grantee : grantees) {
                String sql = (grant ? "GRANT " : "REVOKE ") + String.join(", ", rights) + " ON " + table + (grant ? " TO " : " FROM ") + grantee;
                try (Statement st = session.conn.createStatement()) {
                    st.execute(sql);
                } catch (SQLException e) {
                    if (e.getErrorCode() == 90096 || e.getErrorCode() == 90040) {
                        throw RoleCommands.denied("permission denied for table " + table + ": only the owner of its schema may grant on it");
                    }
                    throw e;
                }
            }
        }
        return LocalStatement.Result.of(grant ? "GRANT" : "REVOKE");
    }

    /** Only SELECT on the wasm catalog may be granted: its rows change through DDL (wasm.roles not even that). */
    private static void checkNotCatalog(String table, List<String> rights) throws SQLException {
        String t = table.replace("\"", "").toLowerCase(Locale.ROOT);
        if (t.startsWith(StatementClassifier.CATALOG_SCHEMA + ".") && (t.endsWith(".roles") || !rights.equals(List.of("SELECT"))
                && !t.endsWith(".modules"))) {
            throw RoleCommands.denied("permission denied for table " + table + ": the wasm catalog changes only through its DDL");
        }
    }

    /**
     * EXECUTE on functions and USAGE ON LANGUAGE wasm: the function DDL of the session's own
     * connection (the catalog service keeps the access lists and checks them at every call), with
     * the grantees as their H2 users.
     */
    private LocalStatement.Result functionPrivileges(SqlStatement s, boolean grant, String kind, Set<String> privileges, List<String> objects,
            List<String> grantees) throws SQLException {
        String privilege = kind.equals("LANGUAGE") ? "USAGE" : "EXECUTE";
        if (!privileges.equals(Set.of(privilege)) && !privileges.equals(Set.of("ALL")) && !privileges.equals(Set.of("ALL", "PRIVILEGES"))) {
            throw new SQLException("invalid privilege type " + String.join(", ", privileges) + " for " + kind.toLowerCase(Locale.ROOT),
                    "0LP01");
        }
        String sql = (grant ? "GRANT " : "REVOKE ") + privilege + " ON " + (kind.equals("LANGUAGE") ? "LANGUAGE " : "FUNCTION ")
                + String.join(", ", objects) + (grant ? " TO " : " FROM ") + String.join(", ", grantees);
        try (Statement st = session.conn.createStatement()) {
            st.execute(sql);
        }
        return LocalStatement.Result.of(grant ? "GRANT" : "REVOKE");
    }

    private String fold(String identifier) {
        if (identifier.startsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return session.foldUpper ? identifier.toUpperCase(Locale.ROOT) : identifier.toLowerCase(Locale.ROOT);
    }

    /** The tables (and views) of the named schemas now, qualified and quoted as H2 stores them. */
    private List<String> tablesIn(List<String> schemas) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String schema : schemas) {
            String h2Schema = fold(schema);
            try (ResultSet rs = session.conn.getMetaData().getTables(null, h2Schema, "%", new String[] {"BASE TABLE", "VIEW", "TABLE"})) {
                while (rs.next()) {
                    out.add(RoleStore.quote(rs.getString("TABLE_SCHEM")) + "." + RoleStore.quote(rs.getString("TABLE_NAME")));
                }
            }
        }
        return out;
    }

    /** The grantees from token {@code i}: PUBLIC, or roles as their H2 users; CURRENT_USER and SESSION_USER are the session's. */
    private List<String> grantees(SqlStatement s, int i) throws SQLException {
        List<String> out = new ArrayList<>();
        while (i < s.tokens.size()) {
            if (s.word(i).equals("PUBLIC")) {
                out.add("PUBLIC");
            } else {
                String name = RoleCommands.roleName(s, i);
                if (name.equals("current_user") || name.equals("session_user") || name.equals("current_role")) {
                    name = session.user;
                }
                RoleStore.Role r = session.pg.roles().find(name);
                if (r == null) {
                    throw new SQLException("role \"" + name + "\" does not exist", SqlStates.UNDEFINED_OBJECT);
                }
                out.add(RoleStore.quote(r.h2User()));
            }
            i++;
            if (s.word(i).equals("WITH") && s.word(i + 1).equals("GRANT")) {
                throw unsupported("WITH GRANT OPTION (only the owner of a schema grants on its tables)");
            }
            if (s.word(i).equals("GRANTED") || s.word(i).equals("CASCADE") || s.word(i).equals("RESTRICT")) {
                break; // GRANTED BY the session itself, and REVOKE's dependent-privilege options, change nothing here
            }
            if (!s.symbol(i, ",")) {
                break;
            }
            i++;
        }
        if (out.isEmpty()) {
            throw RoleCommands.syntax(s, i);
        }
        return out;
    }

    /** The comma-separated items between tokens {@code from} and {@code to}, as written. */
    private static List<String> splitList(SqlStatement s, int from, int to) throws SQLException {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            Token t = s.tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.isSymbol(",")) {
                out.add(text(s, start, i));
                start = i + 1;
            }
        }
        if (start < to) {
            out.add(text(s, start, to));
        }
        if (out.isEmpty()) {
            throw RoleCommands.syntax(s, to);
        }
        return out;
    }

    private static String text(SqlStatement s, int from, int to) {
        return s.sql.substring(s.tokens.get(from).start(), s.tokens.get(to - 1).end()).trim();
    }

    private static int indexOfWord(SqlStatement s, String w, int from) throws SQLException {
        for (int i = from; i < s.tokens.size(); i++) {
            if (s.tokens.get(i).kind() == Kind.WORD && s.tokens.get(i).value().equals(w)) {
                return i;
            }
        }
        throw RoleCommands.syntax(s, s.tokens.size());
    }

    private static SQLException unsupported(String what) {
        return new SQLException(what + " is not supported", SqlStates.FEATURE_NOT_SUPPORTED);
    }
}
