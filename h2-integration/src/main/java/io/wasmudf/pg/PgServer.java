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

    /** Opens the JDBC connection that backs one client session. */
    @FunctionalInterface
    public interface ConnectionFactory {
        /** A new connection, owned (and closed) by the server. */
        Connection open() throws SQLException;
    }

    private final ConnectionFactory factory;
    private final ServerSettings settings;
    private final String listen;
    private final int requestedPort;
    private final int maxConnections;
    private final ScramCredentials scram;
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
        this.settings = new ServerSettings(b.databaseName, b.user, b.password, b.serverVersion, b.maxMessageLength);
        this.listen = b.listen;
        this.requestedPort = b.port;
        this.maxConnections = b.maxConnections;
        this.scram = b.password == null ? null : ScramCredentials.fromPassword(b.password, random);
        this.tls = b.tls;
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
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(address, requestedPort), 128);
        serverSocket = ss;
        // threads beyond maxConnections serve cancel requests and clients being refused
        pool = new ThreadPoolExecutor(0, maxConnections + 32, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
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
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("some sessions did not end within 10 s of shutdown");
                pool.shutdownNow();
            }
            acceptThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    Connection openConnection() throws SQLException {
        Connection c = factory.open();
        if (c == null) {
            throw new SQLException("the connection factory returned no connection", "08006");
        }
        return c;
    }

    void unregister(PgConnection c) {
        connections.remove(c.processId, c);
    }

    /**
     * Claims a session slot after the startup packet (so CancelRequests, which also arrive as
     * connections, are never refused); false when maxConnections sessions are already open.
     */
    boolean claimSession() {
        while (true) {
            int n = sessions.get();
            if (n >= maxConnections) {
                return false;
            }
            if (sessions.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void releaseSession() {
        sessions.decrementAndGet();
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
            int pid = nextPid.getAndIncrement();
            PgConnection c = new PgConnection(this, socket, pid, random.nextInt());
            connections.put(pid, c);
            try {
                pool.execute(c);
            } catch (RuntimeException e) {
                connections.remove(pid);
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

        private Builder() {
        }

        /** Where each session's JDBC connection comes from. */
        public Builder connectionFactory(ConnectionFactory f) {
            this.factory = f;
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

        public PgServer build() {
            return new PgServer(this);
        }
    }
}
