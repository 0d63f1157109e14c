/*
 * test-types.wasm - the SQL types beyond numbers and text (date, time, timestamp, timestamptz,
 * interval, uuid, numeric, json, character, arrays) through the SDK's helpers, for the host's
 * tests (h2-integration SqlTypesTest); some return deliberately bad values (noted).
 */
#include "wasmudf.h"

/* date_add(d date, n integer) RETURNS date: d + n, as PostgreSQL's date + integer */
WASMUDF_EXPORT(date_add) int32_t date_add(int32_t d, int32_t n)
{
    return d + n;
}

/* date_text(d date) RETURNS text: YYYY-MM-DD through wasmudf_date_to_ymd (years 1..9999) */
WASMUDF_EXPORT(date_text) int32_t date_text(int32_t d)
{
    WASMUDF_ENTER();
    int32_t y, m, day;
    wasmudf_date_to_ymd(d, &y, &m, &day);
    uint8_t *out = wasmudf_alloc(10, 1);
    int32_t parts[3] = {y, m, day};
    int widths[3] = {4, 2, 2};
    uint32_t o = 0;
    for (int k = 0; k < 3; k++) {
        if (k > 0) out[o++] = '-';
        for (int w = widths[k] - 1; w >= 0; w--) {
            int32_t v = parts[k];
            for (int q = 0; q < w; q++) v /= 10;
            out[o++] = (uint8_t)('0' + v % 10);
        }
    }
    return wasmudf_return_text(out, o);
}

/* make_date(y integer, m integer, d integer) RETURNS date: wasmudf_date_from_ymd */
WASMUDF_EXPORT(make_date) int32_t make_date(int32_t y, int32_t m, int32_t d)
{
    return wasmudf_date_from_ymd(y, m, d);
}

/* date_dow(d date) RETURNS integer: extract(dow from d) */
WASMUDF_EXPORT(date_dow) int32_t date_dow(int32_t d)
{
    return wasmudf_date_dow(d);
}

/* date_infinity() RETURNS date: PostgreSQL's 'infinity' (INT32_MAX), which H2 cannot store -> 22008 */
WASMUDF_EXPORT(date_infinity) int32_t date_infinity(void)
{
    return INT32_MAX;
}

/* ts_add_us(t timestamp, us bigint) RETURNS timestamp (also timestamptz): t + us microseconds */
WASMUDF_EXPORT(ts_add_us) int64_t ts_add_us(int64_t t, int64_t us)
{
    return t + us;
}

/* ts_date(t timestamp) RETURNS date: t::date */
WASMUDF_EXPORT(ts_date) int32_t ts_date(int64_t t)
{
    return wasmudf_timestamp_date(t);
}

/* ts_time(t timestamp) RETURNS time: t::time */
WASMUDF_EXPORT(ts_time) int64_t ts_time(int64_t t)
{
    return wasmudf_timestamp_time(t);
}

/* ts_infinity() RETURNS timestamp: INT64_MAX -> 22008 */
WASMUDF_EXPORT(ts_infinity) int64_t ts_infinity(void)
{
    return INT64_MAX;
}

/* time_add_us(t time, us bigint) RETURNS time: t + us, NOT wrapped (past midnight -> 22008) */
WASMUDF_EXPORT(time_add_us) int64_t time_add_us(int64_t t, int64_t us)
{
    return t + us;
}

/* interval_twice(i interval) RETURNS interval: every field doubled, as i * 2 for day-time intervals */
WASMUDF_EXPORT(interval_twice) int32_t interval_twice(int32_t months, int32_t days, int64_t micros)
{
    return wasmudf_return_interval(months * 2, days * 2, micros * 2);
}

/* interval_months(n integer) RETURNS interval: n months, 0 days (months != 0 -> 22008 under H2) */
WASMUDF_EXPORT(interval_months) int32_t interval_months(int32_t n)
{
    return wasmudf_return_interval(n, 0, 0);
}

/* interval_micros(i interval) RETURNS bigint: the micros field */
WASMUDF_EXPORT(interval_micros) int64_t interval_micros(int32_t months, int32_t days, int64_t micros)
{
    (void)months;
    (void)days;
    return micros;
}

/* uuid_text(u uuid) RETURNS text: u::text */
WASMUDF_EXPORT(uuid_text) int32_t uuid_text(uint64_t hi, uint64_t lo)
{
    WASMUDF_ENTER();
    uint8_t *out = wasmudf_alloc(36, 1);
    wasmudf_uuid_format(hi, lo, out);
    return wasmudf_return_text(out, 36);
}

