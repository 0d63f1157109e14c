package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs {@code COPY … FROM STDIN} and {@code COPY … TO STDOUT} for one session: the CopyIn/CopyOut
 * sub-protocol, each row as an INSERT or a query row on the session's own connection (so H2
 * checks the role's INSERT or SELECT right, and the statement text passes the
 * {@link StatementClassifier} first), and PostgreSQL's errors with their CONTEXT line. A COPY FROM
 * is one transaction step: it runs in the session's (implicit or explicit) transaction, so an
 * error leaves nothing of it behind once that transaction is rolled back.
 */
final class CopyCommand {
    /** The client's side of COPY FROM STDIN. */
    interface Input {
        /** The next CopyData payload; null at CopyDone; a CopyFail is thrown as 57014. */
        byte[] next() throws IOException, SQLException;
    }

    /** PostgreSQL shows at most this many bytes of a line in a CONTEXT line. */
    private static final int MAX_SHOWN = 100;

    private final Session session;
    private final CopyStatement copy;

    CopyCommand(Session session, CopyStatement copy) {
        this.session = session;
        this.copy = copy;
    }

    void run(MessageWriter out, Input in) throws SQLException, IOException {
        session.checkNotFailed();
        if (copy.from()) {
            copyIn(out, in);
        } else {
            copyOut(out);
        }
    }

    // ---- COPY FROM STDIN ----------------------------------------------------------------

    /** A target column: its name as H2 stores it and as PostgreSQL prints it, its type, and whether it is generated. */
    private record Target(String h2Name, String pgName, PgType type, boolean generated) {
        String quoted() {
            return '"' + h2Name.replace("\"", "\"\"") + '"';
        }
    }

    private void copyIn(MessageWriter out, Input in) throws SQLException, IOException {
        if (session.isReadOnly()) {
            throw new SQLException("cannot execute COPY FROM in a read-only transaction", SqlStates.READ_ONLY_SQL_TRANSACTION);
        }
        List<Target> targets = targets();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(copy.relation()).append(" (");
        for (int k = 0; k < targets.size(); k++) {
            sql.append(k == 0 ? "" : ", ").append(targets.get(k).quoted());
        }
        sql.append(") VALUES (").append("?, ".repeat(targets.size() - 1)).append("?)");
        String insert = sql.toString();
        StatementClassifier.Route route = session.classifier.classify(insert);
        if (route.local() != null) {
            throw CopyStatement.unsupported("COPY FROM into " + copy.relation() + " is not supported");
        }
        session.classifier.checkDatabaseText(insert);
        session.beginImplicit();
        try (PreparedStatement ps = session.conn.prepareStatement(insert)) {
            out.begin('G').int8(0).int16(targets.size());
            for (int k = 0; k < targets.size(); k++) {
                out.int16(0);
            }
            out.end();
            out.flush();
            long[] rows = {0};
            boolean[] notNull = forced("force_not_null", "FORCE_NOT_NULL", targets);
            boolean[] forceNull = forced("force_null", "FORCE_NULL", targets);
            boolean[] headerPending = {copy.format().header()};
            CopyRecords records = new CopyRecords(copy.format(), session.server.maxMessageLength());
            String[] lastLine = {null};
            CopyRecords.Sink sink = text -> {
                lastLine[0] = text;
                List<CopyFormat.Field> fields;
                try {
                    fields = copy.format().fields(text);
                } catch (SQLException e) {
                    throw new ReportedException(PgErrors.of(e).withWhere(where(records.line()) + ": \"" + shown(text) + "\""), e);
                }
                if (headerPending[0]) {
                    headerPending[0] = false;
                    checkHeader(fields, targets, where(records.line()) + ": \"" + shown(text) + "\"");
                    return;
                }
                insertRow(ps, fields, targets, notNull, forceNull, text, records.line());
                rows[0]++;
            };
            try {
                byte[] data;
                while ((data = in.next()) != null) {
                    records.feed(data, sink);
                }
                records.finish(sink);
            } catch (ReportedException e) {
                throw e;
            } catch (SQLException e) {
                if (SqlStates.QUERY_CANCELED.equals(e.getSQLState()) && e.getMessage().startsWith("COPY from stdin failed")) {
                    throw e;
                }
                PgError error = PgErrors.of(e);
                // PostgreSQL shows the line for the checks made while it still holds it (NOT NULL, CHECK), not for
                // those made when its buffered rows are flushed (unique keys)
                boolean showLine = lastLine[0] != null && (error.sqlState().equals("23502") || error.sqlState().equals("23514"));
                throw new ReportedException(error.withWhere(where(records.line()) + (showLine ? ": \"" + shown(lastLine[0]) + "\"" : "")), e);
            }
            out.commandComplete("COPY " + rows[0]);
        }
    }

