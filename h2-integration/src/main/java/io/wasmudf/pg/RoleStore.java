package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's roles, PostgreSQL's model on H2: each role is a row of {@code wasm.roles} (its
 * attributes and its SCRAM-SHA-256 verifier, never a password) and an H2 user of the same name
 * (upper-case, as H2 folds user names at login) with a random secret of its own, which only the
 * server knows; a session connects to the database as its role's H2 user, so H2 enforces the
 * role's table and schema rights. A superuser role is not an H2 administrator: its H2 user holds
 * {@code ALTER ANY SCHEMA} (every right on every table, creating in every schema), while what
 * needs H2's administrator (users, rights, the aliases behind wasm functions) is done by the
 * server and the catalog service on their own connections, so H2 itself refuses Java aliases,
 * file functions and the like to every wire session even if the classifier let one through. Only
 * with {@code --allow-host-access} are superuser roles H2 administrators. All changes go through
 * the server's own administrator connection, one at a time.
 */
final class RoleStore {
    /** One role. {@code verifier} is null for a role without a password. */
    record Role(String name, boolean superuser, boolean login, boolean createRole, String verifier, String h2Secret,
            int connectionLimit, OffsetDateTime validUntil) {
        /** The H2 user behind the role: H2 upper-cases user names when a connection logs in. */
        String h2User() {
            return h2Name(name);
        }

        ScramCredentials credentials() {
            return ScramCredentials.parseVerifier(verifier);
        }

        Role with(boolean superuser, boolean login, boolean createRole, String verifier, int connectionLimit, OffsetDateTime validUntil) {
            return new Role(name, superuser, login, createRole, verifier, h2Secret, connectionLimit, validUntil);
        }
    }

