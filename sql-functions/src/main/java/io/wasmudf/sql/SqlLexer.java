package io.wasmudf.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Splits DDL text into tokens the way PostgreSQL does (comments, quoting, E'' and $$ strings). */
final class SqlLexer {

    enum Kind { WORD, QUOTED_IDENT, STRING, HEX_STRING, NUMBER, SYMBOL, END }

    record Token(Kind kind, String text, int pos) {
        boolean isWord(String w) {
            return kind == Kind.WORD && text.equalsIgnoreCase(w);
        }

        boolean isSymbol(char c) {
            return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == c;
        }

        String describe() {
            switch (kind) {
                case END: return "end of input";
                case STRING: return "string literal";
                case HEX_STRING: return "binary literal";
                default: return "\"" + text + "\"";
            }
        }
    }

    private final String sql;
    private int pos;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    static List<Token> tokenize(String sql) throws SQLException {
        SqlLexer lexer = new SqlLexer(sql);
        List<Token> tokens = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            tokens.add(t);
        } while (t.kind() != Kind.END);
        return tokens;
    }

    /** Index of the first character that is not whitespace or a comment, from {@code from}. */
    static int skipSpaceAndComments(String s, int from) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '-') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < s.length() && depth > 0) {
                    if (s.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (s.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else {
                break;
            }
        }
        return i;
    }

    private SQLException error(String message, int at) {
        return SqlStates.error(SqlStates.SYNTAX_ERROR, message + " at position " + (at + 1));
    }

    private Token next() throws SQLException {
        pos = skipSpaceAndComments(sql, pos);
        if (pos >= sql.length()) {
            return new Token(Kind.END, "", pos);
        }
        int start = pos;
        char c = sql.charAt(pos);
        if ((c == 'x' || c == 'X') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
            pos++;
            return new Token(Kind.HEX_STRING, quoted('\'', false), start);
        }
        if ((c == 'e' || c == 'E') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
            pos++;
            return new Token(Kind.STRING, quoted('\'', true), start);
        }
        if (c == '\'') {
            return new Token(Kind.STRING, quoted('\'', false), start);
        }
        if (c == '"') {
            String ident = quoted('"', false);
            if (ident.isEmpty()) {
                throw error("zero-length delimited identifier", start);
            }
            return new Token(Kind.QUOTED_IDENT, ident, start);
        }
        if (c == '$') {
            int end = sql.indexOf('$', pos + 1);
            String tag = end < 0 ? null : sql.substring(pos, end + 1);
            if (tag != null && tag.substring(1, tag.length() - 1).chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                int close = sql.indexOf(tag, end + 1);
                if (close < 0) {
                    throw error("unterminated dollar-quoted string", start);
                }
                pos = close + tag.length();
                return new Token(Kind.STRING, sql.substring(end + 1, close), start);
            }
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_' || sql.charAt(pos) == '$')) {
                pos++;
            }
            return new Token(Kind.WORD, sql.substring(start, pos), start);
        }
        if (Character.isDigit(c)) {
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            return new Token(Kind.NUMBER, sql.substring(start, pos), start);
        }
        if ("(),.;?=[]".indexOf(c) >= 0) {
            pos++;
            return new Token(Kind.SYMBOL, String.valueOf(c), start);
        }
        throw error("unexpected character '" + c + "'", start);
    }

    /** Reads a literal delimited by {@code q} (doubled to escape); {@code escapes} enables E'' backslashes. */
    private String quoted(char q, boolean escapes) throws SQLException {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= sql.length()) {
                throw error(q == '"' ? "unterminated quoted identifier" : "unterminated quoted string", start);
            }
            char c = sql.charAt(pos++);
            if (c == q) {
                if (pos < sql.length() && sql.charAt(pos) == q) {
                    sb.append(q);
                    pos++;
                    continue;
                }
                return sb.toString();
            }
            if (escapes && c == '\\' && pos < sql.length()) {
                char e = sql.charAt(pos++);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    default: sb.append(e);
                }
                continue;
            }
            sb.append(c);
        }
    }
}