    private String where(int line) {
        return "COPY " + copy.displayName() + ", line " + line;
    }

    /**
     * Which of {@code targets} the FORCE_* option {@code option} names (all false when it is not
     * given), each name checked as PostgreSQL checks it: a column of the table, and one the COPY moves.
     */
    private boolean[] forced(String option, String shown, List<Target> targets) throws SQLException {
        boolean[] out = new boolean[targets.size()];
        CopyStatement.ForceList list = copy.force().get(option);
        if (list == null) {
            return out;
        }
        if (list.all()) {
            java.util.Arrays.fill(out, true);
            return out;
        }
        for (StatementLexer.Token t : list.columns()) {
            String wanted = h2Name(t);
            if (tableColumns().stream().noneMatch(c -> c.h2Name().equals(wanted))) {
                throw new SQLException("column \"" + CopyStatement.pgName(t) + "\" of relation \"" + copy.displayName() + "\" does not exist",
                        "42703");
            }
            int k = indexOf(targets, wanted);
            if (k < 0) {
                throw new SQLException(shown + " column \"" + CopyStatement.pgName(t) + "\" not referenced by COPY", "42P10");
            }
            out[k] = true;
        }
        return out;
    }

    private static int indexOf(List<Target> targets, String h2Name) {
        for (int k = 0; k < targets.size(); k++) {
            if (targets.get(k).h2Name().equals(h2Name)) {
                return k;
            }
        }
        return -1;
    }

    /** The columns COPY reads or writes: the list given, else every column of the table but the generated ones, in order. */
    private List<Target> targets() throws SQLException {
        List<Target> all = tableColumns();
        if (copy.columns().isEmpty()) {
            return all.stream().filter(t -> !t.generated()).toList();
        }
        List<Target> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (StatementLexer.Token t : copy.columnTokens()) {
            String wanted = h2Name(t);
            Target found = all.stream().filter(c -> c.h2Name().equals(wanted)).findFirst().orElse(null);
            if (found == null) {
                throw new SQLException("column \"" + CopyStatement.pgName(t) + "\" of relation \"" + copy.displayName() + "\" does not exist",
                        "42703");
            }
            if (found.generated()) {
                throw new ReportedException(new PgError("ERROR", "42P10", "column \"" + found.pgName() + "\" is a generated column",
                        "Generated columns cannot be used in COPY.", null, 0));
            }
            if (!seen.add(found.h2Name())) {
                throw new SQLException("column \"" + found.pgName() + "\" specified more than once", "42701");
            }
            out.add(found);
        }
        return out;
    }

    /** An identifier as H2 stores it: unquoted names folded as the database folds them. */
    private String h2Name(StatementLexer.Token t) {
        if (t.kind() != StatementLexer.Kind.WORD) {
            return t.value();
        }
        return session.foldUpper ? t.value().toUpperCase(Locale.ROOT) : t.value().toLowerCase(Locale.ROOT);
    }

    private List<Target> tableColumns;

    /** Every column of the table, looked up once. */
    private List<Target> tableColumns() throws SQLException {
        if (tableColumns == null) {
            tableColumns = readTableColumns();
        }
        return tableColumns;
    }

