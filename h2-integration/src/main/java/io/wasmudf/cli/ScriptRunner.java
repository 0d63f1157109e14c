package io.wasmudf.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Runs the statements of {@code wasmudf sql} as psql runs a script: results and command tags on
 * stdout; errors, notices and warnings on stderr, prefixed {@code wasmudf:FILE:LINE:} for a
 * script as psql prefixes them. By default the first error stops the run (psql's
 * {@code ON_ERROR_STOP=1}: exit status 3 for a script, 1 for statements given on the command line,
 * as {@code psql -c}); with {@code --continue-on-error} every statement runs and the status is 0,
 * as psql's default {@code ON_ERROR_STOP=0}. After an error inside a transaction block the block
 * is aborted as in PostgreSQL: later statements fail with 25P02 until COMMIT (which rolls back)
 * or ROLLBACK, so a script never commits half a block.
 */
final class ScriptRunner {
    static final int STOPPED_SCRIPT = 3;
    static final int STOPPED_COMMAND = 1;

    private final PrintStream out;
    private final PrintStream err;
    private final ResultPrinter printer;
    private final boolean csv;
    private final boolean continueOnError;
    /** The script's name for error prefixes ({@code <stdin>}, a file), null for statements given inline. */
    private final String source;
    private boolean blockFailed;

    ScriptRunner(PrintStream out, PrintStream err, boolean csv, boolean continueOnError, String source) {
        this.out = out;
        this.err = err;
        this.csv = csv;
        this.printer = new ResultPrinter(out, csv);
        this.continueOnError = continueOnError;
        this.source = source;
    }

    /** Runs every statement (or up to the first error); returns the exit status. */
    int run(Connection c, List<SqlScript.Piece> statements) throws SQLException {
        for (SqlScript.Piece p : statements) {
            boolean ok = runOne(c, p);
            reportWarnings(p, c.getWarnings());
            c.clearWarnings();
            if (!ok && !continueOnError) {
                return source == null ? STOPPED_COMMAND : STOPPED_SCRIPT;
            }
        }
        return 0;
    }

    private boolean runOne(Connection c, SqlScript.Piece p) throws SQLException {
        String first = firstWord(p.sql());
        if (blockFailed) {
            boolean toSavepoint = first.equals("ROLLBACK") && p.sql().toUpperCase(Locale.ROOT)
                    .matches("(?s)ROLLBACK\\s+(WORK\\s+|TRANSACTION\\s+)?TO\\b.*");
            if (List.of("COMMIT", "END", "ROLLBACK", "ABORT").contains(first) && !toSavepoint) {
                // PostgreSQL ends an aborted block with ROLLBACK, whichever of them the script wrote
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK");
                }
                blockFailed = false;
                if (!csv) {
                    out.println("ROLLBACK");
                }
                return true;
            }
            if (!toSavepoint) {
                printError(p, "current transaction is aborted, commands ignored until end of transaction block", "25P02");
                return false;
            }
        }
        // one Statement per statement: H2 gives each new Statement the session's query timeout, so
        // SET QUERY_TIMEOUT (or statement_timeout) applies to the statements after it
        try (Statement st = c.createStatement()) {
            execute(st, h2Text(p.sql()), p.sql(), p);
            if (first.equals("ROLLBACK")) {
                blockFailed = false;
            }
            return true;
        } catch (SQLException e) {
            printError(p, e.getMessage(), e.getSQLState());
            blockFailed = !c.getAutoCommit();
            return false;
        }
    }

    private static final java.util.regex.Pattern END_OR_ABORT = java.util.regex.Pattern.compile(
            "(?is)\\s*(END|ABORT)(\\s+(WORK|TRANSACTION))?\\s*");

    /** The text H2 runs: PostgreSQL's END and ABORT are H2's COMMIT and ROLLBACK; statement_timeout as H2's QUERY_TIMEOUT. */
    private static String h2Text(String sql) {
        java.util.regex.Matcher m = END_OR_ABORT.matcher(sql);
        if (m.matches()) {
            return m.group(1).equalsIgnoreCase("END") ? "COMMIT" : "ROLLBACK";
        }
        return Main.statementTimeout(sql);
    }

    private static String firstWord(String sql) {
        String t = sql.stripLeading();
        int end = 0;
        while (end < t.length() && Character.isLetter(t.charAt(end))) {
            end++;
        }
        return t.substring(0, end).toUpperCase(Locale.ROOT);
    }

    /** Runs one statement and prints its results, or its command tag ({@code asWritten}: the text the user wrote). */
    private void execute(Statement st, String sql, String asWritten, SqlScript.Piece p) throws SQLException {
        boolean isQuery;
        try {
            isQuery = st.execute(sql);
        } finally {
            // what the guests wrote (docs/WASI.md), before the result or the error, as psql shows a function's NOTICEs
            reportWarnings(p, st.getWarnings());
        }
        while (true) {
            if (isQuery) {
                try (ResultSet rs = st.getResultSet()) {
                    printer.print(rs);
                }
            } else {
                long count = st.getLargeUpdateCount();
                if (count == -1) {
                    break;
                }
                if (!csv) {
                    out.println(Main.commandTag(asWritten, count));
                }
            }
            isQuery = st.getMoreResults();
        }
    }

    private String prefix(SqlScript.Piece p) {
        return source == null ? "" : "wasmudf:" + source + ":" + p.line() + ": ";
    }

    private void printError(SqlScript.Piece p, String message, String state) {
        err.println(prefix(p) + "ERROR:  " + message + (state == null ? "" : "\nSQLSTATE: " + state));
    }

    /** Notices (SQLSTATE class 00) and warnings (any other) a statement or the connection reported, as psql prints them. */
    private void reportWarnings(SqlScript.Piece p, SQLWarning w) {
        for (; w != null; w = w.getNextWarning()) {
            String state = w.getSQLState();
            String severity = state != null && state.startsWith("00") ? "NOTICE" : "WARNING";
            err.println(prefix(p) + severity + ":  " + w.getMessage());
        }
    }
}
