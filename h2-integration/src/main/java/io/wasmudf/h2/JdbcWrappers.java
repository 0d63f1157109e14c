package io.wasmudf.h2;

import io.wasmudf.sql.FunctionDdlParser;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dynamic-proxy wrappers of H2's Connection and statements. They intercept the SQL text of
 * function DDL ({@link FunctionDdlParser#isFunctionDdl}) and add what guests wrote during a
 * statement to its warnings ({@link GuestOutput}); every other call goes to H2 unchanged,
 * and {@code getConnection()} answers the wrapper so pools and frameworks stay on our side.
 */
final class JdbcWrappers {
    private JdbcWrappers() {}

    /** Wraps {@code raw}; {@code service} is its database's catalog service (null for a database without one). */
    static Connection connection(Connection raw, CatalogService service) {
        ConnectionHandler h = new ConnectionHandler(raw, service);
        h.proxy = (Connection) Proxy.newProxyInstance(JdbcWrappers.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
        return h.proxy;
    }

    static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Handles equals/hashCode/toString/unwrap/isWrapperFor; returns {@code NOT_HANDLED} otherwise. */
    static Object common(Object proxy, Object raw, Method m, Object[] args) throws Throwable {
        switch (m.getName()) {
            case "equals":
                return m.getParameterCount() == 1 ? proxy == args[0] : NOT_HANDLED;
            case "hashCode":
                return m.getParameterCount() == 0 ? System.identityHashCode(proxy) : NOT_HANDLED;
            case "toString":
                return m.getParameterCount() == 0 ? "wasm:" + raw : NOT_HANDLED;
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                return NOT_HANDLED;
            case "isWrapperFor":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return true;
                }
                return NOT_HANDLED;
            default:
                return NOT_HANDLED;
        }
    }

    static final Object NOT_HANDLED = new Object();

    static final class ConnectionHandler implements InvocationHandler {
        final Connection raw;
        final CatalogService service;
        Connection proxy;

        ConnectionHandler(Connection raw, CatalogService service) {
            this.raw = raw;
            this.service = service;
        }

        @Override
        public Object invoke(Object p, Method m, Object[] args) throws Throwable {
            Object c = common(p, raw, m, args);
            if (c != NOT_HANDLED) {
                return c;
            }
            switch (m.getName()) {
                case "close": {
                    Object session = H2Access.session(raw);
                    try {
                        return JdbcWrappers.invoke(raw, m, args);
                    } finally {
                        if (service != null) {
                            service.sessions.release(session);
                        }
                        // the last connection of a database may have closed it: forget its wasm state
                        CatalogService.purgeClosed();
                    }
                }
                case "commit": {
                    Object r = JdbcWrappers.invoke(raw, m, args);
                    afterCommit();
                    return r;
                }
                case "createStatement":
                    return statement((Statement) JdbcWrappers.invoke(raw, m, args), Statement.class);
                case "prepareStatement":
                case "prepareCall": {
                    String sql = (String) args[0];
                    Class<?> iface = m.getName().equals("prepareCall") ? CallableStatement.class : PreparedStatement.class;
                    if (sql != null && FunctionDdlParser.isFunctionDdl(sql)) {
                        return DdlStatement.create(this, sql, iface);
                    }
                    return statement((Statement) JdbcWrappers.invoke(raw, m, args), iface);
                }
                default:
                    return JdbcWrappers.invoke(raw, m, args);
            }
        }

        /** A commit happened on this connection (what it survives: {@link Durability}). */
        void afterCommit() {
            if (service != null) {
                service.afterCommit();
            }
        }

        Object statement(Statement rawStatement, Class<?> iface) {
            StatementHandler h = new StatementHandler(this, rawStatement);
            return Proxy.newProxyInstance(JdbcWrappers.class.getClassLoader(), new Class<?>[] {iface}, h);
        }

        /** Runs function DDL; returns its NOTICEs. */
        List<SQLWarning> runDdl(String sql, byte[] module) throws SQLException {
            List<SQLWarning> notices = DdlPipeline.execute(raw, service, sql, module);
            afterCommit();
            return notices;
        }
    }

    /** A wrapped H2 statement: function DDL passed as SQL text runs here, the rest in H2. */
    static final class StatementHandler implements InvocationHandler {
        private final ConnectionHandler conn;
        private final Statement raw;
        /** After our own DDL ran: 0 = its update count is current, -1 = consumed; null = H2's state is current. */
        private Integer ourCount;
        /** Mirror of the batch when it contains function DDL (null: H2's own batch is used). */
        private List<String> batch;
        private final List<String> plainBatch = new ArrayList<>();
        /** First and last of the guest output of the last execution, chained as SQLWarnings; null when none. */
        private SQLWarning guestFirst;
        private SQLWarning guestLast;

        StatementHandler(ConnectionHandler conn, Statement raw) {
            this.conn = conn;
            this.raw = raw;
        }

        @Override
        public Object invoke(Object p, Method m, Object[] args) throws Throwable {
            Object c = common(p, raw, m, args);
            if (c != NOT_HANDLED) {
                return c;
            }
            String name = m.getName();
            boolean sqlArg = args != null && args.length > 0 && args[0] instanceof String;
            switch (name) {
                case "getConnection":
                    return conn.proxy;
                case "cancel":
                    // H2 only raises a flag that it checks between rows; a guest call must be interrupted
                    try {
                        return JdbcWrappers.invoke(raw, m, args);
                    } finally {
                        if (conn.service != null) {
                            conn.service.sessions.cancel(H2Access.session(conn.raw));
                        }
                    }
                case "execute":
                case "executeUpdate":
                case "executeLargeUpdate":
                case "executeQuery":
                    if (sqlArg && FunctionDdlParser.isFunctionDdl((String) args[0])) {
                        if (name.equals("executeQuery")) {
                            throw new SQLException("executeQuery cannot run function DDL, which returns no result set; use execute or executeUpdate", "07000");
                        }
                        guestFirst = null;
                        guestLast = null;
                        conn.runDdl((String) args[0], null).forEach(this::addWarning);
                        ourCount = 0;
                        return name.equals("execute") ? false : name.equals("executeLargeUpdate") ? (Object) 0L : (Object) 0;
                    }
                    ourCount = null;
                    beginGuestOutput();
                    try {
                        return JdbcWrappers.invoke(raw, m, args);
                    } finally {
                        collectGuestOutput();
                        if (conn.raw.getAutoCommit()) {
                            conn.afterCommit(); // autocommit: the statement committed (or rolled back)
                        }
                    }
                case "getWarnings":
                    return warnings();
                case "clearWarnings":
                    guestFirst = null;
                    guestLast = null;
                    return JdbcWrappers.invoke(raw, m, args);
                case "getUpdateCount":
                    return ourCount != null ? ourCount : JdbcWrappers.invoke(raw, m, args);
                case "getLargeUpdateCount":
                    return ourCount != null ? (Object) (long) ourCount : JdbcWrappers.invoke(raw, m, args);
                case "getResultSet":
                    return ourCount != null ? null : JdbcWrappers.invoke(raw, m, args);
                case "getMoreResults":
                    if (ourCount != null) {
                        ourCount = -1;
                        return false;
                    }
                    return JdbcWrappers.invoke(raw, m, args);
                case "addBatch":
                    if (sqlArg) {
                        String sql = (String) args[0];
                        if (batch == null && FunctionDdlParser.isFunctionDdl(sql)) {
                            batch = new ArrayList<>(plainBatch);
                            raw.clearBatch();
                        }
                        if (batch != null) {
                            batch.add(sql);
                            return null;
                        }
                        plainBatch.add(sql);
                    }
                    return JdbcWrappers.invoke(raw, m, args);
                case "clearBatch":
                    batch = null;
                    plainBatch.clear();
                    return JdbcWrappers.invoke(raw, m, args);
                case "executeBatch":
                case "executeLargeBatch":
                    ourCount = null;
                    if (batch != null) {
                        List<String> todo = batch;
                        batch = null;
                        plainBatch.clear();
                        guestFirst = null;
                        guestLast = null;
                        long[] counts = runMixedBatch(todo);
                        if (name.equals("executeLargeBatch")) {
                            return counts;
                        }
                        return Arrays.stream(counts).mapToInt(x -> (int) x).toArray();
                    }
                    plainBatch.clear();
                    beginGuestOutput();
                    try {
                        return JdbcWrappers.invoke(raw, m, args);
                    } finally {
                        collectGuestOutput();
                        if (conn.raw.getAutoCommit()) {
                            conn.afterCommit();
                        }
                    }
                default:
                    return JdbcWrappers.invoke(raw, m, args);
            }
        }

        /** A new execution: its warnings start empty, and output no statement collected is not this one's. */
        private void beginGuestOutput() {
            guestFirst = null;
            guestLast = null;
            if (conn.service != null) {
                conn.service.sessions.takeOutput(H2Access.session(conn.raw));
            }
        }

        /** Appends what the session's guests wrote since to this statement's warnings. */
        private void collectGuestOutput() {
            if (conn.service == null) {
                return;
            }
            conn.service.sessions.takeOutput(H2Access.session(conn.raw)).forEach(this::addWarning);
        }

        private void addWarning(SQLWarning w) {
            if (guestFirst == null) {
                guestFirst = w;
            } else {
                guestLast.setNextWarning(w);
            }
            guestLast = w;
        }

        /** H2's warnings, then the guests' (output of a result set read lazily is collected here too). */
        private SQLWarning warnings() throws SQLException {
            collectGuestOutput();
            SQLWarning h2 = raw.getWarnings();
            if (h2 == null) {
                return guestFirst;
            }
            if (guestFirst != null) {
                SQLWarning w = h2;
                while (w.getNextWarning() != null && w != guestFirst) {
                    w = w.getNextWarning();
                }
                if (w != guestFirst) {
                    w.setNextWarning(guestFirst);
                }
            }
            return h2;
        }

        /** A batch that mixes function DDL with other SQL runs statement by statement, in order. */
        private long[] runMixedBatch(List<String> sqls) throws SQLException {
            long[] counts = new long[sqls.size()];
            for (int i = 0; i < sqls.size(); i++) {
                String sql = sqls.get(i);
                try {
                    if (FunctionDdlParser.isFunctionDdl(sql)) {
                        conn.runDdl(sql, null).forEach(this::addWarning);
                        counts[i] = 0;
                    } else {
                        counts[i] = raw.executeLargeUpdate(sql);
                    }
                } catch (SQLException e) {
                    long[] done = Arrays.copyOf(counts, i);
                    throw new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), done, e);
                }
            }
            return counts;
        }
    }
}
