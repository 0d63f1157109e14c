package io.wasmudf.pg;

import static io.wasmudf.pg.PgConnection.CANCEL_REQUEST;
import static io.wasmudf.pg.PgConnection.GSSENC_REQUEST;
import static io.wasmudf.pg.PgConnection.SSL_REQUEST;

import io.wasmudf.sql.SqlStates;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link PgConnection}'s startup phase: SSL/GSS encryption requests (TLS when configured), cancel
 * requests, the protocol version and options, then authentication and the session it opens.
 */
final class PgStartup {
    /** The connection's own logger, so log settings for connections cover startup too. */
    private static final Logger LOG = Logger.getLogger(PgConnection.class.getName());

    private final PgConnection c;

    PgStartup(PgConnection c) {
        this.c = c;
    }

    /** Switches the connection to TLS after answering 'S' to an SSLRequest. */
    private void startTls() throws IOException {
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) c.server.tls().getSocketFactory().createSocket(c.socket,
                c.socket.getInetAddress().getHostAddress(), c.socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.startHandshake();
        c.tlsSocket = ssl;
        c.encrypted = true;
        c.in = new MessageReader(new BufferedInputStream(ssl.getInputStream(), 16 * 1024), c.server.settings().maxMessageLength());
        c.out = new MessageWriter(new BufferedOutputStream(ssl.getOutputStream(), 16 * 1024));
    }

