package io.wasmudf.h2;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.engine.Constants;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.engine.User;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;
import org.h2.schema.Schema;

/**
 * The one place that reaches into H2's internals (engine classes, one private field): sessions,
 * databases, users and rights, the statement a session runs, and a database-owned session for
 * privileged catalog work. Built against {@link #BUILT_FOR}; {@code H2AccessTest} pins the
 * version, so an H2 upgrade starts by checking every method here.
 */
final class H2Access {
    /** The H2 version this adapter was written and tested against. */
    static final String BUILT_FOR = "2.4.240";

    /** H2 sets this at every statement start and end; a new object means a new statement (identity is enough). */
    private static final VarHandle COMMAND_START = commandStart();
    /** Ids of our system sessions: far above the ids H2 hands to user sessions, so the two never meet. */
    private static final AtomicInteger SYSTEM_SESSION_IDS = new AtomicInteger(1 << 30);

    private H2Access() {}

    /** The H2 version on the class path. */
    static String h2Version() {
        return Constants.VERSION;
    }

    /** The session behind a connection (what function bindings are keyed by), or the connection itself when it is not H2's. */
    static Object session(Connection c) {
        return c instanceof JdbcConnection j ? j.getSession() : c;
    }

    /** The database a session belongs to, or null if {@code session} is not an embedded H2 session. */
    static Object database(Object session) {
        return session instanceof SessionLocal s ? s.getDatabase() : null;
    }

    /** Whether the database is shutting down or closed: its catalog service must go. */
    static boolean isClosing(Object database) {
        return ((Database) database).isClosing();
    }

    /** A name for messages and logs, e.g. {@code MEM:T1} or {@code /data/app}. */
    static String databaseName(Object database) {
        return ((Database) database).getShortName();
    }

    /** Whether H2 lets aliases shadow its built-in functions ({@code BUILTIN_ALIAS_OVERRIDE=TRUE}). */
    static boolean allowsBuiltinAliasOverride(Connection c) {
        return session(c) instanceof SessionLocal s && s.getDatabase().isAllowBuiltinAliasOverride();
    }

    /**
     * An object that changes identity whenever {@code session} starts or ends a statement: read by
     * every guest call, hence the direct field read (the public getter allocates a value per call).
     */
    static Object statementOf(Object session) {
        SessionLocal s = (SessionLocal) session;
        if (COMMAND_START != null) {
            return (Instant) COMMAND_START.get(s); // the cast makes the access exact-typed, hence cheap
        }
        return s.getCommandStartOrEnd();
    }

    /** Whether {@code session} is running a statement now. */
    static boolean isRunningStatement(Object session) {
        return session instanceof SessionLocal s && s.getCurrentCommand() != null;
    }

    /**
     * The deadline H2 computed for the statement {@code session} runs ({@code System.nanoTime()}
     * based, from {@code setQueryTimeout}, {@code SET QUERY_TIMEOUT} or {@code statement_timeout}),
     * 0 for none. H2 leaves the last statement's value in place, so without a running command
     * (a call while a statement is prepared, e.g. folding an IMMUTABLE function) it is stale: 0.
     */
    static long statementDeadline(Object session) {
        SessionLocal s = (SessionLocal) session;
        return s.getCurrentCommand() == null ? 0 : s.getCancel();
    }

    /**
     * Whether the user of {@code session} is a superuser in PostgreSQL's sense: an H2
     * administrator, or a holder of {@code ALTER ANY SCHEMA}, which already gives every right on
     * every table and schema (the wire server's superuser roles, which are not administrators).
     */
    static boolean isSuperuser(Object session) {
        if (!(session instanceof SessionLocal s)) {
            return false;
        }
        User user = s.getUser();
        if (user.isAdmin()) {
            return true;
        }
        try {
            user.checkSchemaAdmin();
            return true;
        } catch (DbException e) {
            return false;
        }
    }

