/* C UDFs built against wasi-libc (malloc, snprintf) with the default reactor command:
 *   clang --target=wasm32-wasi -mexec-model=reactor -O2 -Iinclude -o modules/wasi-udfs.wasm src/wasi/udfs.c
 * (build.sh). They import WASI functions through libc; WasmUDF provides them sandboxed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasmudf.h"

/* ---------------------------------------------------------------- format_fixed ----------- */

/* format_fixed(x double precision, digits integer) RETURNS text STRICT: x with exactly `digits`
 * decimals (0..40), rounded as printf does (the exact binary value, ties to even); NaN and the
 * infinities as PostgreSQL spells them; never a negative zero ("-0.00" is "0.00"). */
WASMUDF_EXPORT(format_fixed) int32_t format_fixed(double x, int32_t digits)
{
    WASMUDF_ENTER();
    if (digits < 0 || digits > 40) wasmudf_raise("22023", "format_fixed: digits must be between 0 and 40");
    if (isnan(x)) return wasmudf_return_text((const uint8_t *)"NaN", 3);
    if (isinf(x)) return x > 0 ? wasmudf_return_text((const uint8_t *)"Infinity", 8)
                               : wasmudf_return_text((const uint8_t *)"-Infinity", 9);
    int n = snprintf(NULL, 0, "%.*f", (int)digits, x);
    char *out = wasmudf_alloc((size_t)n + 1, 1);
    snprintf(out, (size_t)n + 1, "%.*f", (int)digits, x);
    char *p = out;
    if (*p == '-' && strspn(out + 1, "0.") == (size_t)n - 1) { p++; n--; } /* -0.00 -> 0.00 */
    return wasmudf_return_text((const uint8_t *)p, (uint32_t)n);
}

/* ---------------------------------------------------------------- json_path -------------- */
/* A validating JSON reader over [p, end): each function returns the position after what it read,
 * or NULL when the text there is not valid JSON. */

typedef const char *pos;

static pos ws(pos p, pos end) { while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++; return p; }

static int hexval(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; }

/* Reads a JSON string starting at its quote; decodes it into out (when not NULL, room for end-p bytes). */
static pos string(pos p, pos end, char *out, size_t *len)
{
    size_t n = 0;
    if (p >= end || *p != '"') return NULL;
    for (p++; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') { if (len) *len = n; return p + 1; }
        if (c < 0x20) return NULL;
        if (c != '\\') { if (out) out[n] = (char)c; n++; continue; }
        if (++p >= end) return NULL;
        uint32_t cp;
        switch (*p) {
        case '"': cp = '"'; break;
        case '\\': cp = '\\'; break;
        case '/': cp = '/'; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u': {
            if (end - p < 5) return NULL;
            cp = 0;
            for (int i = 1; i <= 4; i++) { int h = hexval(p[i]); if (h < 0) return NULL; cp = cp << 4 | (uint32_t)h; }
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 7 && p[1] == '\\' && p[2] == 'u') {
                uint32_t lo = 0;
                int ok = 1;
                for (int i = 3; i <= 6; i++) { int h = hexval(p[i]); if (h < 0) { ok = 0; break; } lo = lo << 4 | (uint32_t)h; }
                if (ok && lo >= 0xDC00 && lo < 0xE000) { cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); p += 6; }
            }
            if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD; /* a lone surrogate */
            break;
        }
        default: return NULL;
        }
        uint8_t buf[4];
        uint32_t k = wasmudf_utf8_put(buf, cp);
        if (out) memcpy(out + n, buf, k);
        n += k;
    }
    return NULL;
}

static pos value(pos p, pos end, int depth);

static pos number(pos p, pos end)
{
    pos s = p;
    if (p < end && *p == '-') p++;
    if (p >= end) return NULL;
    if (*p == '0') p++;
    else if (*p >= '1' && *p <= '9') while (p < end && *p >= '0' && *p <= '9') p++;
    else return NULL;
    if (p < end && *p == '.') { p++; pos d = p; while (p < end && *p >= '0' && *p <= '9') p++; if (p == d) return NULL; }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        pos d = p;
        while (p < end && *p >= '0' && *p <= '9') p++;
        if (p == d) return NULL;
    }
    return p > s ? p : NULL;
}