/* uuid_swap(u uuid) RETURNS uuid: the halves swapped */
WASMUDF_EXPORT(uuid_swap) int32_t uuid_swap(uint64_t hi, uint64_t lo)
{
    return wasmudf_return_uuid(lo, hi);
}

/* opt_uuid(u uuid) RETURNS uuid CALLED ON NULL INPUT: u, NULL for NULL */
WASMUDF_EXPORT(opt_uuid) int32_t opt_uuid(int32_t some, uint64_t hi, uint64_t lo)
{
    return some ? wasmudf_return_some_uuid(hi, lo) : wasmudf_return_none_uuid();
}

/* numeric_scaled(n numeric) RETURNS numeric: n rounded to 2 places through a scaled int64,
 * as round(n, 2); text that does not fit gives 'overflow', which is no numeric -> 22P02 */
WASMUDF_EXPORT(numeric_scaled) int32_t numeric_scaled(const uint8_t *p, uint32_t len)
{
    WASMUDF_ENTER();
    int64_t v;
    if (wasmudf_numeric_to_scaled(p, len, 2, &v) != 0) return wasmudf_return_text((const uint8_t *)"overflow", 8);
    uint8_t *out = wasmudf_alloc(24, 1);
    return wasmudf_return_text(out, wasmudf_numeric_from_scaled(v, 2, out));
}

/* text_echo(s text) RETURNS text/numeric/json: its argument (for numeric/json results: whatever text it is given) */
WASMUDF_EXPORT(text_echo) int32_t text_echo(const uint8_t *p, uint32_t len)
{
    WASMUDF_ENTER();
    return wasmudf_return_text(p, len);
}

/* text_len(s character) RETURNS integer: bytes, padding included */
WASMUDF_EXPORT(text_len) int32_t text_len(const uint8_t *p, uint32_t len)
{
    WASMUDF_ENTER();
    (void)p;
    return (int32_t)len;
}

/* opt_interval_micros(i interval) RETURNS bigint CALLED ON NULL INPUT: the micros field, NULL for NULL */
WASMUDF_EXPORT(opt_interval_micros) int32_t opt_interval_micros(int32_t some, int32_t months, int32_t days, int64_t micros)
{
    (void)months;
    (void)days;
    return some ? wasmudf_return_some_i64(micros) : wasmudf_return_none_i64();
}

/* opt_text_echo(s T) RETURNS T CALLED ON NULL INPUT, T any (ptr, len) type: the argument, NULL for NULL */
WASMUDF_EXPORT(opt_text_echo) int32_t opt_text_echo(int32_t some, const uint8_t *p, uint32_t len)
{
    WASMUDF_ENTER();
    return some ? wasmudf_return_some_text(p, len) : wasmudf_return_none_text();
}

/* opt_date_add(d date, n integer) RETURNS date CALLED ON NULL INPUT: d + n, NULL if either is NULL (packed) */
WASMUDF_EXPORT(opt_date_add) wasmudf_opt32 opt_date_add(int32_t some_d, int32_t d, int32_t some_n, int32_t n)
{
    return some_d && some_n ? wasmudf_some32_i32(d + n) : wasmudf_none32();
}

/* ---- arrays -------------------------------------------------------------------------------- */

/* int_array_sum(a integer[]) RETURNS bigint: the sum of the non-NULL elements */
WASMUDF_EXPORT(int_array_sum) int64_t int_array_sum(uint32_t ptr, uint32_t len)
{
    WASMUDF_ENTER();
    wasmudf_array a = wasmudf_array_of(ptr, len, 4);
    int64_t sum = 0;
    for (uint32_t i = 0; i < a.len; i++)
        if (!wasmudf_array_is_null(&a, i)) sum += ((const int32_t *)a.elems)[i];
    return sum;
}

/* array_len(a anyarray) RETURNS integer: len, NULLs included */
WASMUDF_EXPORT(array_len) int32_t array_len(uint32_t ptr, uint32_t len)
{
    WASMUDF_ENTER();
    (void)ptr;
    return (int32_t)len;
}

/* array_nulls(a anyarray) RETURNS integer, with the element size given as the export name's
 * suffix: the number of NULL elements (reads the bitmap after the elements) */
