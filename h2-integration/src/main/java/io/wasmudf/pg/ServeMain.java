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
            + " [--user wasmudf] [--password-file FILE] [--tls-keystore FILE.p12 [--tls-keystore-password PW]]\n"
            + "       [--max-connections 128] [--superuser-reserved-connections 3] [--authentication-timeout 60s]\n"
            + "       [--auth-failure-delay 1s] [--synchronous-commit on|off] [--fsync] [--allow-host-access]\n"
            + "  Serves the database over the PostgreSQL protocol (psql -h 127.0.0.1 -p 5433 -U wasmudf -d wasmudf).\n"
            + "  --user names the bootstrap superuser; CREATE ROLE adds others. Without a password only loopback clients\n"
            + "  are trusted; a password (first line of --password-file, or $" + PASSWORD_ENV + ") enables SCRAM-SHA-256 for\n"
            + "  every role and is required to listen on other addresses (--password PW works too, but is visible in ps).\n"
            + "  --tls-keystore (PKCS#12 with the server key and certificate; password from --tls-keystore-password or\n"
            + "  $" + TLS_PASSWORD_ENV + ") offers TLS. --allow-host-access lets superusers use H2's file, network and Java\n"
            + "  features (FILE_READ, CSVWRITE, SCRIPT TO, linked tables, Java aliases): for trusted deployments only.\n"
            + "  Every acknowledged COMMIT is written to the database file first (survives kill -9); --fsync also forces it\n"
            + "  to disk (survives power loss); --synchronous-commit off acknowledges before writing (H2's 500 ms delay).";

    /** Parsed command line. */
    record Options(String db, int port, String listen, String name, String user, String password, String tlsKeystore,
            String tlsPassword, Governance governance, boolean passwordOnCommandLine, boolean synchronousCommit, boolean fsync) {
        Options(String db, int port, String listen, String name, String user, String password) {
            this(db, port, listen, name, user, password, null, null, Governance.DEFAULT, false, true, false);
        }

        /** The jdbc:wasm: URL of the database with the durability settings. */
        String url() {
            return jdbcUrl(db) + (synchronousCommit ? "" : ";WASM_SYNCHRONOUS_COMMIT=OFF") + (fsync ? ";WASM_FSYNC=ON" : "");
        }
    }

    /** The connection limits and timeouts of the command line. */
    record Governance(int maxConnections, int reservedConnections, java.time.Duration authTimeout, java.time.Duration authFailureDelay,
            boolean allowHostAccess) {
        static final Governance DEFAULT = new Governance(128, 3, java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(1), false);
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
        boolean onCommandLine = false;
        Governance g = Governance.DEFAULT;
        int maxConnections = g.maxConnections();
        int reserved = g.reservedConnections();
        java.time.Duration authTimeout = g.authTimeout();
        java.time.Duration failureDelay = g.authFailureDelay();
        boolean allowHost = false;
        boolean synchronousCommit = true;
        boolean fsync = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (a.equals("--allow-host-access")) {
                allowHost = true;
                continue;
            }
            if (a.equals("--fsync")) {
                fsync = true;
                continue;
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
                    onCommandLine = password != null;
                    break;
                case "--password-file":
                    password = readPasswordFile(value);
                    onCommandLine = false;
                    break;
                case "--max-connections":
                    maxConnections = positive(a, value);
                    break;
                case "--superuser-reserved-connections":
                    reserved = positive(a, value);
                    break;
                case "--authentication-timeout":
                    authTimeout = duration(a, value);
                    break;
                case "--auth-failure-delay":
                    failureDelay = duration(a, value);
                    break;
                case "--synchronous-commit":
                    if (!value.equalsIgnoreCase("on") && !value.equalsIgnoreCase("off")) {
                        throw new IllegalArgumentException("--synchronous-commit takes on or off, not " + value);
                    }
                    synchronousCommit = value.equalsIgnoreCase("on");
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
        if (reserved >= maxConnections) {
            throw new IllegalArgumentException("--superuser-reserved-connections (" + reserved + ") must be less than --max-connections ("
                    + maxConnections + ")");
        }
        return new Options(db, port, listen, name, user, password, tlsKeystore, tlsPassword,
                new Governance(maxConnections, reserved, authTimeout, failureDelay, allowHost), onCommandLine, synchronousCommit, fsync);
    }

    /** The first line of a password file (a trailing newline is not part of the password). */
    static String readPasswordFile(String file) {
        try {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of(file));
            String first = text.lines().findFirst().orElse("");
            if (first.isEmpty()) {
                throw new IllegalArgumentException("the password file " + file + " is empty");
            }
            return first;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the password file " + file + ": " + e.getMessage());
        }
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid value for " + option + ": " + value);
    }

    /** A duration in PostgreSQL's units: "60s", "500ms", "1min", or milliseconds. */
    static java.time.Duration duration(String option, String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|min|h)?").matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid value for " + option + ": " + value + " (e.g. 60s, 500ms, 1min)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> java.time.Duration.ofSeconds(n);
            case "min" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofMillis(n);
        };
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
        if (o.passwordOnCommandLine()) {
            err.println("wasmudf: WARNING: --password is visible to every user of this machine (ps, /proc); use --password-file or $"
                    + PASSWORD_ENV);
        }
        String url = o.url();
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
            Governance g = o.governance();
            server = PgServer.builder().tls(tls).connectionFactory(() -> WasmDriver.load().connect(url, props))
                    .userConnectionFactory((user, password) -> WasmDriver.load().connect(url, credentials(user, password)))
                    .databaseName(o.name()).user(o.user()).password(o.password()).listen(o.listen()).port(o.port())
                    .maxConnections(g.maxConnections()).superuserReservedConnections(g.reservedConnections())
                    .authenticationTimeout(g.authTimeout()).authenticationFailureDelay(g.authFailureDelay())
                    .allowHostAccess(g.allowHostAccess()).build().start();
        } catch (Exception e) {
            err.println("cannot start server: " + e.getMessage());
            closeQuietly(keepOpen);
            return 1;
        }
        if (o.governance().allowHostAccess()) {
            err.println("wasmudf: WARNING: --allow-host-access: superusers of this server can read and write the server's files,"
                    + " open network connections and run Java code");
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

    private static Properties credentials(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return p;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // shutting down anyway
        }
    }
}
