package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import io.wasmudf.pg.StatementLexer.Kind;
import io.wasmudf.pg.StatementLexer.Token;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL functions about sessions and privileges that only the server can answer, in a
 * statement of their own ({@code SELECT pg_cancel_backend(1234)},
 * {@code SELECT has_table_privilege('alice', 'accounts', 'SELECT')}): pg_cancel_backend,
 * pg_terminate_backend and the has_*_privilege family. H2's functions of those names answer
 * "true" whatever is asked, so anywhere else in a statement they are refused (0A000).
 */
final class ServerFunctions {
    private final Session session;

    ServerFunctions(Session session) {
        this.session = session;
    }

    static final Set<String> NAMES = Set.of("PG_CANCEL_BACKEND", "PG_TERMINATE_BACKEND", "HAS_TABLE_PRIVILEGE", "HAS_SCHEMA_PRIVILEGE",
            "HAS_FUNCTION_PRIVILEGE", "HAS_DATABASE_PRIVILEGE", "HAS_LANGUAGE_PRIVILEGE");

    /** The answer for {@code SELECT f(args) [[AS] label]} with one of {@link #NAMES}, or null when {@code s} is not that. */
    LocalStatement match(SqlStatement s) throws SQLException {
        int i = 0;
        if (!s.word(i++).equals("SELECT")) {
            return null;
        }
        if (s.tokens.size() > i + 2 && s.tokens.get(i).isName("pg_catalog") && s.symbol(i + 1, ".")) {
            i += 2;
        }
        String fn = s.word(i++);
        if (!NAMES.contains(fn) || !s.symbol(i++, "(")) {
            return null;
        }
        List<Token> args = new ArrayList<>();
        while (i < s.tokens.size() && !s.symbol(i, ")")) {
            Token t = s.tokens.get(i);
            if (t.isSymbol("-") && i + 1 < s.tokens.size() && s.tokens.get(i + 1).kind() == Kind.CONSTANT) {
                t = new Token(Kind.CONSTANT, "-" + s.tokens.get(i + 1).value(), t.start(), s.tokens.get(i + 1).end());
                i++;
            } else if (t.kind() != Kind.STRING && t.kind() != Kind.CONSTANT && t.kind() != Kind.PARAMETER) {
                return null; // an expression argument: not a form the server answers (the classifier refuses it)
            }
            args.add(t);
            i++;
            if (s.symbol(i, ",")) {
                i++;
            }
        }
        if (!s.symbol(i++, ")")) {
            return null;
        }
        String label = fn.toLowerCase(Locale.ROOT);
        if (s.word(i).equals("AS")) {
            i++;
        }
        if (i < s.tokens.size() && s.tokens.get(i).isIdentifier()) {
            label = s.tokens.get(i).kind() == Kind.QUOTED ? s.tokens.get(i).value() : s.tokens.get(i).value().toLowerCase(Locale.ROOT);
            i++;
        }
        if (s.symbol(i, ";")) {
            i++;
        }
        if (i != s.tokens.size()) {
            return null;
        }
        return LocalStatement.of(List.of(new Column(label, PgType.BOOL)), params -> {
            List<String> values = new ArrayList<>();
            for (Token t : args) {
                values.add(t.kind() == Kind.PARAMETER ? parameter(t, params) : t.value());
            }
            List<Object[]> rows = new ArrayList<>();
            rows.add(new Object[] {call(fn, values)});
            return LocalStatement.Result.rows(rows);
        });
    }

    private static String parameter(Token t, Object[] params) {
        int n = t.value().length() > 1 ? Integer.parseInt(t.value().substring(1)) - 1 : 0;
        return n < params.length && params[n] != null ? params[n].toString() : null;
    }

    private boolean call(String fn, List<String> args) throws SQLException {
        switch (fn) {
            case "PG_CANCEL_BACKEND":
            case "PG_TERMINATE_BACKEND":
                return signal(args, fn.equals("PG_TERMINATE_BACKEND"));
            default:
                return privilege(fn, args);
        }
    }

    private boolean signal(List<String> args, boolean terminate) throws SQLException {
        if (args.isEmpty() || args.size() > 2) {
            throw new SQLException("function " + (terminate ? "pg_terminate_backend" : "pg_cancel_backend") + " needs a process id",
                    "42883");
        }
        int pid;
        try {
            pid = Integer.parseInt(args.get(0).trim());
        } catch (NumberFormatException e) {
            throw new SQLException("invalid input syntax for type integer: \"" + args.get(0) + "\"", SqlStates.INVALID_TEXT_REPRESENTATION);
        }
        boolean done = session.pg.signal(pid, session, terminate);
        if (!done) {
            session.addNotice(new PgError("WARNING", "01000", "PID " + pid + " is not a PostgreSQL backend process", null, null, 0));
        }
        return done;
    }