#define ARRAY_NULLS(size)                                                              \
    WASMUDF_EXPORT(array_nulls##size) int32_t array_nulls##size(uint32_t ptr, uint32_t len) \
    {                                                                                  \
        WASMUDF_ENTER();                                                               \
        wasmudf_array a = wasmudf_array_of(ptr, len, size);                            \
        int32_t n = 0;                                                                 \
        for (uint32_t i = 0; i < a.len; i++) n += wasmudf_array_is_null(&a, i);        \
        return n;                                                                      \
    }
ARRAY_NULLS(4)
ARRAY_NULLS(8)
ARRAY_NULLS(16)

/* int_array_inc(a integer[]) RETURNS integer[]: every element + 1, NULLs kept (a new array) */
WASMUDF_EXPORT(int_array_inc) int32_t int_array_inc(uint32_t ptr, uint32_t len)
{
    WASMUDF_ENTER();
    wasmudf_array a = wasmudf_array_of(ptr, len, 4);
    uint8_t *nulls;
    int32_t *out = wasmudf_array_new(len, 4, 4, &nulls);
    for (uint32_t i = 0; i < len; i++) {
        if (wasmudf_array_is_null(&a, i)) wasmudf_array_set_null(nulls, i);
        else out[i] = ((const int32_t *)a.elems)[i] + 1;
    }
    return wasmudf_return_array(out, len);
}

/* text_array_upper(a text[]) RETURNS text[]: ASCII upper case of every element, NULLs kept */
WASMUDF_EXPORT(text_array_upper) int32_t text_array_upper(uint32_t ptr, uint32_t len)
{
    WASMUDF_ENTER();
    wasmudf_array a = wasmudf_array_of(ptr, len, 8);
    uint8_t *nulls;
    wasmudf_text_ret *out = wasmudf_array_new(len, 8, 4, &nulls);
    for (uint32_t i = 0; i < len; i++) {
        if (wasmudf_array_is_null(&a, i)) {
            wasmudf_array_set_null(nulls, i);
            continue;
        }
        const wasmudf_text_ret *s = &((const wasmudf_text_ret *)a.elems)[i];
        uint8_t *u = wasmudf_alloc(s->len, 1);
        for (uint32_t k = 0; k < s->len; k++) {
            uint8_t c = ((const uint8_t *)(uintptr_t)s->ptr)[k];
            u[k] = c >= 'a' && c <= 'z' ? (uint8_t)(c - 32) : c;
        }
        out[i].ptr = (uint32_t)(uintptr_t)u;
        out[i].len = s->len;
    }
    return wasmudf_return_array(out, len);
}

/* text_array_join(a text[]) RETURNS text: the non-NULL elements joined by ',' (array_to_string(a, ',')) */
WASMUDF_EXPORT(text_array_join) int32_t text_array_join(uint32_t ptr, uint32_t len)
{
    WASMUDF_ENTER();
    wasmudf_array a = wasmudf_array_of(ptr, len, 8);
    const wasmudf_text_ret *e = a.elems;
    uint32_t total = 0;
    for (uint32_t i = 0; i < len; i++) total += wasmudf_array_is_null(&a, i) ? 0 : e[i].len + 1;
    uint8_t *out = wasmudf_alloc(total, 1);
    uint32_t o = 0;
    int first = 1;
    for (uint32_t i = 0; i < len; i++) {
        if (wasmudf_array_is_null(&a, i)) continue;
        if (!first) out[o++] = ',';
        first = 0;
        memcpy(out + o, (const void *)(uintptr_t)e[i].ptr, e[i].len);
        o += e[i].len;
    }
    return wasmudf_return_text(out, o);
}

/* array_echo(a T[]) RETURNS T[]: the argument's own block back (elements, bitmap and strings) */
WASMUDF_EXPORT(array_echo) int32_t array_echo(uint32_t ptr, uint32_t len)
{
    WASMUDF_ENTER();
    return wasmudf_return_array((const void *)(uintptr_t)ptr, len);
}

/* opt_array_len(a integer[]) RETURNS integer CALLED ON NULL INPUT: len, NULL for NULL */
WASMUDF_EXPORT(opt_array_len) int32_t opt_array_len(int32_t some, uint32_t ptr, uint32_t len)
{
    WASMUDF_ENTER();
    (void)ptr;
    return some ? wasmudf_return_some_i32((int32_t)len) : wasmudf_return_none_i32();
}

/* bad arrays (results): a length beyond H2's 65536 -> 54000; (ptr, len) outside memory -> 2202E;
 * a bigint[] at an odd address -> 2202E */
WASMUDF_EXPORT(array_huge) int32_t array_huge(void)
{
    return wasmudf_return_array((const void *)16, 0x7fffffffu);
}

WASMUDF_EXPORT(array_wild) int32_t array_wild(void)
{
    return wasmudf_return_array((const void *)(uintptr_t)0xfffff000u, 1000);
}

WASMUDF_EXPORT(array_misaligned) int32_t array_misaligned(void)
{
    return wasmudf_return_array((const void *)(uintptr_t)65539u, 1);
}
