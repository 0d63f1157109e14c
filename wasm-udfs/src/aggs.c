/*
 * aggs.wasm - support functions for wasm aggregates (CREATE AGGREGATE ... SFUNC = ...): the
 * transition and final functions are ordinary scalar UDFs; the aggregate's state travels between
 * calls as a SQL value (a number, or bytea for a state the guest serialises itself).
 * SQL signatures: see modules/manifest.txt; README.md shows the CREATE AGGREGATE statements.
 */
#include "wasmudf.h"

/* int4_sum_acc(state bigint, x integer) RETURNS bigint STRICT: state + x, the transition of a
 * SUM(integer) with INITCOND '0' (wraps on overflow; 2^63 / 2^31 rows are out of reach). */
WASMUDF_EXPORT(int4_sum_acc) int64_t int4_sum_acc(int64_t state, int32_t x)
{
    return (int64_t)((uint64_t)state + (uint64_t)(int64_t)x);
}

/* int8_sum_acc(state bigint, x bigint) RETURNS bigint STRICT: state + x (wrapping). With no
 * INITCOND the first non-NULL x becomes the state, PostgreSQL's rule for strict transitions. */
WASMUDF_EXPORT(int8_sum_acc) int64_t int8_sum_acc(int64_t state, int64_t x)
{
    return (int64_t)((uint64_t)state + (uint64_t)x);
}

/* int4_larger(a integer, b integer) RETURNS integer STRICT: the larger one (a MAX transition). */
WASMUDF_EXPORT(int4_larger) int32_t int4_larger(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

/* count_acc(state bigint, x integer) RETURNS bigint CALLED ON NULL INPUT: state + 1 for every
 * row, NULL x included (a COUNT(*)-like transition that sees NULLs); a NULL state counts as 0. */
WASMUDF_EXPORT(count_acc) int32_t count_acc(int32_t state_some, int64_t state, int32_t x_some, int32_t x)
{
    (void)x_some;
    (void)x;
    return wasmudf_return_some_i64((state_some ? state : 0) + 1);
}

/* The state of avg_acc/avg_final: a row count and a sum, as 16 little-endian bytes (bytea). */
typedef struct {
    int64_t n;
    double sum;
} avg_state;

/* avg_acc(state bytea, x double precision) RETURNS bytea STRICT: adds x to the serialised state;
 * an empty state (INITCOND '\x') is no rows yet. A state of any other length is not one this
 * function wrote: it traps rather than guess. */
WASMUDF_EXPORT(avg_acc) int32_t avg_acc(const uint8_t *s, uint32_t len, double x)
{
    WASMUDF_ENTER();
    avg_state st = {0, 0.0};
    if (len == sizeof st) {
        __builtin_memcpy(&st, s, sizeof st);
    } else if (len != 0) {
        __builtin_trap();
    }
    st.n++;
    st.sum += x;
    uint8_t *out = wasmudf_alloc(sizeof st, 8);
    __builtin_memcpy(out, &st, sizeof st);
    return wasmudf_return_text(out, sizeof st);
}

/* avg_final(state bytea) RETURNS double precision CALLED ON NULL INPUT: sum / count, NULL when
 * no row was added (PostgreSQL's avg of no rows). */
WASMUDF_EXPORT(avg_final) int32_t avg_final(int32_t some, const uint8_t *s, uint32_t len)
{
    if (!some || len == 0) return wasmudf_return_none_f64();
    if (len != sizeof(avg_state)) __builtin_trap();
    avg_state st;
    __builtin_memcpy(&st, s, sizeof st);
    return wasmudf_return_some_f64(st.sum / (double)st.n);
}

/* text_join_acc(state text, x text) RETURNS text STRICT: state || ',' || x (a string_agg with a
 * fixed separator; with no INITCOND the first value is the state). */
WASMUDF_EXPORT(text_join_acc) int32_t text_join_acc(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen)
{
    WASMUDF_ENTER();
    uint8_t *out = wasmudf_alloc(alen + 1 + blen, 1);
    __builtin_memcpy(out, a, alen);
    out[alen] = ',';
    __builtin_memcpy(out + alen + 1, b, blen);
    return wasmudf_return_text(out, alen + 1 + blen);
}
