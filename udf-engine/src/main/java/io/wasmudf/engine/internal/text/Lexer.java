package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.internal.decode.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits UTF-8 WebAssembly text into {@link Tokens}: parentheses, keywords, {@code $}identifiers,
 * strings (escapes decoded), number candidates and reserved tokens. Comments (line and nested
 * block) and annotations {@code (@id ...)} are dropped here, so the parsers never see them.
 * Errors use the reference interpreter's wording ("illegal character", "unclosed string", ...).
 */
final class Lexer {
    private final byte[] b;
    private final int n;
    private final Tokens out;
    private int i;
    // Nesting of the annotation being skipped: 0 outside annotations.
    private int annotationDepth;
    private int annotationStart;

    private Lexer(byte[] source) {
        this.b = source;
        this.n = source.length;
        this.out = new Tokens(source);
    }

    static Tokens lex(byte[] source) {
        return lex(source, WasmFeatures.V3_0);
    }

    static Tokens lex(byte[] source, WasmFeatures features) {
        Lexer lexer = new Lexer(source);
        lexer.out.features = features;
        lexer.run();
        return lexer.out;
    }

    private void run() {
        while (true) {
            skipBlank();
            if (i >= n) {
                if (annotationDepth > 0) {
                    throw out.errorAt(annotationStart, "unclosed annotation");
                }
                out.add(Tokens.EOF, n, n, null, null);
                out.finish();
                return;
            }
            int c = b[i] & 0xFF;
            int start = i;
            if (c == '(') {
                if (i + 1 < n && b[i + 1] == '@' && annotationDepth == 0) {
                    annotation();
                    continue;
                }
                i++;
                if (annotationDepth > 0) {
                    annotationDepth++;
                } else {
                    out.add(Tokens.LPAR, start, i, null, null);
                }
            } else if (c == ')') {
                i++;
                if (annotationDepth > 0) {
                    annotationDepth--;
                } else {
                    out.add(Tokens.RPAR, start, i, null, null);
                }
            } else if (c == '"') {
                byte[] value = string();
                if (gluesOn() || (i < n && isIdChar(b[i] & 0xFF))) {
                    reservedTail(start);
                } else {
                    emit(Tokens.STRING, start, null, value);
                }
            } else if (c == '$') {
                identifier();
            } else if (isIdChar(c) || isReservedChar(c)) {
                atom();
            } else {
                throw illegal(i);
            }
        }
    }

    private void emit(int kind, int start, String text, byte[] value) {
        if (annotationDepth == 0) {
            out.add(kind, start, i, text, value);
        }
    }

    private void skipBlank() {
        while (i < n) {
            int c = b[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else if (c == ';' && i + 1 < n && b[i + 1] == ';') {
                i += 2;
                while (i < n && b[i] != '\n' && b[i] != '\r') {
                    commentChar();
                }
            } else if (c == '(' && i + 1 < n && b[i + 1] == ';') {
                blockComment();
            } else {
                return;
            }
        }
    }

    private void commentChar() {
        int c = b[i] & 0xFF;
        if (c < 0x80) {
            i++;
        } else {
            i += utf8Length(i);
        }
    }

    private void blockComment() {
        int start = i;
        int depth = 0;
        while (true) {
            if (i >= n) {
                throw out.errorAt(start, "unclosed comment");
            }
            if (b[i] == '(' && i + 1 < n && b[i + 1] == ';') {
                depth++;
                i += 2;
            } else if (b[i] == ';' && i + 1 < n && b[i + 1] == ')') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                commentChar();
            }
        }
    }

    /** {@code (@id}: the whole annotation up to its closing parenthesis is skipped. */
    private void annotation() {
        int start = i;
        i += 2;
        if (i < n && b[i] == '"') {
            byte[] name;
            try {
                name = string();
            } catch (RuntimeException e) {
                throw out.errorAt(start, "empty annotation id");
            }
            if (name.length == 0) {
                throw out.errorAt(start, "empty annotation id");
            }
            if (!Utf8.isValid(name, 0, name.length)) {
                throw out.errorAt(start, "malformed UTF-8 encoding");
            }
        } else {
            int idStart = i;
            while (i < n && isIdChar(b[i] & 0xFF)) {
                i++;
            }
            if (i == idStart) {
                throw out.errorAt(start, "empty annotation id");
            }
        }
        if (annotationDepth == 0) {
            annotationStart = start;
        }
        annotationDepth++;
    }

    private void identifier() {
        int start = i;
        i++;
        if (i < n && b[i] == '"') {
            byte[] name;
            try {
                name = string();
            } catch (RuntimeException e) {
                throw out.errorAt(start, "empty identifier");
            }
            if (name.length == 0) {
                throw out.errorAt(start, "empty identifier");
            }
            if (!Utf8.isValid(name, 0, name.length)) {
                throw out.errorAt(start, "malformed UTF-8 encoding");
            }
            if (gluesOn() || (i < n && isIdChar(b[i] & 0xFF))) {
                reservedTail(start);
                return;
            }
            emit(Tokens.ID, start, new String(name, StandardCharsets.UTF_8), null);
            return;
        }
        int idStart = i;
        while (i < n && isIdChar(b[i] & 0xFF)) {
            i++;
        }
        if (i == idStart) {
            throw out.errorAt(start, "empty identifier");
        }
        if (gluesOn()) {
            reservedTail(start);
            return;
        }
        emit(Tokens.ID, start, new String(b, idStart, i - idStart, StandardCharsets.ISO_8859_1), null);
    }

