package io.wasmudf.h2;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The {@code jdbc:wasm:} driver: {@code jdbc:wasm:<H2 URL without jdbc:h2:>}, e.g.
 * {@code jdbc:wasm:mem:app} or {@code jdbc:wasm:file:./data/app;MODE=PostgreSQL}. It opens the H2
 * connection and wraps it so {@code CREATE FUNCTION … LANGUAGE wasm} and {@code DROP FUNCTION}
 * work; every other statement goes to H2 unchanged. The wasm limit settings
 * ({@code ;WASM_MAX_MEMORY=16MB;WASM_TIMEOUT=30s;WASM_FUEL=…;WASM_MEMORY_BUDGET=1GB}, also as
 * connection properties) are taken out of the URL before H2 sees it, as are the durability
 * settings ({@code ;WASM_SYNCHRONOUS_COMMIT=ON|OFF;WASM_FSYNC=OFF|ON}, see {@link Durability}):
 * by default a persistent database writes every commit to its file before the commit returns.
 */
public final class WasmDriver implements Driver {
    public static final String PREFIX = "jdbc:wasm:";
    private static final WasmDriver INSTANCE = new WasmDriver();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
        BridgeClassFactory.install();
    }

    /** Loads and registers the driver (also done by {@code ServiceLoader}); returns it. */
    public static WasmDriver load() {
        return INSTANCE;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Properties props = new Properties();
        if (info != null) {
            props.putAll(info);
        }
        String[] h2 = {h2Url(url)};
        Durability durability = Durability.extract(h2, props);
        Map<String, String> settings = DatabaseLimits.extract(h2, props);
        DatabaseLimits.create(settings); // an invalid value fails the connection (22023) before H2 opens anything
        Connection raw = org.h2.Driver.load().connect(h2[0], props);
        if (raw == null) {
            throw new SQLException("H2 rejected the URL " + h2[0], "08001");
        }
        CatalogService service;
        try {
            service = CatalogService.open(raw, settings, durability);
        } catch (SQLException | RuntimeException e) {
            try {
                raw.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return JdbcWrappers.connection(raw, service);
    }

    /** The H2 URL behind a {@code jdbc:wasm:} URL. */
    public static String h2Url(String url) {
        return "jdbc:h2:" + url.substring(PREFIX.length());
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return org.h2.Driver.load().getPropertyInfo(acceptsURL(url) ? h2Url(url) : url, info);
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging logger");
    }
}
