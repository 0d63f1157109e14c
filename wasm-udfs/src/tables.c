/*
 * tables.wasm - table functions (RETURNS TABLE / RETURNS SETOF): one call returns a batch of rows
 * in linear memory, {u32 rows_ptr, u32 row_count} (docs/ABI.md, "Table functions"); each row is a
 * record of option<T> columns laid out as the canonical ABI lays out a record.
 * SQL signatures: see modules/manifest.txt.
 */
#include "wasmudf.h"

typedef struct {
    uint32_t rows;
    uint32_t count;
} wasmudf_batch;

static wasmudf_batch batch;

static int32_t return_batch(void *rows, uint32_t count)
{
    batch.rows = (uint32_t)(uintptr_t)rows;
    batch.count = count;
    return (int32_t)(uintptr_t)&batch;
}

/* One row of split_words: option<text> word, option<i32> pos. */
typedef struct {
    wasmudf_opt_text word;
    wasmudf_opt_i32 pos;
} word_row;
_Static_assert(sizeof(word_row) == 20 && offsetof(word_row, pos) == 12, "record layout of (text, integer)");

/* split_words(s text) RETURNS TABLE (word text, pos integer) STRICT: the space-separated words of
 * s with their 1-based positions, like PostgreSQL's regexp_split_to_table(s, ' +') WITH ORDINALITY
 * on a string without leading or trailing spaces. The words point into the argument's copy. */
WASMUDF_EXPORT(split_words) int32_t split_words(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    uint32_t n = 0;
    for (uint32_t i = 0; i < len; i++)
        if (s[i] != ' ' && (i == 0 || s[i - 1] == ' ')) n++;
    word_row *rows = wasmudf_alloc(n * sizeof(word_row) + 1, 4);
    uint32_t k = 0;
    for (uint32_t i = 0; i < len;) {
        while (i < len && s[i] == ' ') i++;
        if (i == len) break;
        uint32_t start = i;
        while (i < len && s[i] != ' ') i++;
        rows[k].word.is_some = 1;
        rows[k].word.ptr = (uint32_t)(uintptr_t)(s + start);
        rows[k].word.len = i - start;
        rows[k].pos.is_some = 1;
        rows[k].pos.value = (int32_t)(k + 1);
        k++;
    }
    return return_batch(rows, n);
}

/* series(n integer) RETURNS SETOF integer STRICT: 1, 2, …, n (none for n < 1), like
 * generate_series(1, n). */
WASMUDF_EXPORT(series) int32_t series(int32_t n)
{
    WASMUDF_ENTER();
    uint32_t count = n > 0 ? (uint32_t)n : 0;
    wasmudf_opt_i32 *rows = wasmudf_alloc(count * sizeof(wasmudf_opt_i32) + 1, 4);
    for (uint32_t i = 0; i < count; i++) {
        rows[i].is_some = 1;
        rows[i].value = (int32_t)(i + 1);
    }
    return return_batch(rows, count);
}

/* evens_or_null(n integer) RETURNS SETOF bigint STRICT: for i in 1..n, i when even, else NULL. */
WASMUDF_EXPORT(evens_or_null) int32_t evens_or_null(int32_t n)
{
    WASMUDF_ENTER();
    uint32_t count = n > 0 ? (uint32_t)n : 0;
    wasmudf_opt_i64 *rows = wasmudf_alloc(count * sizeof(wasmudf_opt_i64) + 1, 8);
    for (uint32_t i = 0; i < count; i++) {
        rows[i].is_some = (i + 1) % 2 == 0;
        rows[i].value = rows[i].is_some ? (int64_t)(i + 1) : 0;
    }
    return return_batch(rows, count);
}

/* forever() RETURNS SETOF integer STRICT: keeps producing rows and never returns; the host stops
 * it at its memory limit (or the statement's timeout). */
WASMUDF_EXPORT(forever) int32_t forever(void)
{
    WASMUDF_ENTER();
    for (uint32_t i = 0;; i++) {
        wasmudf_opt_i32 *row = wasmudf_alloc(sizeof(wasmudf_opt_i32), 4);
        row->is_some = 1;
        row->value = (int32_t)i;
    }
}

/* bad_batch() RETURNS SETOF integer STRICT: claims a billion rows at address 16: a malformed batch. */
WASMUDF_EXPORT(bad_batch) int32_t bad_batch(void)
{
    return return_batch((void *)16, 1000000000u);
}
