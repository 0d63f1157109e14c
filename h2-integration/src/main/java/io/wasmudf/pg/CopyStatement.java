package io.wasmudf.pg;

import io.wasmudf.pg.StatementLexer.Kind;
import io.wasmudf.pg.StatementLexer.Token;
import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@code COPY} in PostgreSQL 15's syntax, both the option list ({@code WITH (FORMAT csv,
 * HEADER)}) and the older keyword form psql's {@code \copy} passes through ({@code csv header
 * delimiter ';'}). Only {@code STDIN}/{@code STDOUT} are accepted: COPY to or from a server file or
 * program is refused with PostgreSQL's 42501 for every client, since no client reaches the host.
 *
 * @param relation the table as written (H2 reads the same quoting), null for a query
 * @param relationParts the table's name tokens (schema, table), for looking its columns up
 * @param columns the column list as written, empty when absent
 * @param columnTokens the column list's tokens
 * @param query the query text of {@code COPY (query) TO}, null for a table
 * @param from COPY FROM (else TO)
 * @param force the FORCE_QUOTE, FORCE_NOT_NULL and FORCE_NULL column lists given, by option name
 */
record CopyStatement(String relation, List<Token> relationParts, List<String> columns, List<Token> columnTokens, String query,
        boolean from, CopyFormat format, java.util.Map<String, ForceList> force) {

    /** The columns of a FORCE_* option: every one ({@code *}, FORCE_QUOTE only) or those named. */
    record ForceList(boolean all, List<Token> columns) {
    }

    private static final String FILE_HINT = "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.";

    /** The table's name as PostgreSQL prints it in CONTEXT lines ({@code COPY t, line 3}). */
    String displayName() {
        return relationParts.isEmpty() ? "" : pgName(relationParts.get(relationParts.size() - 1));
    }

    /** An identifier as PostgreSQL names it: unquoted words fold to lower case. */
    static String pgName(Token t) {
        return t.kind() == Kind.WORD ? t.value().toLowerCase(Locale.ROOT) : t.value();
    }

    /** Parses a statement whose kind is COPY. */
    static CopyStatement parse(SqlStatement s) throws SQLException {
        return new Parser(s).parse();
    }

    private static final class Parser {
        private final SqlStatement s;
        private int i = 1;

        Parser(SqlStatement s) {
            this.s = s;
        }

        CopyStatement parse() throws SQLException {
            if (s.word(i).equals("BINARY")) {
                throw unsupported("COPY BINARY is not supported: use FORMAT text or csv");
            }
            String relation = null;
            String query = null;
            List<Token> parts = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            List<Token> columnTokens = new ArrayList<>();
            if (s.symbol(i, "(")) {
                int close = closing(i);
                if (close == i + 1) {
                    throw syntax(close);
                }
                query = s.sql.substring(s.tokens.get(i + 1).start(), s.tokens.get(close).start()).strip();
                i = close + 1;
            } else {
                int first = i;
                parts.add(identifier());
                while (s.symbol(i, ".")) {
                    i++;
                    parts.add(identifier());
                }
                relation = s.sql.substring(s.tokens.get(first).start(), s.tokens.get(i - 1).end());
                if (parts.size() > 2) {
                    parts = parts.subList(parts.size() - 2, parts.size());
                }
                if (s.symbol(i, "(")) {
                    i++;
                    while (true) {
                        Token c = identifier();
                        columns.add(s.sql.substring(c.start(), c.end()));
                        columnTokens.add(c);
                        if (s.symbol(i, ",")) {
                            i++;
                        } else if (s.symbol(i, ")")) {
                            i++;
                            break;
                        } else {
                            throw syntax(i);
                        }
                    }
                }
            }
            boolean from;
            if (s.word(i).equals("FROM")) {
                from = true;
            } else if (s.word(i).equals("TO")) {
                from = false;
            } else {
                throw syntax(i);
            }
            if (from && query != null) {
                throw syntax(i);
            }
            i++;
            target(from);
            CopyFormat.Builder options = new CopyFormat.Builder(from);
            if (s.word(i).equals("WITH")) {
                i++;
            }
            if (s.symbol(i, "(")) {
                optionList(options);
            } else {
                legacyOptions(options);
            }
            options.forced(force.keySet());
            if (s.word(i).equals("WHERE")) {
                throw unsupported("COPY FROM … WHERE is not supported: load into a staging table and INSERT … SELECT … WHERE");
            }
            if (s.symbol(i, ";")) {
                i++;
            }
            if (i < s.tokens.size()) {
                throw syntax(i);
            }
            return new CopyStatement(relation, List.copyOf(parts), List.copyOf(columns), List.copyOf(columnTokens), query, from,
                    options.build(), java.util.Map.copyOf(force));
        }

        private final java.util.Map<String, ForceList> force = new java.util.HashMap<>();

        /** {@code *} (FORCE_QUOTE only) or a parenthesised column list (or, in the keyword form, a bare one). */
        private ForceList forceList(String option, int at, boolean parenthesised) throws SQLException {
            if (s.symbol(i, "*") && option.equals("force_quote")) {
                i++;
                return new ForceList(true, List.of());
            }
            if (parenthesised && !s.symbol(i, "(")) {
                throw new ReportedException(new PgError("ERROR", SqlStates.INVALID_PARAMETER_VALUE, "argument to option \"" + option
                        + "\" must be a list of column names", null, null, s.tokens.get(at).start() + 1));
            }
            if (parenthesised) {
                i++;
            }
            List<Token> cols = new ArrayList<>();
            do {
                cols.add(identifier());
            } while (s.symbol(i, ",") && ++i > 0);
            if (parenthesised) {
                if (!s.symbol(i, ")")) {
                    throw syntax(i);
                }
                i++;
            }
            return new ForceList(false, cols);
        }

        /** STDIN/STDOUT, or the refusal of a server file or program (PostgreSQL's words for a non-superuser). */
        private void target(boolean from) throws SQLException {
            Token t = i < s.tokens.size() ? s.tokens.get(i) : null;
            if (s.word(i).equals("STDIN") || s.word(i).equals("STDOUT")) {
                i++;
                return;
            }
            if (s.word(i).equals("PROGRAM")) {
                throw refused("must be superuser or have privileges of the pg_execute_server_program role to COPY to or from an"
                        + " external program");
            }
            if (t != null && t.kind() == Kind.STRING) {
                throw refused(from ? "must be superuser or have privileges of the pg_read_server_files role to COPY from a file"
                        : "must be superuser or have privileges of the pg_write_server_files role to COPY to a file");
            }
            throw syntax(i);
        }

        private void optionList(CopyFormat.Builder options) throws SQLException {
            i++; // (
            Set<String> seen = new HashSet<>();
            while (true) {
                Token name = i < s.tokens.size() ? s.tokens.get(i) : null;
                if (name == null || !name.isIdentifier()) {
                    throw syntax(i);
                }
                String key = name.value().toLowerCase(Locale.ROOT);
                int at = i;
                i++;
                String value = null;
                boolean forceOption = key.equals("force_quote") || key.equals("force_not_null") || key.equals("force_null");
                if (forceOption) {
                    force.put(key, forceList(key, at, true));
                } else if (s.symbol(i, "(")) {
                    i = closing(i) + 1;
                    value = "(…)";
                } else if (s.symbol(i, "*")) {
                    i++;
                    value = "*";
                } else if (i < s.tokens.size() && !s.symbol(i, ",") && !s.symbol(i, ")")) {
                    Token v = s.tokens.get(i++);
                    value = v.kind() == Kind.WORD ? v.value().toLowerCase(Locale.ROOT) : v.value();
                }
                if (!seen.add(key)) {
                    throw new ReportedException(new PgError("ERROR", SqlStates.SYNTAX_ERROR, "conflicting or redundant options", null, null,
                            s.tokens.get(at).start() + 1));
                }
                if (!forceOption && !options.set(key, value, s.tokens.get(at).start() + 1)) {
                    throw new ReportedException(new PgError("ERROR", SqlStates.SYNTAX_ERROR, "option \"" + key + "\" not recognized", null,
                            null, s.tokens.get(at).start() + 1));
                }
                if (s.symbol(i, ",")) {
                    i++;
                } else if (s.symbol(i, ")")) {
                    i++;
                    return;
                } else {
                    throw syntax(i);
                }
            }
        }

        /** The keyword form before PostgreSQL 9.0, which psql's \copy sends as the user wrote it. */
        private void legacyOptions(CopyFormat.Builder options) throws SQLException {
            while (i < s.tokens.size() && !s.symbol(i, ";") && !s.word(i).equals("WHERE")) {
                String w = s.word(i++);
                switch (w) {
                    case "BINARY":
                        options.set("format", "binary", 0);
                        break;
                    case "CSV":
                        options.set("format", "csv", 0);
                        break;
                    case "HEADER":
                        options.set("header", null, 0);
                        break;
                    case "FREEZE":
                        options.set("freeze", null, 0);
                        break;
                    case "DELIMITER":
                    case "NULL":
                    case "QUOTE":
                    case "ESCAPE":
                    case "ENCODING":
                        if (s.word(i).equals("AS")) {
                            i++;
                        }
                        if (i >= s.tokens.size() || s.tokens.get(i).kind() != Kind.STRING) {
                            throw syntax(i);
                        }
                        options.set(w.toLowerCase(Locale.ROOT), s.tokens.get(i++).value(), 0);
                        break;
                    case "FORCE":
                        if (s.word(i).equals("QUOTE")) {
                            i++;
                            force.put("force_quote", forceList("force_quote", i - 1, false));
                        } else if (s.word(i).equals("NOT") && s.word(i + 1).equals("NULL")) {
                            i += 2;
                            force.put("force_not_null", forceList("force_not_null", i - 1, false));
                        } else {
                            throw syntax(i);
                        }
                        break;
                    default:
                        throw syntax(i - 1);
                }
            }
        }

        private Token identifier() throws SQLException {
            if (i < s.tokens.size() && s.tokens.get(i).isIdentifier()) {
                return s.tokens.get(i++);
            }
            throw syntax(i);
        }

        private int closing(int open) throws SQLException {
            for (int j = open + 1; j < s.tokens.size(); j++) {
                if (s.symbol(j, ")") && s.depth(j) == s.depth(open)) {
                    return j;
                }
            }
            throw syntax(s.tokens.size());
        }

        private SQLException syntax(int at) {
            if (at >= s.tokens.size()) {
                return new ReportedException(new PgError("ERROR", SqlStates.SYNTAX_ERROR, "syntax error at end of input", null, null,
                        s.sql.length() + 1));
            }
            Token t = s.tokens.get(at);
            return new ReportedException(new PgError("ERROR", SqlStates.SYNTAX_ERROR,
                    "syntax error at or near \"" + s.sql.substring(t.start(), t.end()) + "\"", null, null, t.start() + 1));
        }
    }

    private static SQLException refused(String message) {
        return new ReportedException(PgError.error(SqlStates.INSUFFICIENT_PRIVILEGE, message).withHint(FILE_HINT));
    }

    static SQLException unsupported(String message) {
        return new SQLException(message, SqlStates.FEATURE_NOT_SUPPORTED);
    }
}
