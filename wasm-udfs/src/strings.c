/*
 * strings.wasm - text UDFs. Text is UTF-8; "character" means Unicode code point throughout.
 * SQL signatures: see modules/manifest.txt. All functions are STRICT except json_get.
 */
#include "wasmudf.h"

/* ------------------------------------------------------------------ utf8_length --------- */

/* utf8_length(s text) RETURNS integer: number of code points (bytes that are not 10xxxxxx). */
WASMUDF_EXPORT(utf8_length) int32_t utf8_length(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    return (int32_t)wasmudf_utf8_code_points(s, len);
}

/* ------------------------------------------------------------------ reverse_text -------- */

/* reverse_text(s text) RETURNS text: the code points in reverse order. Each code point's bytes
 * are copied unchanged, so valid UTF-8 in gives valid UTF-8 out. */
WASMUDF_EXPORT(reverse_text) int32_t reverse_text(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    uint8_t *out = wasmudf_alloc(len, 1);
    uint32_t end = len, o = 0;
    while (end > 0) {
        uint32_t start = end - 1;
        /* a code point is a lead byte plus at most 3 continuation bytes */
        while (start > 0 && end - start < 4 && wasmudf_is_cont(s[start])) start--;
        for (uint32_t i = start; i < end; i++) out[o++] = s[i];
        end = start;
    }
    return wasmudf_return_text(out, len);
}

/* ------------------------------------------------------------------ levenshtein --------- */

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* levenshtein(a text, b text) RETURNS integer: edit distance (insert, delete, substitute one
 * code point, each cost 1). O(|a|*|b|) time, O(min) memory: the shorter string is decoded into
 * an array and the longer one is streamed. A common prefix and suffix are skipped first. */
WASMUDF_EXPORT(levenshtein)
int32_t levenshtein(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen)
{
    WASMUDF_ENTER();
    uint32_t pre = 0, lim = alen < blen ? alen : blen;
    while (pre < lim && a[pre] == b[pre]) pre++;
    while (pre > 0 && pre < lim && wasmudf_is_cont(a[pre])) pre--; /* back to a boundary */
    if (pre == lim && alen == blen) return 0;
    uint32_t suf = 0, slim = lim - pre;
    while (suf < slim && a[alen - 1 - suf] == b[blen - 1 - suf]) suf++;
    /* the suffix must start on a code point boundary (same bytes in both, so check one) */
    while (suf > 0 && wasmudf_is_cont(a[alen - suf])) suf--;
    const uint8_t *as = a + pre, *ae = a + alen - suf;
    const uint8_t *bs = b + pre, *be = b + blen - suf;

    /* the shorter one (in bytes: an upper bound of its code point count) goes into the array */
    if (ae - as > be - bs) {
        const uint8_t *t = as; as = bs; bs = t;
        t = ae; ae = be; be = t;
    }
    uint32_t cap = (uint32_t)(ae - as);
    uint32_t *cps = wasmudf_alloc(cap * sizeof(uint32_t), 4);
    uint32_t m = 0;
    for (const uint8_t *p = as; p < ae;) p = wasmudf_utf8_next(p, ae, &cps[m++]);
    if (bs == be) return (int32_t)m;

    uint32_t *row = wasmudf_alloc((m + 1) * sizeof(uint32_t), 4);
    for (uint32_t j = 0; j <= m; j++) row[j] = j;
    uint32_t i = 0;
    for (const uint8_t *p = bs; p < be;) {
        uint32_t c;
        p = wasmudf_utf8_next(p, be, &c);
        i++;
        uint32_t diag = row[0];
        row[0] = i;
        for (uint32_t j = 1; j <= m; j++) {
            uint32_t up = row[j];
            row[j] = min3(up + 1, row[j - 1] + 1, diag + (cps[j - 1] != c));
            diag = up;
        }
    }
    return (int32_t)row[m];
}

/* ------------------------------------------------------------------ slugify ------------- */

/* ASCII transliteration of U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A),
 * lower case, at most two letters; "" means "not a letter" (U+00D7, U+00F7). */
