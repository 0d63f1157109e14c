package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client's SQL session: its JDBC connection, settings and transaction state, and the
 * execution of statements with their results written as protocol messages.
 */
final class Session implements AutoCloseable {
    /** ReadyForQuery transaction status. */
    enum TxStatus {
        IDLE('I'), IN_BLOCK('T'), FAILED('E');

        final char code;

        TxStatus(char code) {
            this.code = code;
        }
    }

    final Connection conn;
    final ServerSettings server;
    final String user;
    /** The session's role is a superuser (PostgreSQL's is_superuser). */
    final boolean superuser;
    final int processId;
    /** The server, for what spans sessions (pg_cancel_backend, roles). */
    final PgServer pg;
    /** Run-time parameters (SET/SHOW), case-insensitive names. */
    final Map<String, String> settings = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Savepoint> savepoints = new HashMap<>();
    private TxStatus status = TxStatus.IDLE;
    /** True while statements run in an implicit transaction that ends at Sync / end of Query. */
    private boolean implicitTx;
    private volatile Statement running;
    /** A CancelRequest arrived (as opposed to statement_timeout expiring). */
    private volatile boolean cancelRequested;
    /** statement_timeout in milliseconds (0 = none), and the value last given to H2 (-1: not yet). */
    private long queryTimeoutMillis;
    private long appliedTimeoutMillis = -1;
    final CatalogQueries catalog;
    final RoleCommands roles;
    final StatementClassifier classifier;
    /** default_transaction_read_only, and the current transaction's own setting (null: the default). */
    private boolean defaultReadOnly;
    private Boolean transactionReadOnly;
    /** The database folds unquoted names to upper case (H2's default), so labels are folded back. */
    final boolean foldUpper;

    Session(Connection conn, ServerSettings server, String user, boolean superuser, int processId, Map<String, String> startupParams,
            PgServer pg) {
        this.conn = conn;
        this.processId = processId;
        this.server = server;
        this.user = user;
        this.superuser = superuser;
        this.pg = pg;
        settings.put("server_version", server.serverVersion());
        settings.put("server_version_num", server.serverVersionNum());
        settings.put("server_encoding", "UTF8");
        settings.put("client_encoding", "UTF8");
        settings.put("DateStyle", "ISO, MDY");
        settings.put("IntervalStyle", "postgres");
        settings.put("integer_datetimes", "on");
        settings.put("standard_conforming_strings", "on");
        settings.put("TimeZone", "UTC");
        settings.put("application_name", "");
        settings.put("is_superuser", superuser ? "on" : "off");
        settings.put("session_authorization", user);
        settings.put("default_transaction_read_only", "off");
        settings.put("in_hot_standby", "off");
        settings.put("search_path", "\"$user\", public");
        settings.put("extra_float_digits", "1");
        settings.put("statement_timeout", "0");
        settings.put("transaction_isolation", "read committed");
        settings.put("max_identifier_length", "63");
        for (Map.Entry<String, String> e : startupParams.entrySet()) {
            String k = e.getKey();
            if (!k.equals("user") && !k.equals("database") && !k.equals("options") && !k.equals("replication")) {
                settings.put(k, e.getValue());
            }
        }
        this.catalog = new CatalogQueries(this);
        this.roles = new RoleCommands(this);
        this.classifier = new StatementClassifier(this);
        boolean upper;
        try {
            upper = conn.getMetaData().storesUpperCaseIdentifiers();
        } catch (SQLException e) {
            upper = false;
        }
        this.foldUpper = upper;
    }

