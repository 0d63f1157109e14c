package io.wasmudf.h2;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A {@link DataSource} for {@code jdbc:wasm:} URLs (bean-style, e.g. for HikariCP's {@code dataSourceClassName}). */
public final class WasmDataSource implements DataSource {
    private volatile String url;
    private volatile String user = "sa";
    private volatile String password = "";
    private volatile int loginTimeout;
    private volatile PrintWriter logWriter;

    public WasmDataSource() {}

    public WasmDataSource(String url) {
        setURL(url);
    }

    public String getURL() {
        return url;
    }

    /** A {@code jdbc:wasm:} URL; a plain H2 URL ({@code jdbc:h2:…}) is accepted and converted. */
    public void setURL(String url) {
        this.url = url != null && url.startsWith("jdbc:h2:") ? WasmDriver.PREFIX + url.substring("jdbc:h2:".length()) : url;
    }

    /** Same as {@link #setURL}, for tools that use the {@code url} property name. */
    public void setUrl(String url) {
        setURL(url);
    }

    public String getUrl() {
        return url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        if (url == null) {
            throw new SQLException("WasmDataSource: no URL set", "08001");
        }
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return WasmDriver.load().connect(url, p);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