    /**
     * Makes every session re-prepare its statements: H2 keeps the value of a deterministic
     * function over constants in a prepared (or query-cached) statement, which would outlive a
     * REVOKE EXECUTE; re-preparing calls the function again, and the call checks the privilege.
     */
    static void invalidatePreparedStatements(Object database) {
        ((Database) database).getNextModificationMetaId();
    }

    /** The H2 user name of {@code session} (upper case unless created quoted), or null when not an embedded H2 session. */
    static String userName(Object session) {
        return session instanceof SessionLocal s ? s.getUser().getName() : null;
    }

    /**
     * Whether the user of {@code c} may create objects in schema {@code schema} (as H2 stores its
     * name): an administrator, the schema's owner, or a holder of {@code ALTER ANY SCHEMA}. False
     * when the schema does not exist.
     */
    static boolean mayCreateIn(Connection c, String schema) {
        if (!(session(c) instanceof SessionLocal s)) {
            return true; // not an embedded H2 session: H2 itself decides when the alias is created
        }
        Schema sc = s.getDatabase().findSchema(schema);
        if (sc == null) {
            return false;
        }
        User user = s.getUser();
        try {
            user.checkSchemaOwner(sc);
            return true;
        } catch (DbException e) {
            return false;
        }
    }

    /**
     * The H2 error code of preparing {@code sql} on the session of {@code c} (0: it prepares), or
     * -1 when {@code c} is not an embedded H2 connection. Nothing runs. It prepares on the session
     * itself because H2's JDBC layer writes every failure it reports into the database's
     * {@code .trace.db} as a stack trace, and a probe that is expected to fail is no error.
     */
    static int prepareErrorCode(Connection c, String sql) {
        if (!(session(c) instanceof SessionLocal s)) {
            return -1;
        }
        try {
            s.prepareLocal(sql).close();
            return 0;
        } catch (DbException e) {
            return e.getErrorCode();
        }
    }

    /**
     * Whether table {@code table} of schema {@code schema} exists in the database of {@code c}, the
     * names written unquoted (so found in upper or lower case, however the database folds them).
     */
    static boolean tableExists(Connection c, String schema, String table) {
        if (!(session(c) instanceof SessionLocal s)) {
            return true;
        }
        for (java.util.Locale fold : new java.util.Locale[] {null, java.util.Locale.ROOT}) {
            String sn = fold == null ? schema.toUpperCase(java.util.Locale.ROOT) : schema.toLowerCase(fold);
            String tn = fold == null ? table.toUpperCase(java.util.Locale.ROOT) : table.toLowerCase(fold);
            Schema sc = s.getDatabase().findSchema(sn);
            if (sc != null && sc.findTableOrView(s, tn) != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether schema {@code schema} (as H2 stores its name) exists in the database of {@code c}. */
    static boolean schemaExists(Connection c, String schema) {
        return !(session(c) instanceof SessionLocal s) || s.getDatabase().findSchema(schema) != null;
    }

    /**
     * A connection on a new session of {@code database}'s built-in administrator, owned by the
     * database's catalog service: creating and dropping the aliases behind wasm functions needs
     * admin rights the user asking for them may not have. The session is not one of H2's user
     * sessions, so it neither keeps the database open nor shows in its session list.
     */
    static Connection systemConnection(Object database) throws SQLException {
        Database db = (Database) database;
        SessionLocal session = new SessionLocal(db, db.getSystemUser(), SYSTEM_SESSION_IDS.incrementAndGet());
        return new JdbcConnection(session, db.getSystemUser().getName(), "jdbc:default:connection");
    }

    private static VarHandle commandStart() {
        try {
            return MethodHandles.privateLookupIn(SessionLocal.class, MethodHandles.lookup())
                    .findVarHandle(SessionLocal.class, "commandStartOrEnd", Instant.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another H2 version: the public getter works too, it just allocates per call
        }
    }
}
