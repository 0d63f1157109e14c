package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A PostgreSQL (protocol 3.0) server in front of JDBC connections: each client session gets its
 * own connection from the factory. Build with {@link #builder()}, then {@link #start()}.
 */
public final class PgServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PgServer.class.getName());

    /** Opens a JDBC connection as the database's administrator (sessions without roles, the server's own work). */
    @FunctionalInterface
    public interface ConnectionFactory {
        /** A new connection, owned (and closed) by the server. */
        Connection open() throws SQLException;
    }

    /** Opens a JDBC connection as one H2 user: with it, every session runs as its role's own H2 user. */
    @FunctionalInterface
    public interface UserConnectionFactory {
        /** A new connection logged in as {@code user}, owned (and closed) by the server. */
        Connection open(String user, String password) throws SQLException;
    }

    private final ConnectionFactory factory;
    private final UserConnectionFactory userFactory;
    private final ServerSettings settings;
    private final String listen;
    private final int requestedPort;
    private final int maxConnections;
    private final int reservedConnections;
    private final int maxStartups;
    private final long authTimeoutMillis;
    private final long authFailureDelayMillis;
    private final ScramCredentials scram;
    /** Roles, when sessions connect as their role's H2 user; null: only the configured user, on administrator connections. */
    private final RoleStore roles;
    private final AtomicInteger startups = new AtomicInteger();
    private final Map<String, AtomicInteger> sessionsByRole = new ConcurrentHashMap<>();
    private java.util.concurrent.ScheduledExecutorService timer;
    private final javax.net.ssl.SSLContext tls;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, PgConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger nextPid = new AtomicInteger(1000 + new SecureRandom().nextInt(30000));
    private final AtomicInteger threadCounter = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile boolean stopping;
    private ServerSocket serverSocket;
    private Thread acceptThread;
    private ThreadPoolExecutor pool;

    private PgServer(Builder b) {
        this.factory = Objects.requireNonNull(b.factory, "connectionFactory");
        this.userFactory = b.userFactory;
        this.settings = new ServerSettings(b.databaseName, b.user, b.password, b.serverVersion, b.maxMessageLength, b.allowHostAccess);
        this.listen = b.listen;
        this.requestedPort = b.port;
        this.maxConnections = b.maxConnections;
        if (b.reservedConnections >= b.maxConnections) {
            throw new IllegalArgumentException("superuser_reserved_connections (" + b.reservedConnections + ") must be less than"
                    + " max_connections (" + b.maxConnections + ")");
        }
        this.reservedConnections = b.reservedConnections;
        this.maxStartups = b.maxStartups;
        this.authTimeoutMillis = b.authTimeout.toMillis();
        this.authFailureDelayMillis = b.authFailureDelay.toMillis();
        this.scram = b.password == null ? null : ScramCredentials.fromPassword(b.password, random);
        this.tls = b.tls;
        this.roles = b.userFactory == null ? null : new RoleStore(b.factory, random, b.allowHostAccess);
    }

    /** A builder with the defaults of {@code wasmudf serve}: database and user "wasmudf", 127.0.0.1:5433, no password. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds the socket and starts accepting clients. */
    public synchronized PgServer start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("server already started");
        }
        InetAddress address = InetAddress.getByName(listen);
        if (!address.isLoopbackAddress() && settings.password() == null) {
            throw new IllegalStateException("listening on " + listen + " (beyond loopback) requires a password");
        }
        if (roles != null) {
            try {
                roles.bootstrap(settings.user(), settings.password());
            } catch (SQLException e) {
                throw new IOException("cannot set up the roles of the database: " + e.getMessage(), e);
            }
        }
        if (settings.allowHostAccess()) {
            LOG.warning("HOST ACCESS ALLOWED: superusers of this server may read and write the server's files, open network"
                    + " connections and run Java code (FILE_READ, CSVWRITE, SCRIPT TO, linked tables, Java aliases); use only"
                    + " for a trusted deployment");
        }
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(address, requestedPort), 128);
        serverSocket = ss;
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pg-auth-timeout-" + ss.getLocalPort());
            t.setDaemon(true);
            return t;
        });
        // sessions, plus connections still authenticating (cancel requests arrive as connections too)
        pool = new ThreadPoolExecutor(0, maxConnections + maxStartups, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "pg-conn-" + threadCounter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptThread = new Thread(this::acceptLoop, "pg-accept-" + ss.getLocalPort());
        acceptThread.setDaemon(true);
        acceptThread.start();
        LOG.info("PostgreSQL protocol server listening on " + listen + ":" + ss.getLocalPort() + ", database \""
                + settings.databaseName() + "\"" + (scram == null ? " (trust authentication)" : " (SCRAM-SHA-256)")
                + (tls == null ? "" : ", TLS available"));
        return this;
    }

    /** The bound TCP port (useful with port 0). */
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) {
            throw new IllegalStateException("server not started");
        }
        return ss.getLocalPort();
    }

    /** Number of client connections currently open (sessions and those still starting up). */
    public int activeConnections() {
        return connections.size();
    }

    /** Stops accepting, ends every session (rolling back open transactions) and waits for them. */
    public void stop() {
        ServerSocket ss;
        synchronized (this) {
            if (stopping || serverSocket == null) {
                stopping = true;
                return;
            }
            stopping = true;
            ss = serverSocket;
        }
        try {
            ss.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (PgConnection c : connections.values()) {
            c.terminate();
        }
        pool.shutdown();
        timer.shutdownNow();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("some sessions did not end within 10 s of shutdown");
                pool.shutdownNow();
            }
            acceptThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (roles != null) {
            roles.close();
        }
        LOG.info("PostgreSQL protocol server stopped");
    }

    @Override
    public void close() {
        stop();
    }

    boolean isStopping() {
        return stopping;
    }

    ServerSettings settings() {
        return settings;
    }

    ScramCredentials scram() {
        return scram;
    }

    /** The TLS context answering SSLRequest with 'S', or null (answer 'N'). */
    javax.net.ssl.SSLContext tls() {
        return tls;
    }

    /** The database connection of a session of {@code role} (null: no roles, the administrator's). */
    Connection openConnection(RoleStore.Role role) throws SQLException {
        Connection c = role == null ? factory.open() : userFactory.open(role.h2User(), role.h2Secret());
        if (c == null) {
            throw new SQLException("the connection factory returned no connection", "08006");
        }
        return c;
    }

    /** The roles of this server, or null when every session is the configured user's. */
    RoleStore roles() {
        return roles;
    }

    long authFailureDelayMillis() {
        return authFailureDelayMillis;
    }

    void unregister(PgConnection c) {
        connections.remove(c.processId, c);
    }

    /**
     * Claims a session slot after authentication (so CancelRequests, which also arrive as
     * connections, are never refused). The last {@code superuser_reserved_connections} slots are
     * for superusers, and a role may have a connection limit, as in PostgreSQL. Null when a slot
     * was claimed, else the FATAL 53300 message.
     */
    String claimSession(String role, boolean superuser, int roleLimit) {
        int limit = superuser ? maxConnections : maxConnections - reservedConnections;
        while (true) {
            int n = sessions.get();
            if (n >= limit) {
                return n >= maxConnections ? "sorry, too many clients already"
                        : "remaining connection slots are reserved for non-replication superuser connections";
            }
            if (sessions.compareAndSet(n, n + 1)) {
                break;
            }
        }
        AtomicInteger mine = sessionsByRole.computeIfAbsent(role, k -> new AtomicInteger());
        if (mine.incrementAndGet() > roleLimit && roleLimit >= 0 && !superuser) {
            mine.decrementAndGet();
            sessions.decrementAndGet();
            return "too many connections for role \"" + role + "\"";
        }
        return null;
    }

    void releaseSession(String role) {
        sessions.decrementAndGet();
        AtomicInteger mine = sessionsByRole.get(role);
        if (mine != null) {
            mine.decrementAndGet();
        }
    }

    /** Sessions open now (authenticated, holding a slot). */
    int activeSessions() {
        return sessions.get();
    }

    /**
     * Starts the authentication clock of a new connection: after authentication_timeout its
     * socket is closed, whatever it is doing. The returned handle is cancelled once it is a session.
     */
    java.util.concurrent.Future<?> startAuthenticationClock(Socket socket) {
        return timer.schedule(() -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }, authTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code step} every 10 ms until it answers false (at most for 10 s). */
    void repeatWhile(java.util.function.BooleanSupplier step) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<?>> self = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable r = () -> {
            if (!step.getAsBoolean() || System.nanoTime() > until) {
                java.util.concurrent.Future<?> f = self.get();
                if (f != null) {
                    f.cancel(false);
                }
            }
        };
        try {
            self.set(timer.scheduleWithFixedDelay(r, 10, 10, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the server is stopping: sessions end anyway
        }
    }

    void startupDone() {
        startups.decrementAndGet();
    }

    /**
     * pg_cancel_backend / pg_terminate_backend: {@code requester} may signal its own role's
     * sessions, and superusers any; only superusers may signal a superuser's session. False when
     * there is no such session; 42501 when the requester may not.
     */
    boolean signal(int pid, Session requester, boolean terminate) throws SQLException {
        PgConnection c = connections.get(pid);
        Session target = c == null ? null : c.session();
        if (target == null) {
            return false;
        }
        if (!requester.superuser && (target.superuser || !target.user.equals(requester.user))) {
            String what = terminate ? "terminate" : "cancel";
            throw new SQLException("permission denied to " + what + " process: only superusers or sessions of the same role may "
                    + what + " it" + (target.superuser ? " (and only superusers a superuser's)" : ""), SqlStates.INSUFFICIENT_PRIVILEGE);
        }
        if (terminate) {
            c.terminate();
        } else {
            c.cancel();
        }
        return true;
    }

    void cancel(int pid, int secret) {
        PgConnection c = connections.get(pid);
        if (c != null && c.secretKey == secret) {
            c.cancel();
        } else {
            LOG.fine("ignoring cancel request for unknown backend " + pid);
        }
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (SocketException e) {
                if (!stopping) {
                    LOG.log(Level.WARNING, "accept failed", e);
                }
                break;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept failed", e);
                continue;
            }
            if (startups.incrementAndGet() > maxStartups) {
                // clients that do not finish authentication must not lock everybody out: the others wait for a free place
                startups.decrementAndGet();
                reject(socket);
                continue;
            }
            int pid = nextPid.getAndIncrement();
            PgConnection c = new PgConnection(this, socket, pid, random.nextInt());
            connections.put(pid, c);
            try {
                pool.execute(c);
            } catch (RuntimeException e) {
                connections.remove(pid);
                startups.decrementAndGet();
                reject(socket);
            }
        }
    }

    /** Refuses a client over the limit with FATAL 53300, as PostgreSQL does. */
    private static void reject(Socket socket) {
        try (socket) {
            socket.setSoTimeout(1000);
            MessageWriter w = new MessageWriter(socket.getOutputStream());
            w.error('E', PgError.fatal(SqlStates.TOO_MANY_CONNECTIONS, "sorry, too many clients already"));
            w.flush();
        } catch (IOException ignored) {
            // the client is gone already
        }
    }

    /** Collects the server configuration. */
    public static final class Builder {
        private ConnectionFactory factory;
        private String databaseName = "wasmudf";
        private String user = "wasmudf";
        private String password;
        private String listen = "127.0.0.1";
        private int port = 5433;
        private int maxConnections = 128;
        private String serverVersion = "15.0";
        private int maxMessageLength = 256 * 1024 * 1024;
        private javax.net.ssl.SSLContext tls;
        private UserConnectionFactory userFactory;
        private int reservedConnections = 3;
        private int maxStartups = 256;
        private java.time.Duration authTimeout = java.time.Duration.ofSeconds(60);
        private java.time.Duration authFailureDelay = java.time.Duration.ofSeconds(1);
        private boolean allowHostAccess;

        private Builder() {
        }

        /** Where each session's JDBC connection comes from. */
        public Builder connectionFactory(ConnectionFactory f) {
            this.factory = f;
            return this;
        }

        /**
         * Enables roles: the server keeps them in {@code wasm.roles}, each backed by an H2 user, and
         * every session connects as its role's user through this factory (the administrator
         * connection of {@link #connectionFactory} then serves only the server's own work).
         */
        public Builder userConnectionFactory(UserConnectionFactory f) {
            this.userFactory = f;
            return this;
        }

        /** Slots only superusers may take (PostgreSQL's superuser_reserved_connections; default 3). */
        public Builder superuserReservedConnections(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("superuser_reserved_connections must not be negative");
            }
            this.reservedConnections = n;
            return this;
        }

        /** The most connections still authenticating at once (default 256); more are refused with 53300 at once. */
        public Builder maxStartups(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxStartups must be positive");
            }
            this.maxStartups = n;
            return this;
        }

        /** Time a client has to complete authentication (PostgreSQL's authentication_timeout; default 60 s). */
        public Builder authenticationTimeout(java.time.Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("authentication timeout must be positive");
            }
            this.authTimeout = d;
            return this;
        }

        /** Pause before answering a failed login (as PostgreSQL's auth_delay; default 1 s; zero turns it off). */
        public Builder authenticationFailureDelay(java.time.Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("authentication failure delay must not be negative");
            }
            this.authFailureDelay = d;
            return this;
        }

        /** Same as {@link #connectionFactory(ConnectionFactory)} for a supplier that does not throw. */
        public Builder connectionSupplier(Supplier<Connection> s) {
            Objects.requireNonNull(s);
            this.factory = s::get;
            return this;
        }

        /** The only database name clients may connect to (others get 3D000). */
        public Builder databaseName(String name) {
            this.databaseName = Objects.requireNonNull(name);
            return this;
        }

        /** The only role name clients may connect as. */
        public Builder user(String name) {
            this.user = Objects.requireNonNull(name);
            return this;
        }

        /** Enables SCRAM-SHA-256 with this password; null means trust (loopback only). */
        public Builder password(String password) {
            this.password = password == null || password.isEmpty() ? null : password;
            return this;
        }

        /** The address to bind; anything but loopback requires a password. */
        public Builder listen(String address) {
            this.listen = Objects.requireNonNull(address);
            return this;
        }

        /** The TCP port; 0 picks a free one (see {@link PgServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The most concurrent client sessions; more get 53300. */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be positive");
            }
            this.maxConnections = n;
            return this;
        }

        /** The server_version reported to clients (psql and pgJDBC adapt their catalog queries to it). */
        public Builder serverVersion(String version) {
            if (!version.matches("\\d+(\\.\\d+)?.*")) {
                throw new IllegalArgumentException("server version must start with digits: " + version);
            }
            this.serverVersion = version;
            return this;
        }

        /** The largest frontend message accepted, in bytes (bigger ones drop the connection). */
        public Builder maxMessageLength(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageLength must be at least 1024");
            }
            this.maxMessageLength = bytes;
            return this;
        }

        /** Offers TLS to clients that ask for it (SSLRequest); null (the default) refuses with 'N'. */
        public Builder tls(javax.net.ssl.SSLContext context) {
            this.tls = context;
            return this;
        }

        /**
         * Lets the superuser use H2's host-reaching features (FILE_READ, CSVWRITE, Java aliases,
         * linked tables, SCRIPT TO…) for a trusted deployment; off by default, and logged loudly.
         */
        public Builder allowHostAccess(boolean allow) {
            this.allowHostAccess = allow;
            return this;
        }

        public PgServer build() {
            return new PgServer(this);
        }
    }
}
