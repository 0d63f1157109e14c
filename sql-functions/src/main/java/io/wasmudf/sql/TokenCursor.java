package io.wasmudf.sql;

import io.wasmudf.sql.SqlLexer.Kind;
import io.wasmudf.sql.SqlLexer.Token;
import java.sql.SQLException;
import java.util.List;

/**
 * A position in a lexed statement, shared by the DDL parsers so that they read tokens and word
 * their syntax errors the same way (PostgreSQL's 42601 with the offending token and its position).
 * The token list always ends with an {@link Kind#END} token, which {@link #next} never moves past.
 */
final class TokenCursor {
    private final List<Token> tokens;
    private int index;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** The current position, for {@link #slice} and {@link #seek}. */
    int index() {
        return index;
    }

    /** Moves to a position found by scanning ahead with {@link #at}. */
    void seek(int position) {
        index = position;
    }

    /** The token at an absolute position. */
    Token at(int position) {
        return tokens.get(position);
    }

    /** The tokens from {@code from} (inclusive) to {@code to} (exclusive). */
    List<Token> slice(int from, int to) {
        return tokens.subList(from, to);
    }

    /** The number of tokens, including the closing END. */
    int size() {
        return tokens.size();
    }

    Token peek() {
        return tokens.get(index);
    }

    /** The token after the current one; only valid while the current one is not END. */
    Token peekNext() {
        return tokens.get(index + 1);
    }

    Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.END) {
            index++;
        }
        return t;
    }

    /** Steps over the current token, which the caller has just peeked at and knows is not END. */
    void skip() {
        index++;
    }

    boolean acceptWord(String w) {
        if (peek().isWord(w)) {
            index++;
            return true;
        }
        return false;
    }

    boolean acceptSymbol(char c) {
        if (peek().isSymbol(c)) {
            index++;
            return true;
        }
        return false;
    }

    void expectWord(String w) throws SQLException {
        if (!acceptWord(w)) {
            throw syntax("expected " + w, peek());
        }
    }

    void expectSymbol(char c) throws SQLException {
        if (!acceptSymbol(c)) {
            throw syntax("expected \"" + c + "\"", peek());
        }
    }

    /** An identifier, plain or quoted (its case folded later, against the database). */
    Identifier identifier(String what) throws SQLException {
        Token t = next();
        if (t.kind() == Kind.WORD) {
            return new Identifier(t.text(), false);
        }
        if (t.kind() == Kind.QUOTED_IDENT) {
            return new Identifier(t.text(), true);
        }
        throw syntax("expected " + what, t);
    }

    /** {@code [schema.]name}; {@code what} names the expected thing in syntax errors. */
    QualifiedName qualifiedName(String what) throws SQLException {
        Identifier first = identifier(what);
        if (acceptSymbol('.')) {
            return new QualifiedName(first, identifier(what + " after the schema"));
        }
        return new QualifiedName(null, first);
    }

    /** A configuration parameter name: {@code word[.word]}, as in PostgreSQL's SET; {@code what} worded as in {@link #identifier}. */
    String parameterName(String what) throws SQLException {
        Token first = next();
        if (first.kind() != Kind.WORD && first.kind() != Kind.QUOTED_IDENT) {
            throw syntax("expected " + what, first);
        }
        String param = first.text();
        if (acceptSymbol('.')) {
            Token second = next();
            if (second.kind() != Kind.WORD && second.kind() != Kind.QUOTED_IDENT) {
                throw syntax("expected a configuration parameter name after \"" + param + ".\"", second);
            }
            param += "." + second.text();
        }
        return param;
    }

    /** The tokens as a user wrote them, for messages: words separated by one space, symbols attached. */
    static String text(List<Token> toks) {
        StringBuilder sb = new StringBuilder();
        for (Token t : toks) {
            if (sb.length() > 0 && t.kind() == Kind.WORD) {
                sb.append(' ');
            }
            sb.append(t.text());
        }
        return sb.toString();
    }

    /** A syntax error at the current token. */
    SQLException syntax(String message) {
        return syntax(message, peek());
    }

    static SQLException syntax(String message, Token at) {
        return SqlStates.error(SqlStates.SYNTAX_ERROR, "syntax error: " + message + " (found " + at.describe() + " at position " + (at.pos() + 1) + ")");
    }
}