static const char latin_fold[192][2] = {
    "a\0", "a\0", "a\0", "a\0", "a\0", "a\0", "ae", "c\0",
    "e\0", "e\0", "e\0", "e\0", "i\0", "i\0", "i\0", "i\0",
    "d\0", "n\0", "o\0", "o\0", "o\0", "o\0", "o\0", "\0\0",
    "o\0", "u\0", "u\0", "u\0", "u\0", "y\0", "th", "ss",
    "a\0", "a\0", "a\0", "a\0", "a\0", "a\0", "ae", "c\0",
    "e\0", "e\0", "e\0", "e\0", "i\0", "i\0", "i\0", "i\0",
    "d\0", "n\0", "o\0", "o\0", "o\0", "o\0", "o\0", "\0\0",
    "o\0", "u\0", "u\0", "u\0", "u\0", "y\0", "th", "y\0",
    "a\0", "a\0", "a\0", "a\0", "a\0", "a\0", "c\0", "c\0",
    "c\0", "c\0", "c\0", "c\0", "c\0", "c\0", "d\0", "d\0",
    "d\0", "d\0", "e\0", "e\0", "e\0", "e\0", "e\0", "e\0",
    "e\0", "e\0", "e\0", "e\0", "g\0", "g\0", "g\0", "g\0",
    "g\0", "g\0", "g\0", "g\0", "h\0", "h\0", "h\0", "h\0",
    "i\0", "i\0", "i\0", "i\0", "i\0", "i\0", "i\0", "i\0",
    "i\0", "i\0", "ij", "ij", "j\0", "j\0", "k\0", "k\0",
    "k\0", "l\0", "l\0", "l\0", "l\0", "l\0", "l\0", "l\0",
    "l\0", "l\0", "l\0", "n\0", "n\0", "n\0", "n\0", "n\0",
    "n\0", "n\0", "n\0", "n\0", "o\0", "o\0", "o\0", "o\0",
    "o\0", "o\0", "oe", "oe", "r\0", "r\0", "r\0", "r\0",
    "r\0", "r\0", "s\0", "s\0", "s\0", "s\0", "s\0", "s\0",
    "s\0", "s\0", "t\0", "t\0", "t\0", "t\0", "t\0", "t\0",
    "u\0", "u\0", "u\0", "u\0", "u\0", "u\0", "u\0", "u\0",
    "u\0", "u\0", "u\0", "u\0", "w\0", "w\0", "y\0", "y\0",
    "y\0", "z\0", "z\0", "z\0", "z\0", "z\0", "z\0", "s\0",
};

/* slugify(s text) RETURNS text: lower-case ASCII letters and digits; every run of other
 * characters becomes a single '-', with no leading or trailing '-'. Non-ASCII: letters of
 * Latin-1 Supplement and Latin Extended-A (U+00C0..U+017F) are transliterated to their ASCII
 * base letters (é -> e, Æ -> ae, ß -> ss, Ø -> o, Þ -> th, Ł -> l, Œ -> oe); every other
 * non-ASCII code point (Greek, CJK, emoji, punctuation, ...) counts as a separator.
 * The result is never longer than the input: each transliterated character is 2 bytes of
 * UTF-8 and yields at most 2 ASCII letters. */
WASMUDF_EXPORT(slugify) int32_t slugify(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    uint8_t *out = wasmudf_alloc(len, 1);
    uint32_t o = 0;
    int pending_dash = 0;
    const uint8_t *p = s, *end = s + len;
    while (p < end) {
        uint32_t c;
        p = wasmudf_utf8_next(p, end, &c);
        /* up to two output letters in two scalars (0: none), not a small array: an array indexed
         * in a loop stays in linear memory (a store and a load per letter through the C stack) */
        uint8_t c0 = 0, c1 = 0;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            c0 = (uint8_t)c;
        } else if (c >= 'A' && c <= 'Z') {
            c0 = (uint8_t)(c + 32);
        } else if (c >= 0xC0 && c < 0x180) {
            c0 = (uint8_t)latin_fold[c - 0xC0][0];
            c1 = (uint8_t)latin_fold[c - 0xC0][1];
        }
        if (!c0) {
            pending_dash = o > 0;
            continue;
        }
        if (pending_dash) { out[o++] = '-'; pending_dash = 0; }
        out[o++] = c0;
        if (c1) out[o++] = c1;
    }
    return wasmudf_return_text(out, o);
}

/* ------------------------------------------------------------------ json_get ------------ */

static const uint8_t *json_ws(const uint8_t *p, const uint8_t *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

/* p at the opening quote: returns the position after the closing quote, or 0 if malformed.
 * *escaped tells whether the body contains backslash escapes. */
static const uint8_t *json_string_end(const uint8_t *p, const uint8_t *end, int *escaped)
{
    *escaped = 0;
    for (p++; p < end; p++) {
        if (*p == '"') return p + 1;
        if (*p < 0x20) return 0;
        if (*p == '\\') {
            *escaped = 1;
            if (++p >= end) return 0;
        }
    }
    return 0;
}

static int hex4(const uint8_t *p, const uint8_t *end, uint32_t *v)
{
    if (end - p < 4) return 0;
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return 0;
        r = r << 4 | d;
    }
    *v = r;
    return 1;
}

/* Unescapes the string body [p, end) (quotes excluded) into out (room for end - p bytes:
 * no escape expands). Returns the length, or -1 on an invalid escape. Lone surrogates
 * become U+FFFD. */
static int32_t json_unescape(const uint8_t *p, const uint8_t *end, uint8_t *out)
{
    uint32_t o = 0;
    while (p < end) {
        uint8_t c = *p++;
        if (c != '\\') { out[o++] = c; continue; }
        if (p >= end) return -1;
        c = *p++;
        switch (c) {
        case '"': case '\\': case '/': out[o++] = c; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (!hex4(p, end, &cp)) return -1;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u'
                && hex4(p + 2, end, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            o += wasmudf_utf8_put(out + o, cp);
            break;
        }
        default: return -1;
        }
    }
    return (int32_t)o;
}