    static final String TABLE = "wasm.roles";
    private static final String[] DDL = {
        "CREATE SCHEMA IF NOT EXISTS wasm",
        "CREATE TABLE IF NOT EXISTS wasm.roles ("
            + " name VARCHAR(63) NOT NULL PRIMARY KEY,"
            + " superuser BOOLEAN NOT NULL,"
            + " can_login BOOLEAN NOT NULL,"
            + " create_role BOOLEAN NOT NULL,"
            + " verifier VARCHAR(400),"
            + " h2_secret VARCHAR(64) NOT NULL,"
            + " connection_limit INTEGER DEFAULT -1 NOT NULL,"
            + " valid_until TIMESTAMP WITH TIME ZONE,"
            + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)",
    };

    private final PgServer.ConnectionFactory admin;
    private final SecureRandom random;
    /** Superuser roles are H2 administrators (--allow-host-access); otherwise they hold ALTER ANY SCHEMA. */
    private final boolean adminSuperusers;
    private Connection system;
    private volatile Map<String, Role> roles = Map.of();
    private String bootstrap;

    RoleStore(PgServer.ConnectionFactory admin, SecureRandom random, boolean adminSuperusers) {
        this.admin = admin;
        this.random = random;
        this.adminSuperusers = adminSuperusers;
    }

    static String h2Name(String role) {
        return role.toUpperCase(Locale.ENGLISH);
    }

    /**
     * Creates the table if needed and makes sure the bootstrap role exists as a superuser that
     * can log in; a given password replaces its verifier. Grants every role read access to the
     * wasm catalog (PostgreSQL lets everybody read pg_proc, sources included).
     */
    synchronized void bootstrap(String name, String password) throws SQLException {
        Connection c = system();
        try (Statement st = c.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
            for (String table : new String[] {"wasm.functions", "wasm.modules"}) {
                if (tableExists(c, table)) {
                    st.execute("GRANT SELECT ON " + table + " TO PUBLIC");
                }
            }
        }
        reload();
        Role existing = roles.get(name);
        String verifier = password == null ? null : ScramCredentials.fromPassword(password, random).toVerifier();
        if (existing == null) {
            checkNameFree(name);
            insert(new Role(name, true, true, true, verifier, secret(), -1, null));
        } else {
            update(existing.with(true, true, true, verifier != null ? verifier : existing.verifier(), existing.connectionLimit(), null));
        }
        bootstrap = name;
        // every role's H2 rights as this server runs: superusers of earlier releases were H2 administrators, and
        // --allow-host-access may differ from the last start
        try (Statement st = c.createStatement()) {
            for (Role r : roles.values()) {
                grantH2Rights(st, r);
            }
        }
    }

    /** Whether the table exists in the database's own case (WASM.FUNCTIONS by default, wasm.functions with DATABASE_TO_LOWER). */
    private static boolean tableExists(Connection c, String qualified) throws SQLException {
        String[] parts = qualified.split("\\.");
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_SCHEMA) = ?"
                + " AND UPPER(TABLE_NAME) = ?")) {
            ps.setString(1, parts[0].toUpperCase(Locale.ROOT));
            ps.setString(2, parts[1].toUpperCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The role the server was started with ({@code --user}): a superuser that cannot be dropped or demoted. */
    String bootstrapRole() {
        return bootstrap;
    }

    Role find(String name) {
        return roles.get(name);
    }

    /** Every role, by name. */
    List<Role> all() {
        return new ArrayList<>(roles.values());
    }

    synchronized void create(Role role) throws SQLException {
        if (roles.containsKey(role.name())) {
            throw new SQLException("role \"" + role.name() + "\" already exists", "42710");
        }
        checkNameFree(role.name());
        insert(new Role(role.name(), role.superuser(), role.login(), role.createRole(), role.verifier(), secret(),
                role.connectionLimit(), role.validUntil()));
    }

    synchronized void alter(Role role) throws SQLException {
        update(role);
    }

    synchronized void rename(Role role, String newName) throws SQLException {
        if (roles.containsKey(newName)) {
            throw new SQLException("role \"" + newName + "\" already exists", "42710");
        }
        if (!h2Name(newName).equals(role.h2User())) {
            checkNameFree(newName);
        }
        Connection c = system();
        try (Statement st = c.createStatement()) {
            if (!h2Name(newName).equals(role.h2User())) {
                st.execute("ALTER USER " + quote(role.h2User()) + " RENAME TO " + quote(h2Name(newName)));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET name = ? WHERE name = ?")) {
            ps.setString(1, newName);
            ps.setString(2, role.name());
            ps.executeUpdate();
        }
        reload();
    }

    synchronized void drop(Role role) throws SQLException {
        Connection c = system();
        List<String> dependents = wasmDependents(c, role);
        if (!dependents.isEmpty()) {
            throw new SQLException("role \"" + role.name() + "\" cannot be dropped because some objects depend on it ("
                    + String.join(", ", dependents) + ")", "2BP01");
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP USER IF EXISTS " + quote(role.h2User()));
        } catch (SQLException e) {
            throw new SQLException("role \"" + role.name() + "\" cannot be dropped because some objects depend on it ("
                    + PgErrors.of(e).message() + ")", "2BP01", e);
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE name = ?")) {
            ps.setString(1, role.name());
            ps.executeUpdate();
        }
        reload();
    }

    /**
     * What in the wasm catalog names {@code role}, in PostgreSQL's words: functions and modules it
     * owns, functions it was granted EXECUTE on. A dropped role's H2 name would otherwise pass its
     * objects to the next role created with that name.
     */
    private static List<String> wasmDependents(Connection c, Role role) {
        List<String> out = new ArrayList<>();
        String user = role.h2User();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT schema_name, name, arg_types, owner, acl FROM wasm.functions ORDER BY 1, 2")) {
            while (rs.next()) {
                String fn = rs.getString(1).toLowerCase(Locale.ROOT) + "." + rs.getString(2).toLowerCase(Locale.ROOT) + "(" + rs.getString(3) + ")";
                if (user.equals(rs.getString(4))) {
                    out.add("owner of function " + fn);
                }
                String acl = rs.getString(5);
                if (acl != null && List.of(acl.split(",")).contains(user) && !user.equals(rs.getString(4))) {
                    out.add("privileges for function " + fn);
                }
            }
        } catch (SQLException e) {
            // no wasm catalog in this database
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM wasm.modules WHERE owner = ? ORDER BY 1")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add("owner of module " + rs.getString(1));
                }
            }
        } catch (SQLException e) {
            // a catalog without module owners
        }
        return out;
    }

    /** Runs {@code sql} on the administrator connection (GRANT/REVOKE the grantor may issue, checked by the caller). */
    synchronized void runAsAdministrator(String sql) throws SQLException {
        try (Statement st = system().createStatement()) {
            st.execute(sql);
        }
    }

    /** Reads the rights H2 records: grantee (upper-case H2 name or PUBLIC), schema, table, rights ("SELECT, INSERT"). */
    synchronized List<String[]> rights() throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Statement st = system().createStatement();
                ResultSet rs = st.executeQuery("SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE FROM INFORMATION_SCHEMA.TABLE_PRIVILEGES")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        return out;
    }

    /** Whether {@code role} holds {@code privilege} on an H2 table: as the owner of its schema, or granted to it or to PUBLIC. */
    synchronized boolean hasTablePrivilege(Role role, String schema, String table, String privilege) throws SQLException {
        if (role.superuser() || ownsSchema(role, schema)) {
            return true;
        }
        try (PreparedStatement ps = system().prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.TABLE_PRIVILEGES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND GRANTEE IN (?, 'PUBLIC') AND PRIVILEGE_TYPE = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, role.h2User());
            ps.setString(4, privilege);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    synchronized boolean ownsSchema(Role role, String schema) throws SQLException {
        try (PreparedStatement ps = system().prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ? AND SCHEMA_OWNER = ?")) {
            ps.setString(1, schema);
            ps.setString(2, role.h2User());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The role owning an H2 schema (H2's owner of its tables). */
    synchronized String schemaOwner(String schema) throws SQLException {
        try (PreparedStatement ps = system().prepareStatement("SELECT SCHEMA_OWNER FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                // a schema of the embedding application's own H2 user (PUBLIC belongs to the database's creator) is the
                // bootstrap superuser's, as public belongs to the database owner in PostgreSQL
                String role = roleOfH2User(rs.getString(1));
                return roles.containsKey(role) ? role : bootstrap;
            }
        }
    }

    /**
     * A relation's privileges as PostgreSQL's aclitems ("alice=r/owner", "=ar/owner" for PUBLIC),
     * one a line, the owner's first; null when nothing was granted (PostgreSQL's default ACL).
     */
    synchronized String accessPrivileges(String schema, String table) throws SQLException {
        Map<String, StringBuilder> byGrantee = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = system().prepareStatement("SELECT GRANTEE, PRIVILEGE_TYPE FROM INFORMATION_SCHEMA.TABLE_PRIVILEGES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY GRANTEE")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String grantee = rs.getString(1).equals("PUBLIC") ? "" : roleOfH2User(rs.getString(1));
                    byGrantee.computeIfAbsent(grantee, k -> new StringBuilder()).append(ACL_LETTERS.getOrDefault(rs.getString(2), ""));
                }
            }
        }
        if (byGrantee.isEmpty()) {
            return null;
        }
        String owner = schemaOwner(schema);
        StringBuilder acl = new StringBuilder(owner + "=arwdDxt/" + owner);
        // named roles by name, PUBLIC (the empty grantee) last: H2 does not keep the order of the grants
        List<String> grantees = new ArrayList<>(byGrantee.keySet());
        grantees.sort((a, b) -> a.isEmpty() ? 1 : b.isEmpty() ? -1 : a.compareTo(b));
        for (String g : grantees) {
            if (!g.equals(owner)) {
                acl.append('\n').append(g).append('=').append(ordered(byGrantee.get(g).toString())).append('/').append(owner);
            }
        }
        return acl.toString();
    }

    private static final Map<String, String> ACL_LETTERS = Map.of("INSERT", "a", "SELECT", "r", "UPDATE", "w", "DELETE", "d");

    /** Privilege letters in PostgreSQL's order (arwdDxt). */
    private static String ordered(String letters) {
        StringBuilder sb = new StringBuilder();
        for (char c : "arwdDxt".toCharArray()) {
            if (letters.indexOf(c) >= 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The role behind an H2 user name (as INFORMATION_SCHEMA shows it), or the H2 name itself. */
    String roleOfH2User(String h2User) {
        for (Role r : roles.values()) {
            if (r.h2User().equals(h2User)) {
                return r.name();
            }
        }
        return h2User == null ? null : h2User.toLowerCase(Locale.ROOT);
    }

    private void insert(Role r) throws SQLException {
        Connection c = system();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE USER " + quote(r.h2User()) + " PASSWORD " + literal(r.h2Secret()));
            grantH2Rights(st, r);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (name, superuser, can_login, create_role, verifier, h2_secret, connection_limit, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, r);
            ps.executeUpdate();
        } catch (SQLException e) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP USER IF EXISTS " + quote(r.h2User()));
            } catch (SQLException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        reload();
    }

    private void update(Role r) throws SQLException {
        Connection c = system();
        try (Statement st = c.createStatement()) {
            // the H2 user's password is the server's secret; make sure it matches (an embedding application may have changed it)
            st.execute("ALTER USER " + quote(r.h2User()) + " SET PASSWORD " + literal(r.h2Secret()));
            grantH2Rights(st, r);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET superuser = ?, can_login = ?, create_role = ?,"
                + " verifier = ?, h2_secret = ?, connection_limit = ?, valid_until = ? WHERE name = ?")) {
            ps.setBoolean(1, r.superuser());
            ps.setBoolean(2, r.login());
            ps.setBoolean(3, r.createRole());
            ps.setString(4, r.verifier());
            ps.setString(5, r.h2Secret());
            ps.setInt(6, r.connectionLimit());
            ps.setObject(7, r.validUntil());
            ps.setString(8, r.name());
            ps.executeUpdate();
        }
        reload();
    }

    /**
     * The H2 rights behind the role's attributes: a superuser's user holds ALTER ANY SCHEMA (and is
     * an administrator only with --allow-host-access), an ordinary role's neither. Also demotes the
     * administrators of databases served by earlier versions.
     */
    private void grantH2Rights(Statement st, Role r) throws SQLException {
        String user = quote(r.h2User());
        st.execute("ALTER USER " + user + " ADMIN " + (r.superuser() && adminSuperusers ? "TRUE" : "FALSE"));
        st.execute((r.superuser() ? "GRANT ALTER ANY SCHEMA TO " : "REVOKE ALTER ANY SCHEMA FROM ") + user);
    }

    private static void bind(PreparedStatement ps, Role r) throws SQLException {
        ps.setString(1, r.name());
        ps.setBoolean(2, r.superuser());
        ps.setBoolean(3, r.login());
        ps.setBoolean(4, r.createRole());
        ps.setString(5, r.verifier());
        ps.setString(6, r.h2Secret());
        ps.setInt(7, r.connectionLimit());
        ps.setObject(8, r.validUntil());
    }

    /** A new role's H2 user must not exist yet: H2 users of the embedding application (SA…) are not roles. */
    private void checkNameFree(String name) throws SQLException {
        try (PreparedStatement ps = system().prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?")) {
            ps.setString(1, h2Name(name));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new SQLException("role \"" + name + "\" already exists (as H2 user " + h2Name(name)
                            + ", which H2's case-insensitive user names make the same)", "42710");
                }
            }
        }
    }

    private void reload() throws SQLException {
        Map<String, Role> m = new TreeMap<>();
        try (Statement st = system().createStatement(); ResultSet rs = st.executeQuery("SELECT name, superuser, can_login, create_role,"
                + " verifier, h2_secret, connection_limit, valid_until FROM " + TABLE)) {
            while (rs.next()) {
                m.put(rs.getString(1), new Role(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4), rs.getString(5),
                        rs.getString(6), rs.getInt(7), rs.getObject(8, OffsetDateTime.class)));
            }
        }
        roles = m;
    }

    private Connection system() throws SQLException {
        if (system == null || system.isClosed()) {
            system = admin.open();
            system.setAutoCommit(true);
        }
        return system;
    }

    private String secret() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    synchronized void close() {
        try {
            if (system != null) {
                system.close();
            }
        } catch (SQLException ignored) {
            // shutting down
        }
    }
}