    /** has_*_privilege([role,] object, privileges): true if the role holds any of the comma-separated privileges. */
    private boolean privilege(String fn, List<String> args) throws SQLException {
        if (args.size() < 2 || args.size() > 3) {
            throw new SQLException("function " + fn.toLowerCase(Locale.ROOT) + " takes ([role,] object, privilege)", "42883");
        }
        String roleName = args.size() == 3 ? args.get(0) : session.user;
        String object = args.get(args.size() - 2);
        String privileges = args.get(args.size() - 1);
        RoleStore store = session.pg.roles();
        RoleStore.Role role = store == null ? null : store.find(roleName);
        boolean superuser = store == null ? roleName.equals(session.user) && session.superuser : role != null && role.superuser();
        if (store != null && role == null) {
            throw new SQLException("role \"" + roleName + "\" does not exist", SqlStates.UNDEFINED_OBJECT);
        }
        if (store == null && !roleName.equals(session.user)) {
            throw new SQLException("role \"" + roleName + "\" does not exist", SqlStates.UNDEFINED_OBJECT);
        }
        for (String p : privileges.split(",")) {
            String priv = p.trim().toUpperCase(Locale.ROOT).replace(" WITH GRANT OPTION", "");
            if (holds(fn, superuser, role, object, priv)) {
                return true;
            }
        }
        return false;
    }

    private boolean holds(String fn, boolean superuser, RoleStore.Role role, String object, String priv) throws SQLException {
        switch (fn) {
            case "HAS_TABLE_PRIVILEGE": {
                String[] name = session.catalog.resolveTable(object);
                checkPrivilege(priv, Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"));
                return superuser || role != null && session.pg.roles().hasTablePrivilege(role, name[0], name[1], priv);
            }
            case "HAS_SCHEMA_PRIVILEGE": {
                String schema = session.catalog.resolveSchema(object);
                checkPrivilege(priv, Set.of("USAGE", "CREATE"));
                return priv.equals("USAGE") || superuser || role != null && session.pg.roles().ownsSchema(role, schema);
            }
            case "HAS_FUNCTION_PRIVILEGE": {
                CatalogSnapshot.Function f = session.catalog.resolveFunction(object);
                checkPrivilege(priv, Set.of("EXECUTE"));
                return superuser || granted(f.acl(), role);
            }
            case "HAS_DATABASE_PRIVILEGE":
                if (!object.equals(session.server.databaseName())) {
                    throw new SQLException("database \"" + object + "\" does not exist", SqlStates.INVALID_CATALOG_NAME);
                }
                checkPrivilege(priv, Set.of("CONNECT", "CREATE", "TEMPORARY", "TEMP"));
                return !priv.equals("CREATE") || superuser;
            case "HAS_LANGUAGE_PRIVILEGE":
                if (!object.equalsIgnoreCase("wasm")) {
                    throw new SQLException("language \"" + object + "\" does not exist", SqlStates.UNDEFINED_OBJECT);
                }
                checkPrivilege(priv, Set.of("USAGE"));
                return superuser || granted(languageAcl(), role);
            default:
                throw new IllegalStateException(fn);
        }
    }

    /** Whether an access list of the wasm catalog (H2 user names, PUBLIC; null: PostgreSQL's default, PUBLIC) lets {@code role} in. */
    private static boolean granted(String acl, RoleStore.Role role) {
        if (acl == null) {
            return true;
        }
        List<String> grantees = List.of(acl.split(","));
        return grantees.contains("PUBLIC") || role != null && grantees.contains(role.h2User());
    }

    /** USAGE ON LANGUAGE wasm as the catalog records it (readable by everyone, as pg_language is). */
    private String languageAcl() throws SQLException {
        try (java.sql.Statement st = session.conn.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT language_acl FROM wasm.catalog")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void checkPrivilege(String priv, Set<String> valid) throws SQLException {
        if (!valid.contains(priv)) {
            throw new SQLException("unrecognized privilege type: \"" + priv.toLowerCase(Locale.ROOT) + "\"", SqlStates.INVALID_PARAMETER_VALUE);
        }
    }
}