    /**
     * Runs the startup phase; true when a session is open and the client told it is ready, false
     * when the connection is to end (a cancel request, or a refusal the client was sent).
     */
    boolean startup() throws IOException {
        while (true) {
            MessageBody m = c.in.readStartup();
            if (m == null) {
                return false;
            }
            int code = m.int32();
            if (code == SSL_REQUEST && c.server.tls() != null && !c.encrypted) {
                m.end();
                c.out.rawByte('S');
                startTls();
                continue;
            }
            if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                m.end();
                c.out.rawByte('N'); // no TLS/GSS encryption configured (or already on): the client may continue as is
                continue;
            }
            if (code == CANCEL_REQUEST) {
                int pid = m.int32();
                int key = m.int32();
                c.server.cancel(pid, key);
                return false; // PostgreSQL answers nothing to a cancel request
            }
            if (code >> 16 != 3) {
                c.sendFatal(PgError.fatal(SqlStates.FEATURE_NOT_SUPPORTED,
                        "unsupported frontend protocol " + (code >> 16) + "." + (code & 0xFFFF) + ": server supports 3.0 to 3.0"));
                return false;
            }
            Map<String, String> params = new LinkedHashMap<>();
            List<String> unknownOptions = new ArrayList<>();
            while (true) {
                String name = m.cstring();
                if (name.isEmpty()) {
                    break;
                }
                String value = m.cstring();
                if (name.startsWith("_pq_.")) {
                    unknownOptions.add(name);
                } else {
                    params.put(name, value);
                }
            }
            if ((code & 0xFFFF) != 0 || !unknownOptions.isEmpty()) {
                c.out.begin('v').int32(0).int32(unknownOptions.size());
                for (String o : unknownOptions) {
                    c.out.cstring(o);
                }
                c.out.end();
            }
            return authenticateAndOpen(params);
        }
    }

    private boolean authenticateAndOpen(Map<String, String> params) throws IOException {
        ServerSettings cfg = c.server.settings();
        String user = params.get("user");
        if (user == null || user.isEmpty()) {
            c.sendFatal(PgError.fatal(SqlStates.INVALID_AUTHORIZATION, "no PostgreSQL user name specified in startup packet"));
            return false;
        }
        String database = params.getOrDefault("database", user);
        if (database.isEmpty()) {
            database = user;
        }
        RoleStore roles = c.server.roles();
        RoleStore.Role role = roles == null ? null : roles.find(user);
        boolean known = roles == null ? user.equals(cfg.user()) : role != null;
        if (cfg.password() != null) {
            // unknown roles and roles without a password go through the same exchange, so a client learns nothing from it
            ScramCredentials verifier = roles == null ? c.server.scram() : role == null ? null : role.credentials();
            boolean proven = new ScramExchange(verifier != null ? verifier : decoy()).run(c.in, c.out) && verifier != null && known;
            if (!proven) {
                failLogin(user, PgError.fatal(SqlStates.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\""));
                return false;
            }
        } else if (!known) {
            failLogin(user, PgError.fatal(SqlStates.INVALID_AUTHORIZATION, "role \"" + user + "\" does not exist"));
            return false;
        }
        if (role != null && !role.login()) {
            failLogin(user, PgError.fatal(SqlStates.INVALID_AUTHORIZATION, "role \"" + user + "\" is not permitted to log in"));
            return false;
        }
        if (role != null && role.validUntil() != null && role.validUntil().isBefore(java.time.OffsetDateTime.now())) {
            failLogin(user, PgError.fatal(SqlStates.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\""));
            return false;
        }
        if (!database.equals(cfg.databaseName())) {
            c.sendFatal(PgError.fatal(SqlStates.INVALID_CATALOG_NAME, "database \"" + database + "\" does not exist"));
            return false;
        }
        boolean superuser = role == null || role.superuser();
        String refused = c.server.claimSession(user, superuser, role == null ? -1 : role.connectionLimit());
        if (refused != null) {
            c.sendFatal(PgError.fatal(SqlStates.TOO_MANY_CONNECTIONS, refused));
            return false;
        }
        c.claimedRole = user;
        Connection conn;
        try {
            conn = c.server.openConnection(role);
        } catch (SQLException e) {
            PgError err = PgErrors.of(e);
            c.sendFatal(PgError.fatal(err.sqlState(), "could not open the database: " + err.message()));
            LOG.log(Level.WARNING, "could not open a database connection", e);
            return false;
        }
        Session s = new Session(conn, cfg, user, superuser, c.processId, params, c.server);
        String clientEncoding = s.settings.get("client_encoding");
        if (!clientEncoding.replace("-", "").equalsIgnoreCase("UTF8") && !clientEncoding.equalsIgnoreCase("unicode")) {
            s.close();
            c.sendFatal(PgError.fatal(SqlStates.FEATURE_NOT_SUPPORTED, "client encoding \"" + clientEncoding + "\" is not supported; only UTF8 is"));
            return false;
        }
        s.settings.put("client_encoding", "UTF8");
        c.session = s;
        try {
            s.applyOptions(params.get("options"));
        } catch (SQLException e) {
            c.sendFatal(PgError.fatal(PgErrors.of(e).sqlState(), "invalid options in startup packet: " + e.getMessage()));
            return false;
        }
        if (c.server.isStopping()) {
            c.sendFatal(PgError.fatal(SqlStates.ADMIN_SHUTDOWN, "the database system is shutting down"));
            return false;
        }
        c.out.authentication(0, null);
        for (String name : Session.REPORTED) {
            c.out.parameterStatus(name, s.settings.getOrDefault(name, ""));
        }
        c.out.begin('K').int32(c.processId).int32(c.secretKey).end();
        c.out.readyForQuery(s.status().code);
        return true;
    }

    /** A verifier nobody knows the password of, for roles that cannot authenticate by password. */
    private static ScramCredentials decoy() {
        return DECOY;
    }

    private static final ScramCredentials DECOY = ScramCredentials.fromPassword(java.util.UUID.randomUUID().toString(),
            new java.security.SecureRandom());

    /**
     * A failed login waits before it is answered (as PostgreSQL's auth_delay), which bounds how
     * fast one connection can guess passwords; the wait counts against authentication_timeout.
     */
    private void failLogin(String user, PgError error) {
        LOG.info("authentication failed for user \"" + user + "\" from " + c.socket.getRemoteSocketAddress());
        long delay = c.server.authFailureDelayMillis();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.sendFatal(error);
    }
}
