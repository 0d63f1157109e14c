package io.wasmudf.h2;

import io.wasmudf.sql.CreateFunction;
import io.wasmudf.sql.FunctionDdlParser;
import io.wasmudf.sql.ModuleSource;
import io.wasmudf.sql.WasmDdl;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * A PreparedStatement for function DDL, parsed when prepared (syntax errors surface then, as in
 * PostgreSQL). {@code AS ?} takes the module as parameter 1: {@code setBytes}, {@code setObject}
 * with a byte[]/Blob/InputStream, {@code setBinaryStream} or {@code setBlob}.
 */
final class DdlStatement implements InvocationHandler {
    private final JdbcWrappers.ConnectionHandler conn;
    private final String sql;
    private final WasmDdl ddl;
    private final int parameterCount;
    private byte[] module;
    private final List<byte[]> batch = new ArrayList<>();
    private Integer updateCount;
    private boolean closed;
    /** The NOTICEs of the last execution, chained; null when none. */
    private SQLWarning warnings;

    private DdlStatement(JdbcWrappers.ConnectionHandler conn, String sql, WasmDdl ddl) {
        this.conn = conn;
        this.sql = sql;
        this.ddl = ddl;
        this.parameterCount = ddl instanceof CreateFunction c && c.source() instanceof ModuleSource.BoundParameter ? 1 : 0;
    }

    static Object create(JdbcWrappers.ConnectionHandler conn, String sql, Class<?> iface) throws SQLException {
        DdlStatement h = new DdlStatement(conn, sql, FunctionDdlParser.parse(sql));
        return Proxy.newProxyInstance(DdlStatement.class.getClassLoader(), new Class<?>[] {iface}, h);
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        String name = m.getName();
        switch (name) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "wasm DDL: " + sql;
            case "close":
                closed = true;
                return null;
            case "isClosed":
                return closed;
            case "getConnection":
                return conn.proxy;
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                throw new SQLException("not a wrapper for " + args[0]);
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy);
            case "getWarnings":
                return warnings;
            case "getResultSet":
            case "getMetaData":
            case "getGeneratedKeys":
                return null;
            case "clearWarnings":
                warnings = null;
                return null;
            case "setQueryTimeout":
            case "setFetchSize":
            case "setMaxRows":
            case "setLargeMaxRows":
            case "setEscapeProcessing":
            case "setPoolable":
            case "setCursorName":
            case "setFetchDirection":
            case "setMaxFieldSize":
            case "closeOnCompletion":
                return null;
            case "getQueryTimeout":
            case "getFetchSize":
            case "getMaxRows":
            case "getMaxFieldSize":
                return 0;
            case "getLargeMaxRows":
                return 0L;
            case "isPoolable":
            case "isCloseOnCompletion":
                return false;
            case "getUpdateCount":
                return updateCount == null ? -1 : updateCount;
            case "getLargeUpdateCount":
                return updateCount == null ? -1L : (long) updateCount;
            case "getMoreResults":
                updateCount = -1;
                return false;
            case "clearParameters":
                module = null;
                return null;
            case "setBytes":
            case "setObject":
            case "setBinaryStream":
            case "setBlob":
            case "setNull":
                setParameter((Integer) args[0], name.equals("setNull") ? null : args[1]);
                return null;
            case "execute":
            case "executeUpdate":
            case "executeLargeUpdate":
                if (args != null && args.length > 0) {
                    throw new SQLException("this method is not allowed on a PreparedStatement", "07000");
                }
                run(module);
                return name.equals("execute") ? false : name.equals("executeLargeUpdate") ? (Object) 0L : (Object) 0;
            case "executeQuery":
                throw new SQLException("executeQuery cannot run function DDL, which returns no result set; use execute or executeUpdate", "07000");
            case "addBatch":
                if (args != null && args.length > 0) {
                    throw new SQLException("this method is not allowed on a PreparedStatement", "07000");
                }
                batch.add(module);
                return null;
            case "clearBatch":
                batch.clear();
                return null;
            case "executeBatch":
            case "executeLargeBatch": {
                List<byte[]> todo = new ArrayList<>(batch);
                batch.clear();
                for (int i = 0; i < todo.size(); i++) {
                    try {
                        run(todo.get(i));
                    } catch (SQLException e) {
                        throw new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), new int[i], e);
                    }
                }
                return name.equals("executeBatch") ? (Object) new int[todo.size()] : (Object) new long[todo.size()];
            }
            default:
                throw new SQLFeatureNotSupportedException(name + " is not supported on a function DDL statement");
        }
    }

    private void run(byte[] bytes) throws SQLException {
        checkOpen();
        warnings = null;
        SQLWarning last = null;
        for (SQLWarning w : conn.runDdl(sql, bytes)) {
            if (last == null) {
                warnings = w;
            } else {
                last.setNextWarning(w);
            }
            last = w;
        }
        updateCount = 0;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("statement is closed", "HY010");
        }
    }

    private void setParameter(int index, Object value) throws SQLException {
        checkOpen();
        if (index < 1 || index > parameterCount) {
            throw new SQLException("invalid parameter index " + index + ": the statement has " + parameterCount + " parameter(s)", "07009");
        }
        if (value == null || value instanceof byte[]) {
            module = (byte[]) value;
        } else if (value instanceof Blob b) {
            module = b.getBytes(1, (int) b.length());
        } else if (value instanceof InputStream in) {
            try {
                module = in.readAllBytes();
            } catch (IOException e) {
                throw new SQLException("cannot read the module stream: " + e.getMessage(), "22023", e);
            }
        } else {
            throw new SQLException("the module parameter must be bytes (byte[], Blob or InputStream), not " + value.getClass().getName(), "22023");
        }
    }
}