static pos literal(pos p, pos end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* Reads one value (after whitespace); containers nest at most 1000 deep. */
static pos value(pos p, pos end, int depth)
{
    p = ws(p, end);
    if (p >= end || depth > 1000) return NULL;
    switch (*p) {
    case '"': return string(p, end, NULL, NULL);
    case 't': return literal(p, end, "true");
    case 'f': return literal(p, end, "false");
    case 'n': return literal(p, end, "null");
    case '[':
        p = ws(p + 1, end);
        if (p < end && *p == ']') return p + 1;
        for (;;) {
            if (!(p = value(p, end, depth + 1))) return NULL;
            p = ws(p, end);
            if (p < end && *p == ',') { p++; continue; }
            return p < end && *p == ']' ? p + 1 : NULL;
        }
    case '{':
        p = ws(p + 1, end);
        if (p < end && *p == '}') return p + 1;
        for (;;) {
            if (!(p = string(ws(p, end), end, NULL, NULL))) return NULL;
            p = ws(p, end);
            if (p >= end || *p != ':') return NULL;
            if (!(p = value(p + 1, end, depth + 1))) return NULL;
            p = ws(p, end);
            if (p < end && *p == ',') { p++; continue; }
            return p < end && *p == '}' ? p + 1 : NULL;
        }
    default: return number(p, end);
    }
}

/* One path step: a member name (decoded) or an array index. */
typedef struct { int is_index; uint32_t index; const char *name; size_t len; } step;

/* Parses the next step of a jsonpath ($.a."b c"[3]) at *q; 0 at the end, -1 when malformed. */
static int next_step(pos *q, pos end, step *st, char *scratch)
{
    pos p = *q;
    if (p >= end) return 0;
    if (*p == '.') {
        p++;
        if (p < end && *p == '"') {
            size_t n;
            if (!(p = string(p, end, scratch, &n))) return -1;
            st->is_index = 0; st->name = scratch; st->len = n;
        } else {
            pos s = p;
            while (p < end && (*p == '_' || *p == '$' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
                               || (p > s && *p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80)) p++;
            if (p == s) return -1;
            st->is_index = 0; st->name = s; st->len = (size_t)(p - s);
        }
    } else if (*p == '[') {
        p++;
        uint64_t v = 0;
        pos s = p;
        while (p < end && *p >= '0' && *p <= '9' && v <= 0xFFFFFFFFu) v = v * 10 + (uint64_t)(*p++ - '0');
        if (p == s || p >= end || *p != ']' || v > 0xFFFFFFFFu) return -1;
        p++;
        st->is_index = 1; st->index = (uint32_t)v;
    } else {
        return -1;
    }
    *q = p;
    return 1;
}

/* json_path(doc text, path text) RETURNS text CALLED ON NULL INPUT: the value at a jsonpath of
 * the form $.key."quoted key"[index]... in JSON document doc (strict mode: no automatic
 * unwrapping of arrays): a string unescaped, null as SQL NULL, anything else as its JSON text.
 * NULL when doc or path is NULL, doc is not valid JSON, or nothing is at the path (a missing key,
 * an index past the end, a key applied to a non-object). A path not of that form: 42601. When
 * an object repeats a key, the last one counts, as in jsonb. */
WASMUDF_EXPORT(json_path) int32_t json_path(int32_t has_doc, const char *doc, uint32_t doc_len,
                                           int32_t has_path, const char *path, uint32_t path_len)
{
    WASMUDF_ENTER();
    if (!has_doc || !has_path) return wasmudf_return_none_text();
    pos end = doc + doc_len, pend = path + path_len;
    pos q = path;
    if (path_len == 0 || *q != '$') wasmudf_raise("42601", "json_path: a path starts with $");
    q++;
    pos v = ws(doc, end);
    pos after = value(v, end, 0);
    if (!after || ws(after, end) != end) return wasmudf_return_none_text();
    char *scratch = wasmudf_alloc(path_len + 1, 1);
    char *key = wasmudf_alloc(doc_len + 1, 1);
    step st;
    int r;
    while ((r = next_step(&q, pend, &st, scratch)) == 1) {
        pos found = NULL;
        if (!st.is_index && *v == '{') {
            pos p = ws(v + 1, end);
            while (p < end && *p != '}') {
                size_t klen;
                pos k = string(p, end, key, &klen);
                pos val = ws(ws(k, end) + 1, end);
                if (klen == st.len && memcmp(key, st.name, klen) == 0) found = val; /* the last one wins */
                p = ws(value(val, end, 0), end);
                if (*p == ',') p = ws(p + 1, end);
            }
        } else if (st.is_index && *v == '[') {
            pos p = ws(v + 1, end);
            for (uint32_t i = 0; p < end && *p != ']'; i++) {
                if (i == st.index) { found = p; break; }
                p = ws(value(p, end, 0), end);
                if (*p == ',') p = ws(p + 1, end);
            }
        }
        if (!found) return wasmudf_return_none_text();
        v = found;
    }
    if (r < 0) wasmudf_raise("42601", "json_path: syntax error in the path");
    pos vend = value(v, end, 0);
    if (*v == 'n') return wasmudf_return_none_text();
    if (*v == '"') {
        size_t n;
        char *out = wasmudf_alloc((size_t)(vend - v), 1);
        string(v, end, out, &n);
        return wasmudf_return_some_text((const uint8_t *)out, (uint32_t)n);
    }
    return wasmudf_return_some_text((const uint8_t *)v, (uint32_t)(vend - v));
}