/* Skips one JSON value at p. Scalars are checked loosely (number characters, exact literals);
 * containers by matching brackets, skipping strings. Returns the end of the value or 0. */
static const uint8_t *json_skip_value(const uint8_t *p, const uint8_t *end, uint32_t **kinds_buf,
                                      uint32_t doc_len)
{
    if (p >= end) return 0;
    int esc;
    switch (*p) {
    case '"': return json_string_end(p, end, &esc);
    case 't': return end - p >= 4 && !memcmp(p, "true", 4) ? p + 4 : 0;
    case 'f': return end - p >= 5 && !memcmp(p, "false", 5) ? p + 5 : 0;
    case 'n': return end - p >= 4 && !memcmp(p, "null", 4) ? p + 4 : 0;
    case '{': case '[': {
        /* one bit per nesting level (1 = object, 0 = array); depth <= doc_len, and the buffer is
         * allocated once per json_get call, not per container */
        if (!*kinds_buf) *kinds_buf = wasmudf_alloc((doc_len / 32 + 1) * 4, 4);
        uint32_t *kinds = *kinds_buf;
        uint32_t depth = 0;
        while (p < end) {
            uint8_t c = *p;
            if (c == '"') {
                p = json_string_end(p, end, &esc);
                if (!p) return 0;
                continue;
            }
            if (c == '{' || c == '[') {
                if (c == '{') kinds[depth >> 5] |= 1u << (depth & 31);
                else kinds[depth >> 5] &= ~(1u << (depth & 31));
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) return 0;
                depth--;
                int is_obj = (kinds[depth >> 5] >> (depth & 31)) & 1;
                if (is_obj != (c == '}')) return 0;
                if (depth == 0) return p + 1;
            }
            p++;
        }
        return 0;
    }
    default: {
        const uint8_t *s = p;
        while (p < end && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.'
                           || *p == 'e' || *p == 'E'))
            p++;
        return p > s ? p : 0;
    }
    }
}

/* json_get(doc text, key text) RETURNS text CALLED ON NULL INPUT: the value of the top-level
 * field `key` of the JSON object `doc`. A string value is returned unescaped, any other value
 * as its raw JSON text (e.g. 42, true, {"a":[1]}). Returns NULL when doc or key is NULL, the
 * field is missing, its value is JSON null, or doc is not a well-formed JSON object. If a key
 * occurs twice the last occurrence wins (as in PostgreSQL jsonb). */
WASMUDF_EXPORT(json_get)
int32_t json_get(int32_t doc_some, const uint8_t *doc, uint32_t doc_len,
                 int32_t key_some, const uint8_t *key, uint32_t key_len)
{
    WASMUDF_ENTER();
    if (!doc_some || !key_some) return wasmudf_return_none_text();
    const uint8_t *end = doc + doc_len;
    const uint8_t *p = json_ws(doc, end);
    if (p >= end || *p != '{') return wasmudf_return_none_text();
    p = json_ws(p + 1, end);
    const uint8_t *found = 0, *found_end = 0;
    uint8_t *scratch = 0;
    uint32_t *kinds = 0;
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            if (p >= end || *p != '"') return wasmudf_return_none_text();
            int esc;
            const uint8_t *kend = json_string_end(p, end, &esc);
            if (!kend) return wasmudf_return_none_text();
            const uint8_t *kbody = p + 1;
            uint32_t klen = (uint32_t)(kend - 1 - kbody);
            int match;
            if (!esc) {
                match = klen == key_len && !memcmp(kbody, key, klen);
            } else {
                if (!scratch) scratch = wasmudf_alloc(doc_len, 1);
                int32_t ulen = json_unescape(kbody, kend - 1, scratch);
                if (ulen < 0) return wasmudf_return_none_text();
                match = (uint32_t)ulen == key_len && !memcmp(scratch, key, key_len);
            }
            p = json_ws(kend, end);
            if (p >= end || *p != ':') return wasmudf_return_none_text();
            p = json_ws(p + 1, end);
            const uint8_t *vend = json_skip_value(p, end, &kinds, doc_len);
            if (!vend) return wasmudf_return_none_text();
            if (match) { found = p; found_end = vend; }
            p = json_ws(vend, end);
            if (p < end && *p == ',') { p = json_ws(p + 1, end); continue; }
            if (p < end && *p == '}') { p++; break; }
            return wasmudf_return_none_text();
        }
    }
    if (json_ws(p, end) != end) return wasmudf_return_none_text(); /* trailing garbage */
    if (!found || *found == 'n') return wasmudf_return_none_text(); /* missing, or null */
    if (*found == '"') {
        uint8_t *out = wasmudf_alloc((uint32_t)(found_end - found), 1);
        int32_t n = json_unescape(found + 1, found_end - 1, out);
        if (n < 0) return wasmudf_return_none_text();
        return wasmudf_return_some_text(out, (uint32_t)n);
    }
    /* raw value text: argument memory stays ours until the next call, so point into it */
    return wasmudf_return_some_text(found, (uint32_t)(found_end - found));
}
