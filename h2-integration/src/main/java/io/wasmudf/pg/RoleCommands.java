package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import io.wasmudf.pg.StatementLexer.Kind;
import io.wasmudf.pg.StatementLexer.Token;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CREATE/ALTER/DROP ROLE (and USER, PostgreSQL's synonym with LOGIN), with PostgreSQL 15's
 * rules: CREATEROLE or a superuser creates, alters and drops roles, only superusers touch
 * superusers, a role may change its own password, the bootstrap superuser stays one. H2's own
 * user commands never reach the database. GRANT and REVOKE are {@link Grants}'.
 */
final class RoleCommands {
    private final Session session;

    RoleCommands(Session session) {
        this.session = session;
    }

    /** The local statement for a role command, or null when {@code s} is not one. */
    LocalStatement match(SqlStatement s) throws SQLException {
        switch (s.kind) {
            case "CREATE USER":
            case "CREATE ROLE":
                return command(s, () -> create(s, s.kind.endsWith("USER")), "CREATE ROLE");
            case "ALTER USER":
            case "ALTER ROLE":
                return command(s, () -> alter(s), "ALTER ROLE");
            case "DROP USER":
            case "DROP ROLE":
                return command(s, () -> drop(s), "DROP ROLE");
            case "GRANT":
            case "REVOKE":
                return command(s, () -> new Grants(session).run(s), s.kind);
            default:
                return null;
        }
    }

    private interface Action {
        LocalStatement.Result run() throws SQLException;
    }

    private LocalStatement command(SqlStatement s, Action action, String what) throws SQLException {
        if (session.pg.roles() == null) {
            throw new SQLException(what + " is not available: this server runs every session as its one configured user",
                    SqlStates.FEATURE_NOT_SUPPORTED);
        }
        return LocalStatement.of(List.of(), p -> action.run());
    }

    private RoleStore store() {
        return session.pg.roles();
    }

    private RoleStore.Role me() {
        return store().find(session.user);
    }

    // ---- CREATE ---------------------------------------------------------------------------

    private LocalStatement.Result create(SqlStatement s, boolean user) throws SQLException {
        int i = 2;
        String name = roleName(s, i++);
        Options o = options(s, i, new Options(false, user, false, null, false, -1, null));
        RoleStore.Role me = me();
        if (!session.superuser && (me == null || !me.createRole())) {
            throw denied("permission denied to create role");
        }
        if (o.superuser && !session.superuser) {
            throw denied("must be superuser to create superusers");
        }
        if (name.startsWith("pg_")) {
            throw new SQLException("role name \"" + name + "\" is reserved", "42939");
        }
        store().create(new RoleStore.Role(name, o.superuser, o.login, o.createRole, o.verifierOrNull(), null, o.connectionLimit,
                o.validUntil));
        return o.notice("CREATE ROLE");
    }

    // ---- ALTER ----------------------------------------------------------------------------

    private LocalStatement.Result alter(SqlStatement s) throws SQLException {
        String name = roleName(s, 2);
        RoleStore.Role target = existing(name);
        if (s.word(3).equals("RENAME")) {
            if (!s.word(4).equals("TO")) {
                throw new SQLException("syntax error at or near \"" + s.word(4) + "\"", SqlStates.SYNTAX_ERROR);
            }
            String newName = roleName(s, 5);
            checkMayAlter(target, false);
            if (target.name().equals(session.user)) {
                throw new SQLException("session user cannot be renamed", "0A000");
            }
            if (target.name().equals(store().bootstrapRole())) {
                throw denied("the bootstrap superuser is renamed with --user when the server starts");
            }
            store().rename(target, newName);
            return LocalStatement.Result.of("ALTER ROLE");
        }
        if (s.word(3).equals("SET") || s.word(3).equals("RESET") || s.word(3).equals("IN")) {
            throw new SQLException("ALTER ROLE … SET/RESET (per-role settings) is not supported", SqlStates.FEATURE_NOT_SUPPORTED);
        }
        Options o = options(s, 3, new Options(target.superuser(), target.login(), target.createRole(), null, false,
                target.connectionLimit(), target.validUntil()));
        boolean onlyPassword = o.onlyPassword;
        boolean self = target.name().equals(session.user);
        if (!(self && onlyPassword)) {
            checkMayAlter(target, o.superuser != target.superuser());
        }
        if (target.name().equals(store().bootstrapRole()) && (!o.superuser || !o.login)) {
            throw denied("permission denied: the bootstrap superuser \"" + target.name() + "\" must stay a superuser that can log in");
        }
        String verifier = o.passwordGiven ? o.verifierOrNull() : target.verifier();
        store().alter(target.with(o.superuser, o.login, o.createRole, verifier, o.connectionLimit, o.validUntil));
        return o.notice("ALTER ROLE");
    }

    private void checkMayAlter(RoleStore.Role target, boolean changesSuperuser) throws SQLException {
        if ((target.superuser() || changesSuperuser) && !session.superuser) {
            throw denied("must be superuser to alter superuser roles or change superuser attribute");
        }
        RoleStore.Role me = me();
        if (!session.superuser && (me == null || !me.createRole())) {
            throw denied("permission denied to alter role");
        }
    }

    // ---- DROP -----------------------------------------------------------------------------

    private LocalStatement.Result drop(SqlStatement s) throws SQLException {
        int i = 2;
        boolean ifExists = false;
        if (s.word(i).equals("IF") && s.word(i + 1).equals("EXISTS")) {
            ifExists = true;
            i += 2;
        }
        List<RoleStore.Role> targets = new ArrayList<>();
        PgError notice = null;
        while (i < s.tokens.size()) {
            String name = roleName(s, i++);
            RoleStore.Role r = store().find(name);
            if (r == null) {
                if (!ifExists) {
                    throw new SQLException("role \"" + name + "\" does not exist", SqlStates.UNDEFINED_OBJECT);
                }
                notice = new PgError("NOTICE", "00000", "role \"" + name + "\" does not exist, skipping", null, null, 0);
            } else {
                targets.add(r);
            }
            if (!s.symbol(i, ",")) {
                break;
            }
            i++;
        }
        for (RoleStore.Role r : targets) {
            if (r.name().equals(session.user)) {
                throw new SQLException("current user cannot be dropped", "55006");
            }
            if (r.superuser() && !session.superuser) {
                throw denied("must be superuser to drop superusers");
            }
            RoleStore.Role me = me();
            if (!session.superuser && (me == null || !me.createRole())) {
                throw denied("permission denied to drop role");
            }
            if (r.name().equals(store().bootstrapRole())) {
                throw new SQLException("cannot drop role " + r.name() + " because it is required by the database system", "2BP01");
            }
        }
        for (RoleStore.Role r : targets) {
            store().drop(r);
        }
        return new LocalStatement.Result(List.of(), "DROP ROLE", notice);
    }

    // ---- parsing --------------------------------------------------------------------------

    /** A role's attributes as CREATE/ALTER ROLE leave them. */
    private static final class Options {
        boolean superuser;
        boolean login;
        boolean createRole;
        String password;
        boolean passwordGiven;
        int connectionLimit;
        OffsetDateTime validUntil;
        boolean onlyPassword = true;
        PgError notice;

        Options(boolean superuser, boolean login, boolean createRole, String password, boolean passwordGiven, int connectionLimit,
                OffsetDateTime validUntil) {
            this.superuser = superuser;
            this.login = login;
            this.createRole = createRole;
            this.password = password;
            this.passwordGiven = passwordGiven;
            this.connectionLimit = connectionLimit;
            this.validUntil = validUntil;
        }

        /** A SCRAM verifier given as the password is stored as it is (as PostgreSQL does); a clear-text one is hashed. */
        String verifierOrNull() {
            if (password == null) {
                return null;
            }
            if (ScramCredentials.parseVerifier(password) != null) {
                return password;
            }
            return ScramCredentials.fromPassword(password, new java.security.SecureRandom()).toVerifier();
        }

        LocalStatement.Result notice(String tag) {
            return new LocalStatement.Result(List.of(), tag, notice);
        }
    }

    private Options options(SqlStatement s, int i, Options o) throws SQLException {
        if (s.word(i).equals("WITH")) {
            i++;
        }
        while (i < s.tokens.size()) {
            String w = s.word(i);
            if (!w.equals("PASSWORD") && !w.equals("ENCRYPTED") && !w.isEmpty()) {
                o.onlyPassword = false;
            }
            switch (w) {
                case "SUPERUSER": case "NOSUPERUSER":
                    o.superuser = w.equals("SUPERUSER");
                    break;
                case "CREATEROLE": case "NOCREATEROLE":
                    o.createRole = w.equals("CREATEROLE");
                    break;
                case "LOGIN": case "NOLOGIN":
                    o.login = w.equals("LOGIN");
                    break;
                case "NOCREATEDB": case "INHERIT": case "NOREPLICATION": case "NOBYPASSRLS":
                    break; // what every role here is anyway
                case "CREATEDB": case "REPLICATION": case "BYPASSRLS": case "NOINHERIT":
                    throw new SQLException("role attribute " + w + " is not supported (one database, no replication, row security"
                            + " or role membership)", SqlStates.FEATURE_NOT_SUPPORTED);
                case "ENCRYPTED":
                    if (!s.word(i + 1).equals("PASSWORD")) {
                        throw syntax(s, i + 1);
                    }
                    break;
                case "PASSWORD":
                    i++;
                    o.passwordGiven = true;
                    if (s.word(i).equals("NULL")) {
                        o.password = null;
                    } else if (i < s.tokens.size() && s.tokens.get(i).kind() == Kind.STRING) {
                        o.password = s.tokens.get(i).value();
                        if (o.password.isEmpty()) {
                            o.password = null;
                            o.notice = new PgError("NOTICE", "00000", "empty string is not a valid password, clearing password", null,
                                    null, 0);
                        }
                    } else {
                        throw syntax(s, i);
                    }
                    break;
                case "CONNECTION":
                    if (!s.word(i + 1).equals("LIMIT") || i + 2 >= s.tokens.size()) {
                        throw syntax(s, i + 1);
                    }
                    i += 2;
                    o.connectionLimit = integer(s, i);
                    break;
                case "VALID":
                    if (!s.word(i + 1).equals("UNTIL") || i + 2 >= s.tokens.size() || s.tokens.get(i + 2).kind() != Kind.STRING) {
                        throw syntax(s, i + 1);
                    }
                    i += 2;
                    o.validUntil = timestamp(s.tokens.get(i).value());
                    break;
                case "SYSID":
                    i++; // ignored, as in PostgreSQL
                    break;
                case "IN": case "ROLE": case "ADMIN": case "USER":
                    throw new SQLException("role membership (IN ROLE, ROLE, ADMIN) is not supported", SqlStates.FEATURE_NOT_SUPPORTED);
                default:
                    throw syntax(s, i);
            }
            i++;
        }
        return o;
    }

    private static int integer(SqlStatement s, int i) throws SQLException {
        boolean negative = s.symbol(i, "-");
        Token t = s.tokens.get(negative ? i + 1 : i);
        try {
            int v = Integer.parseInt(t.value());
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw syntax(s, i);
        }
    }

    private static OffsetDateTime timestamp(String text) throws SQLException {
        if (text.equalsIgnoreCase("infinity")) {
            return null;
        }
        try {
            String t = text.trim().replace(' ', 'T');
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                t += "T00:00:00";
            }
            if (t.matches(".*[+-]\\d{2}$")) {
                t += ":00";
            }
            return t.matches(".*(Z|[+-]\\d{2}:\\d{2})$") ? OffsetDateTime.parse(t)
                    : java.time.LocalDateTime.parse(t).atOffset(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw new SQLException("invalid input syntax for type timestamp with time zone: \"" + text + "\"",
                    SqlStates.INVALID_TEXT_REPRESENTATION);
        }
    }

    /**
     * The role named by token {@code i}, folded as PostgreSQL folds names: an unquoted one to
     * lower case, a quoted one as written; CURRENT_USER and SESSION_USER name the session's role.
     */
    static String roleName(SqlStatement s, int i) throws SQLException {
        if (i >= s.tokens.size() || !s.tokens.get(i).isIdentifier()) {
            throw syntax(s, i);
        }
        Token t = s.tokens.get(i);
        if (t.kind() == Kind.QUOTED) {
            return t.value();
        }
        return s.sql.substring(t.start(), t.end()).toLowerCase(Locale.ROOT);
    }

    static SQLException syntax(SqlStatement s, int i) {
        String near = i < s.tokens.size() ? s.sql.substring(s.tokens.get(i).start(), s.tokens.get(i).end()) : null;
        return new SQLException(near == null ? "syntax error at end of input" : "syntax error at or near \"" + near + "\"",
                SqlStates.SYNTAX_ERROR);
    }

    static SQLException denied(String message) {
        return new SQLException(message, SqlStates.INSUFFICIENT_PRIVILEGE);
    }

    private RoleStore.Role existing(String name) throws SQLException {
        String resolved = name.equals("current_user") || name.equals("session_user") || name.equals("current_role") ? session.user : name;
        RoleStore.Role r = store().find(resolved);
        if (r == null) {
            throw new SQLException("role \"" + resolved + "\" does not exist", SqlStates.UNDEFINED_OBJECT);
        }
        return r;
    }
}