    private List<Target> readTableColumns() throws SQLException {
        List<StatementLexer.Token> parts = copy.relationParts();
        String table = h2Name(parts.get(parts.size() - 1));
        String schema = parts.size() > 1 ? h2Name(parts.get(0)) : session.conn.getSchema();
        DatabaseMetaData md = session.conn.getMetaData();
        String esc = md.getSearchStringEscape();
        List<Target> out = new ArrayList<>();
        try (ResultSet rs = md.getColumns(null, like(schema, esc), like(table, esc), null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                PgType type = PgType.fromJdbc(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"), rs.getLong("COLUMN_SIZE"));
                String pg = session.foldUpper && name.equals(name.toUpperCase(Locale.ROOT)) ? name.toLowerCase(Locale.ROOT) : name;
                out.add(new Target(name, pg, type, "YES".equals(rs.getString("IS_GENERATEDCOLUMN"))));
            }
        }
        if (out.isEmpty()) {
            // let the database say why (no such table, or no right to it) in its own terms
            session.conn.prepareStatement("SELECT 1 FROM " + copy.relation() + " WHERE FALSE").close();
            throw new SQLException("relation \"" + copy.displayName() + "\" does not exist", "42P01");
        }
        return out;
    }

    private static String like(String name, String escape) {
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("%", escape + "%").replace("_", escape + "_");
    }

    private void checkHeader(List<CopyFormat.Field> fields, List<Target> targets, String where) throws SQLException {
        if (!copy.format().headerMatch()) {
            return;
        }
        if (fields.size() != targets.size()) {
            throw new ReportedException(PgError.error(CopyFormat.BAD_COPY_FILE_FORMAT, "wrong number of fields in header line: field count is "
                    + fields.size() + ", expected " + targets.size()).withWhere(where));
        }
        for (int k = 0; k < fields.size(); k++) {
            String got = fields.get(k).value();
            if (got == null || !got.equals(targets.get(k).pgName())) {
                throw new ReportedException(PgError.error(CopyFormat.BAD_COPY_FILE_FORMAT, "column name mismatch in header line field "
                        + (k + 1) + ": got " + (got == null ? "null value (\"" + copy.format().nullString() + "\")" : "\"" + got + "\"")
                        + ", expected \"" + targets.get(k).pgName() + "\"").withWhere(where));
            }
        }
    }

    private void insertRow(PreparedStatement ps, List<CopyFormat.Field> fields, List<Target> targets, boolean[] notNull,
            boolean[] forceNull, String text, int line) throws SQLException {
        if (fields.size() > targets.size()) {
            throw new ReportedException(PgError.error(CopyFormat.BAD_COPY_FILE_FORMAT, "extra data after last expected column")
                    .withWhere(where(line) + ": \"" + shown(text) + "\""));
        }
        if (fields.size() < targets.size()) {
            throw new ReportedException(PgError.error(CopyFormat.BAD_COPY_FILE_FORMAT, "missing data for column \""
                    + targets.get(fields.size()).pgName() + "\"").withWhere(where(line) + ": \"" + shown(text) + "\""));
        }
        for (int k = 0; k < fields.size(); k++) {
            Target t = targets.get(k);
            String v = fields.get(k).value();
            // PostgreSQL's FORCE_NOT_NULL reads an unquoted NULL string as that string, FORCE_NULL a quoted one as NULL
            if (v == null && notNull[k]) {
                v = copy.format().nullString();
            } else if (v != null && forceNull[k] && v.equals(copy.format().nullString())) {
                v = null;
            }
            if (v == null) {
                ps.setNull(k + 1, java.sql.Types.NULL);
                continue;
            }
            try {
                Object value = PgCodec.fromText(t.type(), v);
                if (value instanceof String s) {
                    ps.setString(k + 1, s);
                } else {
                    ps.setObject(k + 1, value);
                }
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw new ReportedException(inputError(t.type(), v).withWhere(where(line) + ", column " + t.pgName() + ": \""
                        + shown(fields.get(k).raw()) + "\""), e);
            }
        }
        session.tracked(ps, ps::executeUpdate);
    }

    private static PgError inputError(PgType type, String v) {
        String t = v.strip();
        boolean integer = type == PgType.INT2 || type == PgType.INT4 || type == PgType.INT8;
        if (integer && t.matches("[+-]?\\d+")) {
            return PgError.error(SqlStates.NUMERIC_OUT_OF_RANGE, "value \"" + v + "\" is out of range for type " + type.sqlName);
        }
        return PgError.error(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type " + type.sqlName + ": \"" + v + "\"");
    }

    /** A line as PostgreSQL shows it in CONTEXT: its first 100 bytes, then "...". */
    private static String shown(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_SHOWN) {
            return text;
        }
        int cut = MAX_SHOWN;
        while (cut > 0 && (b[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return new String(b, 0, cut, StandardCharsets.UTF_8) + "...";
    }

    // ---- COPY TO STDOUT -----------------------------------------------------------------

    private void copyOut(MessageWriter out) throws SQLException, IOException {
        String query = copy.query();
        boolean[] forceQuote = null;
        if (query == null) {
            List<Target> targets = targets();
            forceQuote = forced("force_quote", "FORCE_QUOTE", targets);
            query = "SELECT " + String.join(", ", targets.stream().map(Target::quoted).toList()) + " FROM " + copy.relation();
        }
        StatementClassifier.Route route = session.classifier.classify(query);
        if (route.empty() || !route.statement().isQuery()) {
            throw CopyStatement.unsupported("COPY (query) TO supports only queries (SELECT, VALUES, TABLE, WITH … SELECT)");
        }
        if (route.local() != null) {
            LocalStatement local = route.local();
            LocalStatement.Result r = local.execute(new Object[0]);
            List<Column> cols = local.columns();
            forceQuote = queryForceQuote(cols);
            startCopyOut(out, cols);
            long n = 0;
            for (Object[] row : r.rows()) {
                List<String> values = new ArrayList<>(cols.size());
                for (int k = 0; k < cols.size(); k++) {
                    Object v = k < row.length ? row[k] : null;
                    values.add(v == null ? null : PgCodec.toText(cols.get(k).type(), v));
                }
                sendRow(out, values, forceQuote);
                n++;
            }
            endCopyOut(out, n);
            return;
        }
        String h2Sql = SqlText.rewriteByteaLiterals(query);
        session.classifier.checkDatabaseText(h2Sql);
        session.beginImplicit();
        try (Statement st = session.conn.createStatement()) {
            boolean hasRows = session.tracked(st, () -> st.execute(h2Sql));
            if (!hasRows) {
                throw CopyStatement.unsupported("COPY (query) TO supports only queries");
            }
            try (ResultSet rs = st.getResultSet()) {
                List<Column> cols = Results.labelLikePostgres(Results.columns(rs.getMetaData(), session.foldUpper), query);
                if (copy.query() != null) {
                    forceQuote = queryForceQuote(cols);
                }
                startCopyOut(out, cols);
                long n = 0;
                while (session.tracked(st, rs::next)) {
                    List<String> values = new ArrayList<>(cols.size());
                    for (int k = 0; k < cols.size(); k++) {
                        Object v = Results.value(rs, k + 1, cols.get(k).type());
                        values.add(v == null ? null : PgCodec.toText(cols.get(k).type(), v));
                    }
                    sendRow(out, values, forceQuote);
                    n++;
                }
                endCopyOut(out, n);
            }
        }
    }

    private void startCopyOut(MessageWriter out, List<Column> cols) throws IOException {
        out.begin('H').int8(0).int16(cols.size());
        for (int k = 0; k < cols.size(); k++) {
            out.int16(0);
        }
        out.end();
        if (copy.format().header()) {
            List<String> names = new ArrayList<>();
            for (Column c : cols) {
                names.add(c.name());
            }
            sendRow(out, names, null);
        }
    }

    /** FORCE_QUOTE of {@code COPY (query) TO}: the columns of the query's result, by name. */
    private boolean[] queryForceQuote(List<Column> cols) throws SQLException {
        boolean[] out = new boolean[cols.size()];
        CopyStatement.ForceList list = copy.force().get("force_quote");
        if (list == null) {
            return out;
        }
        for (int k = 0; k < cols.size(); k++) {
            out[k] = list.all();
        }
        for (StatementLexer.Token t : list.columns()) {
            String wanted = CopyStatement.pgName(t);
            int k = 0;
            while (k < cols.size() && !cols.get(k).name().equals(wanted)) {
                k++;
            }
            if (k == cols.size()) {
                throw new SQLException("column \"" + wanted + "\" does not exist", "42703");
            }
            out[k] = true;
        }
        return out;
    }

    private void sendRow(MessageWriter out, List<String> values, boolean[] forceQuote) throws IOException {
        StringBuilder line = new StringBuilder();
        copy.format().appendRow(values, forceQuote, line);
        out.begin('d').bytes(line.toString().getBytes(StandardCharsets.UTF_8)).end();
    }

    private static void endCopyOut(MessageWriter out, long rows) throws IOException {
        out.begin('c').end();
        out.commandComplete("COPY " + rows);
    }
}
