package io.wasmudf.sql;

import io.wasmudf.engine.Wat;
import io.wasmudf.engine.WatSyntaxException;
import java.sql.SQLException;

/**
 * Modules written in the WebAssembly text format (WAT) where SQL takes a module: {@code CREATE
 * FUNCTION … AS '(module …)'}, {@code wasm.modules.source_text} and {@code wasmudf load NAME
 * FILE.wat}. The text is encoded by the engine's own parser; the catalog keeps both the text and
 * the binary.
 */
public final class WatText {
    private WatText() {}

    /**
     * Whether {@code s} is module text rather than a module's name: its first token, after white
     * space and comments ({@code ;; …} and {@code (; … ;)}), is an opening parenthesis. Module
     * names never need to start so, and a text module always does.
     */
    public static boolean isText(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else if (s.startsWith(";;", i)) {
                int eol = s.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (s.startsWith("(;", i)) {
                i = skipBlockComment(s, i);
            } else {
                return c == '(';
            }
        }
        return false;
    }

    /** The index after the block comment starting at {@code i} (they nest), or the end of an unterminated one. */
    private static int skipBlockComment(String s, int i) {
        int depth = 0;
        while (i < s.length()) {
            if (s.startsWith("(;", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith(";)", i)) {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    /**
     * Encodes {@code text} to a binary module for {@code subject} (e.g. {@code function f} or
     * {@code module "m"}). Text that does not parse fails with 42601 (syntax_error, as PostgreSQL
     * reports a function body that does not parse) giving line and column within the text; text
     * nested too deeply for the parser fails with 54001. Whether the module is valid is decided
     * later, where binary modules are checked (42P13).
     */
    public static byte[] toBinary(String subject, String text) throws SQLException {
        try {
            return Wat.toBinary(text);
        } catch (WatSyntaxException e) {
            throw SqlStates.error(SqlStates.SYNTAX_ERROR, subject + ": syntax error in the WebAssembly text at line " + e.line()
                    + ", column " + e.column() + ": " + e.reason(), e);
        } catch (StackOverflowError e) {
            throw SqlStates.error(SqlStates.STATEMENT_TOO_COMPLEX, subject + ": the WebAssembly text is nested too deeply to parse", e);
        } catch (RuntimeException e) {
            throw SqlErrors.compileFailed(subject, "the module text", e);
        }
    }
}
