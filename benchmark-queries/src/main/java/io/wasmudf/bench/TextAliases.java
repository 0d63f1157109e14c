package io.wasmudf.bench;

/**
 * The realistic text functions of {@code wasm-udfs/src/strings.c} ({@code slugify},
 * {@code levenshtein}, {@code json_get}) as H2 Java aliases, written as the C is: the same
 * algorithm and the same O(n) work per row, on Java's code points where the C walks UTF-8 (issue
 * 21: text is judged on functions that do real work on both sides). {@code TextAliasesAgreeTest}
 * checks them against the wasm UDFs on many inputs, non-ASCII included.
 */
public final class TextAliases {
    private TextAliases() {}

    /**
     * strings.c's {@code latin_fold}: ASCII transliteration of U+00C0..U+017F, lower case, at most
     * two letters; "" is "not a letter" (U+00D7, U+00F7).
     */
    private static final String[] LATIN_FOLD = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
        "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
        "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
        "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
        "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
        "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
        "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
        "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
        "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
    };

    private static final char[][] FOLD = new char[LATIN_FOLD.length][];

    static {
        for (int i = 0; i < FOLD.length; i++) {
            FOLD[i] = LATIN_FOLD[i].toCharArray();
        }
    }

    /**
     * slugify(s text) RETURNS text STRICT: lower-case ASCII letters and digits, Latin letters
     * U+00C0..U+017F transliterated, every run of anything else one '-', none leading or trailing.
     */
    public static String slugify(String s) {
        if (s == null) {
            return null; // STRICT
        }
        int len = s.length();
        // the C sizes its buffer by the input's UTF-8 length; in UTF-16 a one-char letter (ß) may give two
        char[] out = new char[2 * len];
        int o = 0;
        boolean pendingDash = false;
        for (int i = 0; i < len;) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            char c0 = 0;
            char c1 = 0;
            int n = 0;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                c0 = (char) c;
                n = 1;
            } else if (c >= 'A' && c <= 'Z') {
                c0 = (char) (c + 32);
                n = 1;
            } else if (c >= 0xC0 && c < 0x180) {
                char[] t = FOLD[c - 0xC0];
                n = t.length;
                if (n > 0) {
                    c0 = t[0];
                }
                if (n > 1) {
                    c1 = t[1];
                }
            }
            if (n == 0) {
                pendingDash = o > 0;
                continue;
            }
            if (pendingDash) {
                out[o++] = '-';
                pendingDash = false;
            }
            out[o++] = c0;
            if (n == 2) {
                out[o++] = c1;
            }
        }
        return new String(out, 0, o);
    }

    /**
     * levenshtein(a text, b text) RETURNS integer STRICT: edit distance in code points. As the C:
     * a common prefix and suffix skipped, the shorter rest decoded into an array, the longer one
     * streamed over one row of the table.
     */
    public static Integer levenshtein(String a, String b) {
        if (a == null || b == null) {
            return null; // STRICT
        }
        int alen = a.length();
        int blen = b.length();
        int lim = Math.min(alen, blen);
        int pre = 0;
        while (pre < lim && a.charAt(pre) == b.charAt(pre)) {
            pre++;
        }
        while (pre > 0 && pre < lim && Character.isLowSurrogate(a.charAt(pre))) {
            pre--; // back to a code point boundary
        }
        if (pre == lim && alen == blen) {
            return 0;
        }
        int suf = 0;
        int slim = lim - pre;
        while (suf < slim && a.charAt(alen - 1 - suf) == b.charAt(blen - 1 - suf)) {
            suf++;
        }
        while (suf > 0 && Character.isLowSurrogate(a.charAt(alen - suf))) {
            suf--;
        }
        String as = a;
        int aStart = pre;
        int aEnd = alen - suf;
        String bs = b;
        int bStart = pre;
        int bEnd = blen - suf;
        if (aEnd - aStart > bEnd - bStart) {
            as = b;
            bs = a;
            int t = aStart;
            aStart = bStart;
            bStart = t;
            t = aEnd;
            aEnd = bEnd;
            bEnd = t;
        }
        int[] cps = new int[aEnd - aStart];
        int m = 0;
        for (int i = aStart; i < aEnd;) {
            int c = as.codePointAt(i);
            i += Character.charCount(c);
            cps[m++] = c;
        }
        if (bStart == bEnd) {
            return m;
        }
        int[] row = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            row[j] = j;
        }
        int i = 0;
        for (int p = bStart; p < bEnd;) {
            int c = bs.codePointAt(p);
            p += Character.charCount(c);
            i++;
            int diag = row[0];
            row[0] = i;
            for (int j = 1; j <= m; j++) {
                int up = row[j];
                row[j] = Math.min(Math.min(up + 1, row[j - 1] + 1), diag + (cps[j - 1] != c ? 1 : 0));
                diag = up;
            }
        }
        return row[m];
    }

    /**
     * json_get(doc text, key text) RETURNS text CALLED ON NULL INPUT: the value of top-level field
     * {@code key} of the JSON object {@code doc}, a string unescaped, anything else as its JSON
     * text; NULL when an argument is NULL, the field is missing or JSON null, or doc is not a
     * well-formed object (checked as loosely as the C checks it). The last of repeated keys wins.
     */
    public static String jsonGet(String doc, String key) {
        if (doc == null || key == null) {
            return null;
        }
        int end = doc.length();
        int p = ws(doc, 0, end);
        if (p >= end || doc.charAt(p) != '{') {
            return null;
        }
        p = ws(doc, p + 1, end);
        int found = -1;
        int foundEnd = -1;
        long[] kinds = null; // one bit per nesting level, allocated once per call as the C does
        if (p < end && doc.charAt(p) == '}') {
            p++;
        } else {
            for (;;) {
                if (p >= end || doc.charAt(p) != '"') {
                    return null;
                }
                int k = stringEnd(doc, p, end);
                if (k < 0) {
                    return null;
                }
                int kend = k >> 1;
                boolean match;
                if ((k & 1) == 0) {
                    match = kend - 1 - (p + 1) == key.length() && doc.regionMatches(p + 1, key, 0, key.length());
                } else {
                    String unescaped = unescape(doc, p + 1, kend - 1);
                    if (unescaped == null) {
                        return null;
                    }
                    match = unescaped.equals(key);
                }
                p = ws(doc, kend, end);
                if (p >= end || doc.charAt(p) != ':') {
                    return null;
                }
                p = ws(doc, p + 1, end);
                if (kinds == null && p < end && (doc.charAt(p) == '{' || doc.charAt(p) == '[')) {
                    kinds = new long[end / 64 + 1];
                }
                int vend = skipValue(doc, p, end, kinds);
                if (vend < 0) {
                    return null;
                }
                if (match) {
                    found = p;
                    foundEnd = vend;
                }
                p = ws(doc, vend, end);
                if (p < end && doc.charAt(p) == ',') {
                    p = ws(doc, p + 1, end);
                    continue;
                }
                if (p < end && doc.charAt(p) == '}') {
                    p++;
                    break;
                }
                return null;
            }
        }
        if (ws(doc, p, end) != end) {
            return null; // trailing garbage
        }
        if (found < 0 || doc.charAt(found) == 'n') {
            return null; // missing, or null
        }
        if (doc.charAt(found) == '"') {
            return unescape(doc, found + 1, foundEnd - 1);
        }
        return doc.substring(found, foundEnd);
    }

    private static int ws(String s, int p, int end) {
        while (p < end) {
            char c = s.charAt(p);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            p++;
        }
        return p;
    }

    /**
     * p at the opening quote: the position after the closing quote shifted left by one, its low
     * bit set when the body has backslash escapes; -1 when malformed.
     */
    private static int stringEnd(String s, int p, int end) {
        int escaped = 0;
        for (p++; p < end; p++) {
            char c = s.charAt(p);
            if (c == '"') {
                return (p + 1) << 1 | escaped;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                escaped = 1;
                if (++p >= end) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static int hex4(String s, int p, int end) {
        if (end - p < 4) {
            return -1;
        }
        int r = 0;
        for (int i = 0; i < 4; i++) {
            char c = s.charAt(p + i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            r = r << 4 | d;
        }
        return r;
    }

    /** The string body [p, end) unescaped, or null on an invalid escape; lone surrogates become U+FFFD. */
    private static String unescape(String s, int p, int end) {
        StringBuilder out = new StringBuilder(end - p);
        while (p < end) {
            char c = s.charAt(p++);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (p >= end) {
                return null;
            }
            c = s.charAt(p++);
            switch (c) {
                case '"': case '\\': case '/': out.append(c); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u': {
                    int cp = hex4(s, p, end);
                    if (cp < 0) {
                        return null;
                    }
                    p += 4;
                    int lo;
                    if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && s.charAt(p) == '\\' && s.charAt(p + 1) == 'u'
                            && (lo = hex4(s, p + 2, end)) >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        p += 6;
                    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                        cp = 0xFFFD;
                    }
                    out.appendCodePoint(cp);
                    break;
                }
                default: return null;
            }
        }
        return out.toString();
    }

    /**
     * Skips one JSON value at p; scalars checked loosely, containers by matching brackets (one bit
     * per nesting level in {@code kinds[0]}, grown on demand, as the C's bit buffer). The end, or -1.
     */
    private static int skipValue(String s, int p, int end, long[] kinds) {
        if (p >= end) {
            return -1;
        }
        char first = s.charAt(p);
        switch (first) {
            case '"': return stringEnd(s, p, end) >> 1;
            case 't': return s.startsWith("true", p) ? p + 4 : -1;
            case 'f': return s.startsWith("false", p) ? p + 5 : -1;
            case 'n': return s.startsWith("null", p) ? p + 4 : -1;
            case '{': case '[': {
                long[] bits = kinds;
                int depth = 0;
                while (p < end) {
                    char c = s.charAt(p);
                    if (c == '"') {
                        p = stringEnd(s, p, end) >> 1;
                        if (p < 0) {
                            return -1;
                        }
                        continue;
                    }
                    if (c == '{' || c == '[') {
                        if (c == '{') {
                            bits[depth >> 6] |= 1L << (depth & 63);
                        } else {
                            bits[depth >> 6] &= ~(1L << (depth & 63));
                        }
                        depth++;
                    } else if (c == '}' || c == ']') {
                        if (depth == 0) {
                            return -1;
                        }
                        depth--;
                        boolean isObj = ((bits[depth >> 6] >>> (depth & 63)) & 1) != 0;
                        if (isObj != (c == '}')) {
                            return -1;
                        }
                        if (depth == 0) {
                            return p + 1;
                        }
                    }
                    p++;
                }
                return -1;
            }
            default: {
                int start = p;
                while (p < end) {
                    char c = s.charAt(p);
                    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                        break;
                    }
                    p++;
                }
                return p > start ? p : -1;
            }
        }
    }
}
