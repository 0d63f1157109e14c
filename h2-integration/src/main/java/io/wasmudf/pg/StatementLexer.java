package io.wasmudf.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits one statement into tokens by the lexical rules of H2 2.4's own tokenizer, because H2 is
 * what runs the text: where PostgreSQL and H2 disagree (H2 has no {@code E'…'} escapes and no
 * {@code $tag$} quotes, nests block comments, and reads {@code //} as a comment and backticks as
 * quotes), a classifier that lexed like PostgreSQL could be shown a literal where H2 sees code.
 * {@code StatementLexerTest} compares the token boundaries with H2's tokenizer on adversarial text.
 * Text H2 could not tokenize either (an unterminated literal, comment or quoted name) is an error.
 */
final class StatementLexer {
    private StatementLexer() {
    }

    /** What a token is; comments and whitespace produce none. */
    enum Kind {
        /** An unquoted identifier or keyword; its value is upper-cased, as H2 folds it. */
        WORD,
        /** A quoted identifier ({@code "…"}, {@code `…`}, {@code U&"…"}); its value is the name. */
        QUOTED,
        /** A character string ({@code '…'}, {@code N'…'}, {@code U&'…'}, {@code $$…$$}); its value is the content. */
        STRING,
        /** A binary string ({@code X'…'}) or a number. */
        CONSTANT,
        /** A parameter ({@code ?}, {@code ?1}, {@code $1}). */
        PARAMETER,
        /** An operator or punctuation: {@code (}, {@code ,}, {@code ::}, {@code <>}… */
        SYMBOL
    }

    /** One token: its kind, its value (see {@link Kind}) and where it is in the text. */
    record Token(Kind kind, String value, int start, int end) {
        /** An identifier (quoted or not) whose name is {@code name}, ignoring case. */
        boolean isName(String name) {
            return (kind == Kind.WORD || kind == Kind.QUOTED) && value.equalsIgnoreCase(name);
        }

        /** An unquoted word equal to {@code word} (keywords are never quoted). */
        boolean isWord(String word) {
            return kind == Kind.WORD && value.equals(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && value.equals(symbol);
        }

        boolean isIdentifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }
    }

    /** Text H2's tokenizer would refuse too; {@link #position} is where, 0-based. */
    static final class LexException extends Exception {
        final int position;

        LexException(String message, int position) {
            super(message);
            this.position = position;
        }
    }

    /** The tokens of {@code sql}, in order. */
    static List<Token> lex(String sql) throws LexException {
        Out out = new Out();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int start = i;
            switch (c) {
                case '"':
                case '`':
                    i = quotedIdentifier(sql, i, i, c, false, out);
                    continue;
                case '\'':
                    i = characterString(sql, i, i, false, out);
                    continue;
                case '$':
                    if (i + 1 < n && sql.charAt(i + 1) == '$') {
                        int close = sql.indexOf("$$", i + 2);
                        if (close < 0) {
                            throw new LexException("unterminated dollar-quoted string", i);
                        }
                        out.add(new Token(Kind.STRING, sql.substring(i + 2, close), i, close + 2));
                        i = close + 2;
                    } else {
                        i = parameter(sql, i, out);
                    }
                    continue;
                case '?':
                    if (i + 2 < n && sql.charAt(i + 1) == '?' && (sql.charAt(i + 2) == '(' || sql.charAt(i + 2) == ')')) {
                        out.add(new Token(Kind.SYMBOL, sql.charAt(i + 2) == '(' ? "[" : "]", i, i + 3));
                        i += 3;
                    } else {
                        i = parameter(sql, i, out);
                    }
                    continue;
                case '-':
                    if (i + 1 < n && sql.charAt(i + 1) == '-') {
                        i = lineComment(sql, i);
                        continue;
                    }
                    break;
                case '/':
                    if (i + 1 < n && sql.charAt(i + 1) == '*') {
                        i = blockComment(sql, i);
                        continue;
                    }
                    if (i + 1 < n && sql.charAt(i + 1) == '/') {
                        i = lineComment(sql, i);
                        continue;
                    }
                    break;
                case '.':
                    if (i + 1 < n && isDigit(sql.charAt(i + 1))) {
                        i = number(sql, i, out);
                        continue;
                    }
                    break;
                case 'N':
                case 'n':
                    if (i + 1 < n && sql.charAt(i + 1) == '\'') {
                        i = characterString(sql, i, i + 1, false, out);
                        continue;
                    }
                    i = word(sql, i, out);
                    continue;
                case 'X':
                case 'x':
                    if (i + 1 < n && sql.charAt(i + 1) == '\'') {
                        i = binaryString(sql, i, out);
                        continue;
                    }
                    i = word(sql, i, out);
                    continue;
                case 'U':
                case 'u':
                    if (i + 2 < n && sql.charAt(i + 1) == '&' && sql.charAt(i + 2) == '"') {
                        i = quotedIdentifier(sql, i, i + 2, '"', true, out);
                        continue;
                    }
                    if (i + 2 < n && sql.charAt(i + 1) == '&' && sql.charAt(i + 2) == '\'') {
                        i = characterString(sql, i, i + 2, true, out);
                        continue;
                    }
                    i = word(sql, i, out);
                    continue;
                default:
                    break;
            }
            if (isDigit(c)) {
                i = number(sql, i, out);
                continue;
            }
            if (c <= ' ') {
                i++;
                continue;
            }
            int cp = sql.codePointAt(i);
            if (Character.isSpaceChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            if (c == '_' || (c != '$' && Character.isJavaIdentifierStart(cp))) {
                i = word(sql, i, out);
                continue;
            }
            String two = i + 1 < n ? sql.substring(i, i + 2) : "";
            if (TWO_CHAR_SYMBOLS.contains(two)) {
                out.add(new Token(Kind.SYMBOL, two, start, i + 2));
                i += 2;
            } else {
                out.add(new Token(Kind.SYMBOL, new String(Character.toChars(cp)), start, i + Character.charCount(cp)));
                i += Character.charCount(cp);
            }
        }
        return processUescape(out);
    }

    private static final List<String> TWO_CHAR_SYMBOLS = List.of("!=", "!~", "&&", "::", ":=", "<=", "<>", ">=", "||");

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int word(String sql, int start, Out out) {
        int i = start + Character.charCount(sql.codePointAt(start));
        while (i < sql.length()) {
            int cp = sql.codePointAt(i);
            if (!Character.isJavaIdentifierPart(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        out.add(new Token(Kind.WORD, upper(sql.substring(start, i)), start, i));
        return i;
    }

    /** H2's StringUtils.toUpperEnglish. */
    static String upper(String s) {
        return s.toUpperCase(Locale.ENGLISH);
    }

    private static int quotedIdentifier(String sql, int tokenStart, int quote, char q, boolean unicode, Out out)
            throws LexException {
        StringBuilder name = new StringBuilder();
        int i = quote + 1;
        while (true) {
            int close = sql.indexOf(q, i);
            if (close < 0) {
                throw new LexException("unterminated quoted identifier", tokenStart);
            }
            name.append(sql, i, close);
            i = close + 1;
            if (i < sql.length() && sql.charAt(i) == q) {
                name.append(q);
                i++;
            } else {
                break;
            }
        }
        String value = q == '`' ? upper(name.toString()) : name.toString();
        out.add(new Token(Kind.QUOTED, value, tokenStart, i), unicode);
        return i;
    }

    /** The tokens so far, and which of them are U&-quoted (decoded once their UESCAPE clause is known). */
    private static final class Out {
        final List<Token> tokens = new ArrayList<>();
        final java.util.BitSet unicode = new java.util.BitSet();

        void add(Token t) {
            tokens.add(t);
        }

        void add(Token t, boolean isUnicode) {
            unicode.set(tokens.size(), isUnicode);
            tokens.add(t);
        }
    }

    private static int characterString(String sql, int tokenStart, int quote, boolean unicode, Out out) throws LexException {
        StringBuilder value = new StringBuilder();
        int i = quote;
        int n = sql.length();
        // H2 joins literals separated only by whitespace and comments: 'a' /* x */ 'b' is 'ab'
        do {
            i++;
            while (true) {
                int close = sql.indexOf('\'', i);
                if (close < 0) {
                    throw new LexException("unterminated quoted string", tokenStart);
                }
                value.append(sql, i, close);
                i = close + 1;
                if (i < n && sql.charAt(i) == '\'') {
                    value.append('\'');
                    i++;
                } else {
                    break;
                }
            }
            i = skipWhitespaceAndComments(sql, i);
        } while (i < n && sql.charAt(i) == '\'');
        out.add(new Token(Kind.STRING, value.toString(), tokenStart, i), unicode);
        return i;
    }

    private static int binaryString(String sql, int tokenStart, Out out) throws LexException {
        int i = tokenStart + 1;
        int n = sql.length();
        StringBuilder hex = new StringBuilder();
        do {
            int close = sql.indexOf('\'', i + 1);
            if (close < 0 || close + 1 < n && sql.charAt(close + 1) == '\'') {
                throw new LexException("invalid binary string", tokenStart);
            }
            hex.append(sql, i + 1, close);
            i = skipWhitespaceAndComments(sql, close + 1);
        } while (i < n && sql.charAt(i) == '\'');
        out.add(new Token(Kind.CONSTANT, hex.toString(), tokenStart, i));
        return i;
    }

    /** H2 skips whitespace and /* and // comments (not --) between the parts of a literal. */
    private static int skipWhitespaceAndComments(String sql, int i) throws LexException {
        int n = sql.length();
        while (i < n) {
            int cp = sql.codePointAt(i);
            if (!Character.isWhitespace(cp)) {
                if (cp == '/' && i + 1 < n) {
                    char c2 = sql.charAt(i + 1);
                    if (c2 == '*') {
                        i = blockComment(sql, i);
                        continue;
                    } else if (c2 == '/') {
                        i = lineComment(sql, i);
                        continue;
                    }
                }
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    private static int lineComment(String sql, int i) {
        i += 2;
        while (i < sql.length() && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /** Block comments nest, as in H2 and PostgreSQL; H2 wants the closing "*&#47;" before the last character. */
    private static int blockComment(String sql, int start) throws LexException {
        int end = sql.length() - 1;
        int i = start + 2;
        for (int level = 1; level > 0;) {
            while (true) {
                if (i >= end) {
                    throw new LexException("unterminated /* comment", start);
                }
                char c = sql.charAt(i++);
                if (c == '*') {
                    if (sql.charAt(i) == '/') {
                        level--;
                        i++;
                        break;
                    }
                } else if (c == '/' && sql.charAt(i) == '*') {
                    level++;
                    i++;
                }
            }
        }
        return i;
    }

    private static int parameter(String sql, int start, Out out) {
        int i = start + 1;
        while (i < sql.length() && isDigit(sql.charAt(i))) {
            i++;
        }
        out.add(new Token(Kind.PARAMETER, sql.substring(start, i), start, i));
        return i;
    }

    /**
     * A number as far as H2 reads one: digits and underscores, a fraction, an exponent, a
     * trailing L, or 0x/0b/0o digits. A letter after it starts the next token, as in H2.
     */
    private static int number(String sql, int start, Out out) {
        int n = sql.length();
        int i;
        if (sql.charAt(start) == '0' && start + 1 < n && "xXbBoO".indexOf(sql.charAt(start + 1)) >= 0) {
            boolean hex = Character.toLowerCase(sql.charAt(start + 1)) == 'x';
            i = start + 2;
            while (i < n && (isDigit(sql.charAt(i)) || sql.charAt(i) == '_' || hex && "abcdefABCDEF".indexOf(sql.charAt(i)) >= 0)) {
                i++;
            }
            if (i < n && (sql.charAt(i) == 'L' || sql.charAt(i) == 'l')) {
                i++;
            }
        } else if (sql.charAt(start) == '.') {
            i = exponent(sql, digits(sql, start + 1));
        } else {
            i = digits(sql, start);
            if (i < n && (sql.charAt(i) == 'L' || sql.charAt(i) == 'l')) {
                i++;
            } else {
                if (i < n && sql.charAt(i) == '.') {
                    i = digits(sql, i + 1);
                }
                i = exponent(sql, i);
            }
        }
        out.add(new Token(Kind.CONSTANT, sql.substring(start, i), start, i));
        return i;
    }

    private static int digits(String sql, int i) {
        while (i < sql.length() && (isDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    private static int exponent(String sql, int i) {
        int n = sql.length();
        if (i + 1 < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
            int j = i + 1;
            if (sql.charAt(j) == '+' || sql.charAt(j) == '-') {
                j++;
            }
            if (j < n && isDigit(sql.charAt(j))) {
                return digits(sql, j);
            }
        }
        return i;
    }

    /** Decodes U&-quoted names and strings with their escape character (default '\\', or UESCAPE 'c'). */
    private static List<Token> processUescape(Out out) throws LexException {
        List<Token> tokens = out.tokens;
        if (out.unicode.isEmpty()) {
            return tokens;
        }
        List<Token> result = new ArrayList<>(tokens.size());
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (!out.unicode.get(k)) {
                result.add(t);
                continue;
            }
            char escape = '\\';
            int end = t.end;
            if (k + 2 < tokens.size() && tokens.get(k + 1).isWord("UESCAPE") && tokens.get(k + 2).kind == Kind.STRING) {
                String e = tokens.get(k + 2).value;
                if (e.length() != 1) {
                    throw new LexException("invalid Unicode escape character", tokens.get(k + 2).start);
                }
                escape = e.charAt(0);
                end = tokens.get(k + 2).end;
                k += 2;
            }
            result.add(new Token(t.kind, decodeUnicode(t.value, escape, t.start), t.start, end));
        }
        return result;
    }

    private static String decodeUnicode(String s, char escape, int position) throws LexException {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != escape) {
                b.append(c);
                continue;
            }
            if (i + 1 < s.length() && s.charAt(i + 1) == escape) {
                b.append(escape);
                i++;
                continue;
            }
            int digits = i + 1 < s.length() && s.charAt(i + 1) == '+' ? 6 : 4;
            int from = digits == 6 ? i + 2 : i + 1;
            if (from + digits > s.length()) {
                throw new LexException("invalid Unicode escape", position);
            }
            try {
                b.appendCodePoint(Integer.parseInt(s.substring(from, from + digits), 16));
            } catch (IllegalArgumentException e) {
                throw new LexException("invalid Unicode escape", position);
            }
            i = from + digits - 1;
        }
        return b.toString();
    }
}
