package io.wasmudf.pg;

import io.wasmudf.h2.WasmDriver;
import java.io.File;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/** {@code wasmudf serve}: runs the PostgreSQL protocol server on the embedded database until SIGTERM/Ctrl-C. */
public final class ServeMain {
    /** Environment variable that enables SCRAM-SHA-256 like {@code --password}. */
    public static final String PASSWORD_ENV = "WASMUDF_PASSWORD";
    /** Environment variable holding the password of the --tls-keystore file. */
    public static final String TLS_PASSWORD_ENV = "WASMUDF_TLS_PASSWORD";
    static final String DEFAULT_DB = "./data/wasmudf";

    private ServeMain() {
    }

    static final String USAGE = "usage: wasmudf serve [--db PATH] [--port 5433] [--listen 127.0.0.1] [--name wasmudf]"
            + " [--user wasmudf] [--password PASSWORD] [--tls-keystore FILE.p12 [--tls-keystore-password PW]]\n"
            + "  Serves the database over the PostgreSQL protocol (psql -h 127.0.0.1 -p 5433 -U wasmudf -d wasmudf).\n"
            + "  Without a password only loopback clients are trusted; --password (or $" + PASSWORD_ENV + ") enables\n"
            + "  SCRAM-SHA-256 and is required to listen on other addresses. --tls-keystore (PKCS#12 with the server\n"
            + "  key and certificate; password from --tls-keystore-password or $" + TLS_PASSWORD_ENV + ") offers TLS.";

    /** Parsed command line. */
    record Options(String db, int port, String listen, String name, String user, String password, String tlsKeystore,
            String tlsPassword) {
        Options(String db, int port, String listen, String name, String user, String password) {
            this(db, port, listen, name, user, password, null, null);
        }
    }

    /** Parses the arguments of {@code serve}; throws IllegalArgumentException with a usage message. */
    static Options parse(String[] args, String envPassword) {
        String db = DEFAULT_DB;
        int port = 5433;
        String listen = "127.0.0.1";
        String name = "wasmudf";
        String user = "wasmudf";
        String password = envPassword == null || envPassword.isEmpty() ? null : envPassword;
        String tlsKeystore = null;
        String tlsPassword = System.getenv(TLS_PASSWORD_ENV);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException(USAGE);
            }
            String value;
            String key = a;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                key = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a + "\n" + USAGE);
                }
                value = args[++i];
            }
            switch (key) {
                case "--db":
                    db = value;
                    break;
                case "--port":
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("invalid port: " + value);
                    }
                    break;
                case "--listen":
                    listen = value;
                    break;
                case "--name":
                    name = value;
                    break;
                case "--user":
                    user = value;
                    break;
                case "--password":
                    password = value.isEmpty() ? null : value;
                    break;
                case "--tls-keystore":
                    tlsKeystore = value;
                    break;
                case "--tls-keystore-password":
                    tlsPassword = value;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option: " + a + "\n" + USAGE);
            }
        }
        return new Options(db, port, listen, name, user, password, tlsKeystore, tlsPassword);
    }

    /** An SSLContext serving the key and certificate chain of a PKCS#12 keystore. */
    static javax.net.ssl.SSLContext tlsContext(String keystore, String password) throws Exception {
        char[] pw = password == null ? new char[0] : password.toCharArray();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(keystore))) {
            ks.load(in, pw);
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** The jdbc:wasm: URL of an embedded file database path, as the other CLI commands open it. */
    static String jdbcUrl(String db) {
        String path = new File(db).getAbsolutePath();
        if (path.endsWith(".mv.db")) {
            path = path.substring(0, path.length() - ".mv.db".length());
        }
        return WasmDriver.PREFIX + "file:" + path + ";MODE=PostgreSQL";
    }

    /** Runs the server until the JVM is asked to stop; returns the process exit code. */
    public static int run(String[] args) {
        return run(args, System.err);
    }

    static int run(String[] args, PrintStream err) {
        Options o;
        try {
            o = parse(args, System.getenv(PASSWORD_ENV));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        String url = jdbcUrl(o.db());
        Properties props = new Properties();
        props.setProperty("user", "sa");
        props.setProperty("password", "");
        Connection keepOpen;
        try {
            // holds the database open for the server's lifetime and surfaces open errors (e.g. a lock) at once
            keepOpen = WasmDriver.load().connect(url, props);
        } catch (SQLException e) {
            err.println("cannot open database " + o.db() + ": " + e.getMessage());
            return 1;
        }
        javax.net.ssl.SSLContext tls = null;
        if (o.tlsKeystore() != null) {
            try {
                tls = tlsContext(o.tlsKeystore(), o.tlsPassword());
            } catch (Exception e) {
                err.println("cannot load TLS keystore " + o.tlsKeystore() + ": " + e);
                closeQuietly(keepOpen);
                return 1;
            }
        }
        PgServer server;
        try {
            server = PgServer.builder().tls(tls).connectionFactory(() -> WasmDriver.load().connect(url, props)).databaseName(o.name())
                    .user(o.user()).password(o.password()).listen(o.listen()).port(o.port()).build().start();
        } catch (Exception e) {
            err.println("cannot start server: " + e.getMessage());
            closeQuietly(keepOpen);
            return 1;
        }
        err.println("wasmudf: serving " + o.db() + " as database \"" + o.name() + "\" on " + o.listen() + ":" + server.port()
                + (o.password() == null ? " (trust, loopback only)" : " (SCRAM-SHA-256)") + (tls == null ? "" : ", TLS")
                + "; Ctrl-C to stop");
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.stop();
            closeQuietly(keepOpen); // the last connection closes the H2 database cleanly
            err.println("wasmudf: server stopped");
            stopped.countDown();
        }, "wasmudf-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // shutting down anyway
        }
    }
}
