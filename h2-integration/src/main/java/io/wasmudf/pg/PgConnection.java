package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.sql.SQLException;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One client connection: startup and authentication, then the simple and extended query protocols. */
final class PgConnection implements Runnable {
    private static final Logger LOG = Logger.getLogger(PgConnection.class.getName());

    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;
    static final int PROTOCOL_3_0 = 196608;

    final PgServer server;
    final Socket socket;
    final int processId;
    final int secretKey;
    MessageReader in;
    MessageWriter out;
    volatile Session session;
    private final Map<String, Prepared> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    /** After an error in the extended protocol, messages are discarded until Sync. */
    private boolean skipUntilSync;
    private boolean errorSinceSync;
    /** The role whose session slot this connection holds (null: none). */
    String claimedRole;
    boolean encrypted;
    volatile Socket tlsSocket;
    /** pg_terminate_backend or server shutdown ended this connection (the client is told so). */
    private volatile boolean terminated;
    /** Counted down when this connection's thread is done with its session. */
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    /** Messages read ahead by the reader thread, so a client that hangs up is noticed while a statement runs. */
    private final java.util.concurrent.BlockingQueue<Object> inbox = new java.util.concurrent.LinkedBlockingQueue<>();
    /** Bytes the reader may hold ahead of the session; beyond them it stops reading until messages are processed. */
    private final java.util.concurrent.Semaphore readAhead = new java.util.concurrent.Semaphore(READ_AHEAD_BYTES);
    static final int READ_AHEAD_BYTES = 8 << 20;
    /** Messages before authentication are at most this long (the startup packet's own limit). */
    static final int MAX_PRE_AUTH_MESSAGE = MessageReader.MAX_STARTUP_LENGTH;

    PgConnection(PgServer server, Socket socket, int processId, int secretKey) {
        this.server = server;
        this.socket = socket;
        this.processId = processId;
        this.secretKey = secretKey;
    }

