package io.wasmudf.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Where the compatibility tests find a real PostgreSQL: a Testcontainers PostgreSQL when a Docker
 * engine is available, otherwise the server at PGHOST/PGPORT (default 127.0.0.1:5432, user
 * postgres, database test), which the project's machines run. Callers skip loudly when neither
 * answers.
 */
final class RealPostgres {
    /** JDBC URL and connection properties of the server to compare against. */
    record Target(String url, Properties props, String description) {}

    private static PostgreSQLContainer<?> container;

    private RealPostgres() {}

    static synchronized Target find() {
        if (dockerAvailable()) {
            if (container == null) {
                container = new PostgreSQLContainer<>("postgres:15-alpine");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            }
            Properties p = new Properties();
            p.setProperty("user", container.getUsername());
            p.setProperty("password", container.getPassword());
            return new Target(container.getJdbcUrl(), p, "Testcontainers " + container.getDockerImageName());
        }
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("PGPORT", "5432");
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        Properties p = new Properties();
        p.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        if (System.getenv("PGPASSWORD") != null) {
            p.setProperty("password", System.getenv("PGPASSWORD"));
        }
        p.setProperty("connectTimeout", "5");
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + db;
        return new Target(url, p, "PGHOST/PGPORT server " + url + " (no Docker engine for Testcontainers)");
    }

    /**
     * A connection to the real PostgreSQL; when none answers, skips the calling test (fails it in
     * CI, see {@link io.wasmudf.h2.Required}) with {@code "<test>: no PostgreSQL at <url>: <why>"}.
     */
    static Connection connect(String test) throws ClassNotFoundException {
        Target target = find();
        Class.forName("org.postgresql.Driver"); // a missing driver is a build problem, not a reason to skip
        try {
            return DriverManager.getConnection(target.url(), target.props());
        } catch (SQLException e) {
            io.wasmudf.h2.Required.resource(false, test + ": no PostgreSQL at " + target.url() + ": " + e.getMessage());
            throw new AssertionError("not reached: Required.resource(false, ...) throws", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