    /** A run of identifier characters: keyword, number candidate or reserved token. */
    private void atom() {
        int start = i;
        while (i < n && isIdChar(b[i] & 0xFF)) {
            i++;
        }
        if (i == start || gluesOn()) {
            reservedTail(start);
            return;
        }
        String text = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
        int c = b[start] & 0xFF;
        int kind;
        if (c >= 'a' && c <= 'z') {
            kind = Tokens.KEYWORD;
        } else if ((c >= '0' && c <= '9') || c == '+' || c == '-') {
            kind = Tokens.NUM;
        } else {
            kind = Tokens.RESERVED;
        }
        emit(kind, start, text, null);
    }

    /** Whether the token ending at {@code i} continues as a reserved token. */
    private boolean gluesOn() {
        if (i >= n) {
            return false;
        }
        int c = b[i] & 0xFF;
        return c == '"' || (isReservedChar(c) && !(c == ';' && i + 1 < n && b[i + 1] == ';'));
    }

    /** Characters that glue into one reserved token (strings and ',' ';' brackets included). */
    private void reservedTail(int start) {
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c == '"') {
                string();
            } else if (c == ';' && i + 1 < n && b[i + 1] == ';') {
                break;
            } else if (isIdChar(c) || isReservedChar(c)) {
                i++;
            } else {
                break;
            }
        }
        emit(Tokens.RESERVED, start, new String(b, start, i - start, StandardCharsets.ISO_8859_1), null);
    }

    private byte[] string() {
        int start = i;
        i++;
        byte[] buf = new byte[16];
        int len = 0;
        while (true) {
            if (i >= n) {
                throw out.errorAt(start, "unclosed string");
            }
            int c = b[i] & 0xFF;
            if (c == '"') {
                i++;
                return Arrays.copyOf(buf, len);
            }
            if (len + 4 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            if (c == '\\') {
                i++;
                if (i >= n) {
                    throw out.errorAt(start, "unclosed string");
                }
                int e = b[i] & 0xFF;
                i++;
                switch (e) {
                    case 'n': buf[len++] = '\n'; break;
                    case 't': buf[len++] = '\t'; break;
                    case 'r': buf[len++] = '\r'; break;
                    case '"': buf[len++] = '"'; break;
                    case '\'': buf[len++] = '\''; break;
                    case '\\': buf[len++] = '\\'; break;
                    case 'u': len = unicodeEscape(buf, len); break;
                    default:
                        if (hex(e) >= 0 && i < n && hex(b[i] & 0xFF) >= 0) {
                            buf[len++] = (byte) (hex(e) * 16 + hex(b[i] & 0xFF));
                            i++;
                        } else {
                            throw out.errorAt(i - 2, "illegal escape");
                        }
                }
            } else if (c == '\n') {
                throw out.errorAt(start, "unclosed string");
            } else if (c < 0x20 || c == 0x7F) {
                throw out.errorAt(i, "illegal control character");
            } else if (c < 0x80) {
                buf[len++] = (byte) c;
                i++;
            } else {
                int k = utf8Length(i);
                for (int j = 0; j < k; j++) {
                    buf[len++] = b[i + j];
                }
                i += k;
            }
        }
    }

    private int unicodeEscape(byte[] buf, int len) {
        int at = i - 2;
        if (i >= n || b[i] != '{') {
            throw out.errorAt(at, "illegal escape");
        }
        i++;
        long cp = 0;
        int digits = 0;
        boolean underscoreOk = false;
        while (i < n && b[i] != '}') {
            int h = hex(b[i] & 0xFF);
            if (h >= 0) {
                cp = Math.min(cp * 16 + h, 0x7FFFFFFFL);
                digits++;
                underscoreOk = true;
            } else if (b[i] == '_' && underscoreOk && i + 1 < n && hex(b[i + 1] & 0xFF) >= 0) {
                underscoreOk = false;
            } else {
                throw out.errorAt(at, "illegal escape");
            }
            i++;
        }
        if (i >= n || digits == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
            throw out.errorAt(at, "illegal escape");
        }
        i++;
        byte[] enc = new String(Character.toChars((int) cp)).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(enc, 0, buf, len, enc.length);
        return len + enc.length;
    }

    /** Length of the well-formed UTF-8 sequence at {@code at}, or the error for a malformed one. */
    private int utf8Length(int at) {
        int c = b[at] & 0xFF;
        int k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (at + k > n || !Utf8.isValid(b, at, k)) {
            throw out.errorAt(at, "malformed UTF-8 encoding");
        }
        return k;
    }

    private RuntimeException illegal(int at) {
        int c = b[at] & 0xFF;
        if (c >= 0x80) {
            utf8Length(at); // throws for malformed UTF-8
        }
        return out.errorAt(at, "illegal character");
    }

    static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static boolean isIdChar(int c) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return true;
        }
        switch (c) {
            case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
            case '.': case '/': case ':': case '<': case '=': case '>': case '?': case '@': case '\\':
            case '^': case '_': case '`': case '|': case '~':
                return true;
            default:
                return false;
        }
    }

    private static boolean isReservedChar(int c) {
        return c == ',' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}';
    }
}