    @Override
    public void run() {
        String who = String.valueOf(socket.getRemoteSocketAddress());
        java.util.concurrent.Future<?> authClock = server.startAuthenticationClock(socket);
        boolean starting = true;
        try {
            socket.setTcpNoDelay(true);
            in = new MessageReader(new BufferedInputStream(socket.getInputStream(), 16 * 1024), MAX_PRE_AUTH_MESSAGE);
            out = new MessageWriter(new BufferedOutputStream(socket.getOutputStream(), 16 * 1024));
            boolean ready = new PgStartup(this).startup();
            authClock.cancel(false);
            starting = false;
            server.startupDone();
            if (ready) {
                in.setMaxMessageLength(server.settings().maxMessageLength());
                startReader();
                loop();
            }
        } catch (ProtocolException e) {
            LOG.log(Level.WARNING, "dropping connection from " + who + ": protocol violation: " + e.getMessage());
            sendFatal(PgError.fatal(SqlStates.PROTOCOL_VIOLATION, e.getMessage()));
        } catch (EOFException e) {
            if (terminated) {
                sendFatal(PgError.fatal(SqlStates.ADMIN_SHUTDOWN, "terminating connection due to administrator command"));
            } else if (!server.isStopping()) {
                LOG.log(Level.FINE, "connection from " + who + " closed without Terminate");
            }
        } catch (SocketException e) {
            if (!server.isStopping()) {
                LOG.log(Level.INFO, "lost connection from " + who + ": " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.log(Level.INFO, "connection from " + who + " failed: " + e);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "internal error on connection from " + who, e);
            sendFatal(PgError.fatal(SqlStates.INTERNAL_ERROR, "internal error: " + e));
        } finally {
            authClock.cancel(false);
            if (starting) {
                server.startupDone();
            }
            closeQuietly();
            server.unregister(this);
            finished.countDown();
        }
    }

    Session session() {
        return session;
    }

    /**
     * After authentication one thread reads the client's messages into the inbox while this one
     * executes them: when the client hangs up, the reader sees it at once and cancels the running
     * statement (a guest call stops within a millisecond), instead of running on until it ends.
     */
    private void startReader() {
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    MessageBody m = in.read();
                    readAhead.acquire(cost(m));
                    inbox.put(m);
                    if (m.type == 'X') {
                        return;
                    }
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                inbox.add(e);
                stopWork();
            }
        }, "pg-read-" + processId);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The client is gone (or broke the protocol): cancel what its session runs now, and keep
     * cancelling until the session's thread is done, since a cancel that arrives just before a
     * guest call begins would not stop it.
     */
    private void stopWork() {
        Session s = session;
        if (s == null) {
            return;
        }
        s.clientGone();
        try {
            while (!finished.await(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                s.cancel();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int cost(MessageBody m) {
        return Math.min(READ_AHEAD_BYTES, m.remaining() + 5);
    }

    /** The next message from the reader; the reader's failure (EOF, protocol violation) is rethrown here. */
    private MessageBody next() throws IOException {
        Object o;
        try {
            o = inbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        if (o instanceof MessageBody m) {
            readAhead.release(cost(m));
            return m;
        }
        if (o instanceof IOException e) {
            throw e;
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        throw new EOFException();
    }

    /** Asks the running statement to stop (CancelRequest). */
    void cancel() {
        Session s = session;
        if (s != null) {
            s.cancel();
        }
    }

    /** Server shutdown: tell the client why, then drop the socket so the loop ends. */
    void terminate() {
        terminated = true;
        Session s = session;
        if (s != null) {
            s.cancel();
        }
        try {
            socket.shutdownInput();
        } catch (IOException ignored) {
            // already closed
        }
    }

    void sendFatal(PgError e) {
        try {
            if (out != null) {
                out.error('E', e);
                out.flush();
            }
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private void closeQuietly() {
        for (Portal p : portals.values()) {
            p.close();
        }
        for (Prepared p : statements.values()) {
            p.close();
        }
        portals.clear();
        statements.clear();
        Session s = session;
        if (s != null) {
            s.close();
        }
        if (claimedRole != null) {
            server.releaseSession(claimedRole);
            claimedRole = null;
        }
        try {
            if (tlsSocket != null) {
                tlsSocket.close();
            }
        } catch (IOException ignored) {
            // the raw socket below is closed anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    // ---- main loop ----------------------------------------------------------------------

    private void loop() throws IOException {
        while (true) {
            MessageBody m = next();
            if (server.isStopping()) {
                sendFatal(PgError.fatal(SqlStates.ADMIN_SHUTDOWN, "terminating connection due to administrator command"));
                return;
            }
            switch (m.type) {
                case 'Q':
                    simpleQuery(m);
                    break;
                case 'P':
                case 'B':
                case 'D':
                case 'E':
                case 'C':
                    if (!skipUntilSync) {
                        extended(m);
                    }
                    break;
                case 'H':
                    out.flush();
                    break;
                case 'S':
                    m.end();
                    sync();
                    break;
                case 'X':
                    return;
                case 'd':
                case 'c':
                case 'f':
                    break; // copy messages outside COPY are ignored, as PostgreSQL does
                case 'F':
                    error(PgError.error(SqlStates.FEATURE_NOT_SUPPORTED, "the fastpath function call protocol is not supported"));
                    out.readyForQuery(session.status().code);
                    break;
                default:
                    throw new ProtocolException("invalid frontend message type " + (int) m.type);
            }
        }
    }

    private void simpleQuery(MessageBody m) throws IOException {
        String sql = m.cstring();
        m.end();
        // a simple query closes the unnamed statement and portal, as in PostgreSQL
        closeStatement("");
        closePortal("");
        List<String> pieces = SqlText.split(sql);
        boolean ok = true;
        if (pieces.isEmpty()) {
            out.begin('I').end();
        }
        int searchFrom = 0;
        for (String piece : pieces) {
            int offset = Math.max(0, sql.indexOf(piece, searchFrom));
            searchFrom = offset + piece.length();
            try {
                session.executeSimple(piece, out, this::copyData);
            } catch (SQLException | RuntimeException e) {
                // positions count from the start of the whole query string, as psql expects
                error(toError(e, piece).shifted(offset));
                ok = false;
                break;
            }
        }
        settleImplicit(ok);
        out.readyForQuery(session.status().code);
    }

    /**
     * The next CopyData of a COPY FROM STDIN, null at CopyDone. Flush and Sync are ignored while
     * copying, as PostgreSQL does; CopyFail ends the COPY with the client's message; any other
     * message is a protocol violation.
     */
    private byte[] copyData() throws IOException, SQLException {
        while (true) {
            MessageBody m = next();
            switch (m.type) {
                case 'd':
                    return m.bytes(m.remaining());
                case 'c':
                    return null;
                case 'f':
                    throw new SQLException("COPY from stdin failed: " + m.cstring(), SqlStates.QUERY_CANCELED);
                case 'H':
                case 'S':
                    break;
                case 'X':
                    throw new EOFException();
                default:
                    throw new ProtocolException("unexpected message type 0x" + Integer.toHexString(m.type) + " during COPY from stdin");
            }
        }
    }

    private void sync() throws IOException {
        boolean ok = !errorSinceSync;
        skipUntilSync = false;
        errorSinceSync = false;
        settleImplicit(ok);
        if (session.status() == Session.TxStatus.IDLE) {
            // portals live only until the end of their transaction
            for (Portal p : portals.values()) {
                p.close();
            }
            portals.clear();
        }
        out.readyForQuery(session.status().code);
    }

    private void settleImplicit(boolean ok) throws IOException {
        try {
            session.endImplicit(ok);
        } catch (SQLException e) {
            error(toError(e, null));
        }
    }

    private void extended(MessageBody m) throws IOException {
        try {
            switch (m.type) {
                case 'P':
                    parse(m);
                    break;
                case 'B':
                    bind(m);
                    break;
                case 'D':
                    describe(m);
                    break;
                case 'E':
                    executePortal(m);
                    break;
                case 'C':
                    close(m);
                    break;
                default:
                    throw new IllegalStateException();
            }
        } catch (SQLException | RuntimeException e) {
            error(toError(e, null));
            skipUntilSync = true;
            errorSinceSync = true;
        }
    }

    private void parse(MessageBody m) throws IOException, SQLException {
        String name = m.cstring();
        String sql = m.cstring();
        int n = m.int16();
        if (n < 0) {
            throw new ProtocolException("invalid number of parameter types: " + n);
        }
        int[] oids = new int[n];
        for (int i = 0; i < n; i++) {
            oids[i] = m.int32();
        }
        m.end();
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw new SQLException("prepared statement \"" + name + "\" already exists", SqlStates.DUPLICATE_PREPARED_STATEMENT);
        }
        closeStatement(name);
        statements.put(name, session.prepare(sql, oids));
        out.begin('1').end();
    }

    private void bind(MessageBody m) throws IOException, SQLException {
        String portalName = m.cstring();
        String stmtName = m.cstring();
        short[] paramFormats = shorts(m);
        int nparams = m.int16();
        if (nparams < 0) {
            throw new ProtocolException("invalid number of parameters: " + nparams);
        }
        byte[][] raw = new byte[nparams][];
        for (int i = 0; i < nparams; i++) {
            int len = m.int32();
            raw[i] = len == -1 ? null : m.bytes(len);
        }
        short[] resultFormats = shorts(m);
        m.end();
        Prepared p = statements.get(stmtName);
        if (p == null) {
            throw new SQLException("prepared statement \"" + stmtName + "\" does not exist", SqlStates.INVALID_STATEMENT_NAME);
        }
        if (nparams != p.paramOids.length) {
            throw new SQLException("bind message supplies " + nparams + " parameters, but prepared statement \"" + stmtName
                    + "\" requires " + p.paramOids.length, SqlStates.PROTOCOL_VIOLATION);
        }
        if (paramFormats.length > 1 && paramFormats.length != nparams) {
            throw new SQLException("bind message has " + paramFormats.length + " parameter formats but " + nparams + " parameters",
                    SqlStates.PROTOCOL_VIOLATION);
        }
        checkFormats(paramFormats);
        checkFormats(resultFormats);
        Object[] values = new Object[nparams];
        for (int i = 0; i < nparams; i++) {
            if (raw[i] == null) {
                continue;
            }
            short format = paramFormats.length == 0 ? 0 : paramFormats.length == 1 ? paramFormats[0] : paramFormats[i];
            PgType type = PgType.byOid(p.paramOids[i]);
            if (format == 1) {
                values[i] = PgCodec.fromBinary(type, raw[i]);
            } else if (p.declared[i]) {
                values[i] = decodeText(type, raw[i], i);
            } else {
                // the type was only inferred: if the text does not parse, let the database convert it
                try {
                    values[i] = PgCodec.fromText(type, new String(raw[i], java.nio.charset.StandardCharsets.UTF_8));
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    values[i] = new String(raw[i], java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        if (!portalName.isEmpty() && portals.containsKey(portalName)) {
            throw new SQLException("portal \"" + portalName + "\" already exists", "42P03");
        }
        if (resultFormats.length > 1 && resultFormats.length != p.columns(session.foldUpper).size()) {
            throw new SQLException("bind message has " + resultFormats.length + " result formats but query has "
                    + p.columns(session.foldUpper).size() + " columns", SqlStates.PROTOCOL_VIOLATION);
        }
        closePortal(portalName);
        portals.put(portalName, new Portal(p, values, resultFormats));
        out.begin('2').end();
    }

    private static Object decodeText(PgType type, byte[] raw, int index) throws SQLException {
        String s = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
        try {
            return PgCodec.fromText(type, s);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            String typeName = type == null ? "text" : type.sqlName;
            throw new SQLException("invalid input syntax for type " + typeName + ": \"" + s + "\" (parameter $" + (index + 1) + ")",
                    SqlStates.INVALID_TEXT_REPRESENTATION, e);
        }
    }

    private static void checkFormats(short[] formats) throws SQLException {
        for (short f : formats) {
            if (f != 0 && f != 1) {
                throw new SQLException("unsupported format code: " + f, SqlStates.PROTOCOL_VIOLATION);
            }
        }
    }

    private static short[] shorts(MessageBody m) throws ProtocolException {
        int n = m.int16();
        if (n < 0) {
            throw new ProtocolException("invalid format code count: " + n);
        }
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = m.int16();
        }
        return s;
    }

    private void describe(MessageBody m) throws IOException, SQLException {
        byte kind = m.int8();
        String name = m.cstring();
        m.end();
        if (kind == 'S') {
            Prepared p = statements.get(name);
            if (p == null) {
                throw new SQLException("prepared statement \"" + name + "\" does not exist", SqlStates.INVALID_STATEMENT_NAME);
            }
            out.begin('t').int16(p.paramOids.length);
            for (int oid : p.paramOids) {
                out.int32(oid);
            }
            out.end();
            describeColumns(p.columns(session.foldUpper), null);
        } else if (kind == 'P') {
            Portal portal = portals.get(name);
            if (portal == null) {
                throw new SQLException("portal \"" + name + "\" does not exist", SqlStates.INVALID_CURSOR_NAME);
            }
            List<Column> cols = portal.columns != null ? portal.columns : portal.prepared.columns(session.foldUpper);
            describeColumns(cols, portal.formats(cols.size()));
        } else {
            throw new ProtocolException("invalid DESCRIBE message subtype " + kind);
        }
    }

    private void describeColumns(List<Column> cols, short[] formats) throws IOException {
        if (cols.isEmpty()) {
            out.begin('n').end();
        } else {
            out.rowDescription(cols, formats);
        }
    }

    private void executePortal(MessageBody m) throws IOException, SQLException {
        String name = m.cstring();
        int maxRows = m.int32();
        m.end();
        Portal portal = portals.get(name);
        if (portal == null) {
            throw new SQLException("portal \"" + name + "\" does not exist", SqlStates.INVALID_CURSOR_NAME);
        }
        session.execute(portal, maxRows, false, out);
    }

    private void close(MessageBody m) throws IOException {
        byte kind = m.int8();
        String name = m.cstring();
        m.end();
        if (kind == 'S') {
            closeStatement(name);
        } else if (kind == 'P') {
            closePortal(name);
        } else {
            throw new ProtocolException("invalid CLOSE message subtype " + kind);
        }
        out.begin('3').end();
    }

    private void closeStatement(String name) {
        Prepared p = statements.remove(name);
        if (p != null) {
            portals.values().removeIf(portal -> {
                if (portal.prepared == p) {
                    portal.close();
                    return true;
                }
                return false;
            });
            p.close();
        }
    }

    private void closePortal(String name) {
        Portal p = portals.remove(name);
        if (p != null) {
            p.close();
        }
    }

    // ---- errors -------------------------------------------------------------------------

    private void error(PgError e) throws IOException {
        session.onError();
        out.error('E', e);
    }

    private PgError toError(Exception e, String sql) {
        if (e instanceof SQLException se) {
            PgError err = PgErrors.of(se);
            if (err.sqlState().equals(SqlStates.QUERY_CANCELED) && !session.takeCancelRequested() && session.hasStatementTimeout()) {
                err = new PgError("ERROR", SqlStates.QUERY_CANCELED, "canceling statement due to statement timeout", err.detail(), null, 0);
            }
            if (err.sqlState().equals(SqlStates.INTERNAL_ERROR)) {
                LOG.log(Level.WARNING, "unmapped SQL error" + (sql == null ? "" : " for: " + sql), e);
            }
            return err;
        }
        if (e instanceof IllegalArgumentException || e instanceof ArithmeticException) {
            return PgError.error(SqlStates.INVALID_PARAMETER_VALUE, String.valueOf(e.getMessage()));
        }
        LOG.log(Level.SEVERE, "internal error" + (sql == null ? "" : " for: " + sql), e);
        return PgError.error(SqlStates.INTERNAL_ERROR, "internal error: " + e);
    }
}