    /**
     * Applies the startup "options" parameter ({@code -c name=value} or {@code --name=value}, as
     * set by PGOPTIONS) like SET commands.
     */
    void applyOptions(String options) throws SQLException {
        if (options == null || options.isBlank()) {
            return;
        }
        String[] tokens = options.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String assignment;
            if (tokens[i].equals("-c") && i + 1 < tokens.length) {
                assignment = tokens[++i];
            } else if (tokens[i].startsWith("-c")) {
                assignment = tokens[i].substring(2);
            } else if (tokens[i].startsWith("--")) {
                assignment = tokens[i].substring(2);
            } else {
                throw new SQLException("unsupported option \"" + tokens[i] + "\"", SqlStates.INVALID_PARAMETER_VALUE);
            }
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new SQLException("option \"" + assignment + "\" needs a value", SqlStates.INVALID_PARAMETER_VALUE);
            }
            String sql = "SET " + assignment.substring(0, eq).replace('-', '_') + " = '"
                    + assignment.substring(eq + 1).replace("'", "''") + "'";
            LocalStatement set = classifier.classify(sql).local();
            if (set == null) {
                throw new SQLException("invalid option \"" + assignment + "\"", SqlStates.INVALID_PARAMETER_VALUE);
            }
            set.execute(new Object[0]);
        }
        changedReported.clear(); // the startup ParameterStatus messages carry the values anyway
    }

    /** Parameters PostgreSQL reports with ParameterStatus at startup and whenever they change. */
    static final List<String> REPORTED = List.of("application_name", "client_encoding", "DateStyle", "default_transaction_read_only",
            "in_hot_standby", "integer_datetimes", "IntervalStyle", "is_superuser", "server_encoding", "server_version",
            "session_authorization", "standard_conforming_strings", "TimeZone");

    /** Notices raised while a local statement ran (e.g. pg_cancel_backend's WARNING), sent before its result. */
    private final List<PgError> notices = new java.util.ArrayList<>();

    void addNotice(PgError notice) {
        notices.add(notice);
    }

    /** Reported parameters changed by SET since the last flush, sent as ParameterStatus. */
    private final java.util.Set<String> changedReported = new java.util.LinkedHashSet<>();

    void reportIfTracked(String name) {
        for (String r : REPORTED) {
            if (r.equalsIgnoreCase(name)) {
                changedReported.add(r);
            }
        }
    }

    TxStatus status() {
        return status;
    }

    // ---- preparing ----------------------------------------------------------------------

    /** Whether the session may use host-reaching H2 features (the server's --allow-host-access, superuser only). */
    boolean hostAccessAllowed() {
        return superuser && server.allowHostAccess();
    }

    boolean inTransaction() {
        return status != TxStatus.IDLE || implicitTx;
    }

    boolean isReadOnly() {
        return transactionReadOnly != null ? transactionReadOnly : defaultReadOnly;
    }

    void setDefaultReadOnly(boolean readOnly) {
        defaultReadOnly = readOnly;
    }

    void setTransactionReadOnly(boolean readOnly) {
        transactionReadOnly = readOnly;
    }

    /** Parses one statement (extended protocol or one piece of a simple query). */
    Prepared prepare(String sql, int[] declaredOids) throws SQLException {
        StatementClassifier.Route route = classifier.classify(sql);
        if (route.empty()) {
            return new Prepared(sql, declaredOids, null, null, null, true);
        }
        if (route.copy() != null) {
            // pgJDBC's CopyManager and psql send COPY as a simple Query, as PostgreSQL's own clients do
            throw new SQLException("COPY is supported only in a simple Query message (psql \\copy, pgJDBC CopyManager)",
                    SqlStates.FEATURE_NOT_SUPPORTED);
        }
        LocalStatement local = route.local();
        SqlText.Placeholders ph = SqlText.toJdbc(local == null ? SqlText.rewriteSessionUser(SqlText.rewriteByteaLiterals(sql), user) : sql);
        int count = Math.max(ph.count(), declaredOids.length);
        int[] oids = java.util.Arrays.copyOf(declaredOids, count);
        boolean[] declared = new boolean[count];
        for (int i = 0; i < declaredOids.length; i++) {
            declared[i] = declaredOids[i] != 0;
        }
        if (local != null) {
            for (int i = 0; i < count; i++) {
                if (oids[i] == 0) {
                    oids[i] = PgType.TEXT.oid;
                }
            }
            return withDeclared(new Prepared(sql, oids, local, null, ph, false), declared);
        }
        checkNotFailed();
        classifier.checkDatabaseText(ph.sql());
        PreparedStatement ps = (classifier.observesSessions(route.statement()) ? observer() : conn).prepareStatement(ph.sql());
        try {
            if (count > 0 && java.util.Arrays.stream(oids).anyMatch(o -> o == 0)) {
                ParameterMetaData pmd = ps.getParameterMetaData();
                for (int k = 0; k < ph.order().length && k < pmd.getParameterCount(); k++) {
                    int p = ph.order()[k];
                    if (p >= 0 && oids[p] == 0) {
                        oids[p] = PgType.fromJdbc(pmd.getParameterType(k + 1), pmd.getParameterTypeName(k + 1), pmd.getPrecision(k + 1)).oid;
                    }
                }
            }
        } catch (SQLException e) {
            // H2 cannot always describe parameters; leave them as text
        }
        for (int i = 0; i < count; i++) {
            if (oids[i] == 0) {
                oids[i] = PgType.TEXT.oid;
            }
        }
        return withDeclared(new Prepared(sql, oids, null, ps, ph, false), declared);
    }

    private static Prepared withDeclared(Prepared p, boolean[] declared) {
        System.arraycopy(declared, 0, p.declared, 0, declared.length);
        return p;
    }

    // ---- executing ----------------------------------------------------------------------

    /**
     * Runs (or resumes) a portal, writing DataRows and then CommandComplete or PortalSuspended.
     * When {@code describe} is set (simple query) a RowDescription goes first.
     */
    void execute(Portal portal, int maxRows, boolean describe, MessageWriter out) throws SQLException, IOException {
        Prepared p = portal.prepared;
        if (p.empty) {
            out.begin('I').end();
            return;
        }
        if (portal.completedTag != null) {
            out.commandComplete(portal.completedTag);
            return;
        }
        if (!portal.started) {
            portal.started = true;
            if (p.local != null) {
                PgError notice = startLocal(portal);
                if (notice != null) {
                    out.error('N', notice);
                }
                for (PgError n : notices) {
                    out.error('N', n);
                }
                notices.clear();
                for (String name : changedReported) {
                    out.parameterStatus(name, settings.getOrDefault(name, ""));
                }
                changedReported.clear();
            } else {
                checkNotFailed();
                beginImplicit();
                startJdbc(portal, out);
                if (portal.resultSet == null) {
                    out.commandComplete(portal.completedTag);
                    return;
                }
            }
            if (describe && !portal.columns.isEmpty()) {
                out.rowDescription(portal.columns, portal.formats(portal.columns.size()));
            }
        }
        if (portal.completedTag != null && portal.localRows == null) {
            out.commandComplete(portal.completedTag);
            return;
        }
        streamRows(portal, maxRows, out);
    }

    private PgError startLocal(Portal portal) throws SQLException {
        notices.clear();
        if (status == TxStatus.FAILED && !SessionCommands.allowedInFailedTransaction(portal.prepared.sql)) {
            checkNotFailed();
        }
        LocalStatement.Result r = portal.prepared.local.execute(portal.params);
        portal.columns = portal.prepared.local.columns();
        portal.completedTag = r.tag();
        portal.localRows = portal.columns.isEmpty() ? null : r.rows().iterator();
        return r.notice();
    }

    private void startJdbc(Portal portal, MessageWriter out) throws SQLException, IOException {
        PreparedStatement ps = portal.prepared.jdbc;
        int[] order = portal.prepared.placeholders.order();
        for (int k = 0; k < order.length; k++) {
            int p = order[k];
            if (p < 0) {
                throw new SQLException("operator \"?\" is not supported; use $n parameters", SqlStates.FEATURE_NOT_SUPPORTED);
            }
            Object v = portal.params[p];
            if (v == null) {
                ps.setNull(k + 1, java.sql.Types.NULL);
            } else {
                ps.setObject(k + 1, v);
            }
        }
        applyQueryTimeout();
        cancelRequested = false; // a CancelRequest that came while idle does not carry over, as in PostgreSQL
        running = ps;
        boolean hasRows;
        try {
            checkClientPresent();
            hasRows = ps.execute();
        } finally {
            running = null;
            sendGuestNotices(ps, out); // before the ErrorResponse too, as PostgreSQL sends a function's NOTICEs
        }
        if (hasRows) {
            portal.resultSet = ps.getResultSet();
            portal.columns = Results.labelLikePostgres(Results.columns(portal.resultSet.getMetaData(), foldUpper), portal.prepared.sql);
        } else {
            portal.columns = List.of();
            portal.completedTag = SqlText.commandTag(portal.prepared.sql, ps.getLargeUpdateCount());
        }
    }

    /**
     * Executes one statement of a simple Query message through a plain JDBC Statement; a COPY
     * reads its data from {@code copyIn}.
     */
    void executeSimple(String sql, MessageWriter out, CopyCommand.Input copyIn) throws SQLException, IOException {
        StatementClassifier.Route route = classifier.classify(sql);
        if (route.copy() != null) {
            cancelRequested = false;
            new CopyCommand(this, route.copy()).run(out, copyIn);
            return;
        }
        if (route.empty() || route.local() != null) {
            Prepared local = new Prepared(sql, new int[0], route.local(), null, null, route.empty());
            execute(new Portal(local, new Object[0], new short[0]), 0, true, out);
            return;
        }
        checkNotFailed();
        String h2Sql = SqlText.rewriteSessionUser(SqlText.rewriteByteaLiterals(sql), user);
        classifier.checkDatabaseText(h2Sql);
        beginImplicit();
        try (Statement st = (classifier.observesSessions(route.statement()) ? observer() : conn).createStatement()) {
            applyQueryTimeout();
            cancelRequested = false;
            running = st;
            boolean hasRows;
            try {
                checkClientPresent();
                hasRows = st.execute(h2Sql);
            } finally {
                running = null;
                sendGuestNotices(st, out);
            }
            if (!hasRows) {
                out.commandComplete(SqlText.commandTag(sql, st.getLargeUpdateCount()));
                return;
            }
            try (ResultSet rs = st.getResultSet()) {
                Portal portal = new Portal(null, null, new short[0]);
                portal.resultSet = rs;
                portal.columns = Results.labelLikePostgres(Results.columns(rs.getMetaData(), foldUpper), sql);
                out.rowDescription(portal.columns, null);
                streamRows(portal, 0, out);
            }
        }
    }

    /**
     * Sends what wasm functions wrote during the statement (the statement's SQLWarnings, see
     * {@code io.wasmudf.h2.GuestOutput}) as NoticeResponses: SQLSTATE 00000 as a NOTICE, any other
     * as a WARNING. Nothing is lost when the client cannot be written to: the statement's result
     * or error follows and fails the same way.
     */
    private static void sendGuestNotices(Statement st, MessageWriter out) throws IOException {
        SQLWarning w;
        try {
            w = st.getWarnings();
            st.clearWarnings();
        } catch (SQLException e) {
            return; // a closed statement has no warnings to send
        }
        for (; w != null; w = w.getNextWarning()) {
            String state = w.getSQLState() == null ? "01000" : w.getSQLState();
            out.error('N', new PgError(state.equals("00000") ? "NOTICE" : "WARNING", state, String.valueOf(w.getMessage()), null, null, 0));
        }
    }

    private void streamRows(Portal portal, int maxRows, MessageWriter out) throws SQLException, IOException {
        List<Column> cols = portal.columns;
        short[] formats = portal.formats(cols.size());
        int sent = 0;
        if (portal.localRows != null) {
            while (portal.localRows.hasNext()) {
                if (maxRows > 0 && sent == maxRows) {
                    out.begin('s').end();
                    return;
                }
                Object[] row = portal.localRows.next();
                byte[][] cells = new byte[cols.size()][];
                for (int i = 0; i < cells.length; i++) {
                    Object v = i < row.length ? row[i] : null;
                    cells[i] = v == null ? null : Results.encode(cols.get(i).type(), v, formats[i]);
                }
                out.dataRow(cells);
                sent++;
            }
            portal.localRows = null;
            out.commandComplete(portal.completedTag);
            return;
        }
        ResultSet rs = portal.resultSet;
        while (true) {
            if (maxRows > 0 && sent == maxRows) {
                out.begin('s').end();
                return;
            }
            running = rs.getStatement();
            boolean more;
            try {
                checkClientPresent();
                more = rs.next();
            } finally {
                running = null;
            }
            if (!more) {
                break;
            }
            byte[][] cells = new byte[cols.size()][];
            for (int i = 0; i < cells.length; i++) {
                PgType t = cols.get(i).type();
                Object v = Results.value(rs, i + 1, t);
                cells[i] = v == null ? null : Results.encode(t, v, formats[i]);
            }
            out.dataRow(cells);
            sent++;
            portal.rowCount++;
        }
        portal.completedTag = "SELECT " + portal.rowCount;
        portal.close();
        out.commandComplete(portal.completedTag);
    }

    /** One JDBC call that a CancelRequest or statement_timeout may stop. */
    interface JdbcCall<T> {
        T call() throws SQLException;
    }

    /**
     * Runs one of many calls of a long command (COPY's rows) on {@code st} so that a cancel stops
     * it; a cancel that came between two calls stops the next one before it starts.
     */
    <T> T tracked(Statement st, JdbcCall<T> call) throws SQLException {
        applyQueryTimeout();
        running = st;
        try {
            checkClientPresent();
            if (cancelRequested) {
                throw new SQLException("canceling statement due to user request", SqlStates.QUERY_CANCELED);
            }
            return call.call();
        } finally {
            running = null;
        }
    }

    // ---- transactions -------------------------------------------------------------------

    void checkNotFailed() throws SQLException {
        if (status == TxStatus.FAILED) {
            throw new SQLException("current transaction is aborted, commands ignored until end of transaction block",
                    SqlStates.IN_FAILED_TRANSACTION);
        }
    }

    void beginImplicit() throws SQLException {
        if (status == TxStatus.IDLE && !implicitTx) {
            conn.setAutoCommit(false);
            implicitTx = true;
        }
    }

    /** An error happened: an explicit block becomes failed, an implicit one is rolled back later. */
    void onError() {
        if (status == TxStatus.IN_BLOCK) {
            status = TxStatus.FAILED;
        }
    }

    /** End of a simple Query message or a Sync: settles the implicit transaction. */
    void endImplicit(boolean success) throws SQLException {
        if (!implicitTx) {
            return;
        }
        implicitTx = false;
        transactionReadOnly = null;
        try {
            if (success) {
                conn.commit();
            } else {
                conn.rollback();
            }
        } finally {
            conn.setAutoCommit(true);
        }
    }

    String begin() throws SQLException {
        if (status != TxStatus.IDLE) {
            return null;
        }
        implicitTx = false;
        conn.setAutoCommit(false);
        status = TxStatus.IN_BLOCK;
        return "BEGIN";
    }

    /** COMMIT; a failed block is rolled back instead (tag ROLLBACK), as PostgreSQL does. */
    String commit() throws SQLException {
        return end(true);
    }

    String rollback() throws SQLException {
        return end(false);
    }

    /** Ends the transaction in progress, committing it if {@code commit} and it has not failed; its tag, or null when idle. */
    private String end(boolean commit) throws SQLException {
        if (implicitTx) {
            endImplicit(commit);
            return commit ? "COMMIT" : "ROLLBACK";
        }
        if (status == TxStatus.IDLE) {
            return null;
        }
        boolean commits = commit && status != TxStatus.FAILED;
        try {
            if (commits) {
                conn.commit();
            } else {
                conn.rollback();
            }
        } finally {
            endBlock();
        }
        return commits ? "COMMIT" : "ROLLBACK";
    }

    private void endBlock() throws SQLException {
        status = TxStatus.IDLE;
        transactionReadOnly = null;
        savepoints.clear();
        conn.setAutoCommit(true);
    }

    void savepoint(String name) throws SQLException {
        if (status == TxStatus.IDLE) {
            throw new SQLException("SAVEPOINT can only be used in transaction blocks", "25P01");
        }
        savepoints.put(name.toLowerCase(java.util.Locale.ROOT), conn.setSavepoint(name));
    }

    void rollbackTo(String name) throws SQLException {
        Savepoint sp = savepoints.get(name.toLowerCase(java.util.Locale.ROOT));
        if (sp == null) {
            throw new SQLException("savepoint \"" + name + "\" does not exist", "3B001");
        }
        conn.rollback(sp);
        if (status == TxStatus.FAILED) {
            status = TxStatus.IN_BLOCK;
        }
    }

    void release(String name) throws SQLException {
        Savepoint sp = savepoints.remove(name.toLowerCase(java.util.Locale.ROOT));
        if (sp == null) {
            throw new SQLException("savepoint \"" + name + "\" does not exist", "3B001");
        }
        conn.releaseSavepoint(sp);
    }

    /** Whether the last cancellation came from a CancelRequest; clears the flag. */
    boolean takeCancelRequested() {
        boolean r = cancelRequested;
        cancelRequested = false;
        return r;
    }

    boolean hasStatementTimeout() {
        return queryTimeoutMillis > 0;
    }

    void setQueryTimeoutMillis(long millis) {
        queryTimeoutMillis = Math.max(0, millis);
    }

    /**
     * Gives statement_timeout to H2 with millisecond precision: H2's {@code SET QUERY_TIMEOUT} takes
     * milliseconds, where JDBC's {@code setQueryTimeout} would round up to whole seconds. Only
     * when it changed, since it is a statement of its own.
     */
    private void applyQueryTimeout() throws SQLException {
        if (queryTimeoutMillis != appliedTimeoutMillis) {
            try (Statement st = conn.createStatement()) {
                st.execute("SET QUERY_TIMEOUT " + Math.min(queryTimeoutMillis, Integer.MAX_VALUE));
            }
            appliedTimeoutMillis = queryTimeoutMillis;
        }
    }

    /** The client hung up: whatever runs now is cancelled, and no statement starts any more. */
    private volatile boolean gone;

    void clientGone() {
        gone = true;
        cancel();
    }

    /** Called right after {@code running} is set: a client that is gone gets no more work done. */
    private void checkClientPresent() throws SQLException {
        if (gone) {
            throw new SQLException("canceling statement: the client closed the connection", SqlStates.QUERY_CANCELED);
        }
    }

    /** Cancels the statement running right now, if any (CancelRequest from another connection). */
    void cancel() {
        Statement st = running;
        cancelRequested = true;
        if (st != null && cancelOnce(st) && pg != null) {
            // a cancel that lands just before a guest call begins would be lost: repeat it while the same statement runs
            pg.repeatWhile(() -> running == st && cancelOnce(st));
        }
    }

    private static boolean cancelOnce(Statement st) {
        try {
            st.cancel();
            return true;
        } catch (SQLException finishedMeanwhile) {
            return false;
        }
    }

    /** The server's connection for a superuser's look at every session ({@link StatementClassifier#observesSessions}). */
    private Connection observer;

    private Connection observer() throws SQLException {
        if (observer == null || observer.isClosed()) {
            observer = pg.openConnection(null);
            observer.setReadOnly(true);
        }
        return observer;
    }

    @Override
    public void close() {
        try {
            if (observer != null) {
                observer.close();
            }
        } catch (SQLException ignored) {
            // nothing more to release
        }
        try {
            if (!conn.getAutoCommit()) {
                conn.rollback();
            }
        } catch (SQLException ignored) {
            // the connection may already be broken
        }
        try {
            conn.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }
}
