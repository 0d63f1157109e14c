/*
 * test-text16.wasm - text arguments in the canonical ABI's latin1+utf16 encoding
 * (WASMUDF_TEXT_ARGS_LATIN1_UTF16), for the host's lowering tests.
 *
 *   code_points(s text) RETURNS integer STRICT                  -> code points of s
 *   code_points_or_null(s text) RETURNS integer CALLED ON NULL INPUT
 *   tagged_len(s text) RETURNS integer STRICT                   -> the length word as passed
 *   unit_at(s text, i integer) RETURNS integer STRICT           -> code unit i (-1 past the end)
 *   aligned(s text) RETURNS integer STRICT                      -> 1 if the pointer is 2-byte aligned
 */
#include "wasmudf.h"

WASMUDF_TEXT_ARGS_LATIN1_UTF16

WASMUDF_EXPORT(code_points) int32_t code_points(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    return (int32_t)wasmudf_text_code_points(s, len);
}
WASMUDF_POST(code_points, int32_t)

WASMUDF_EXPORT(code_points_or_null) int32_t code_points_or_null(int32_t is_some, const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    return is_some ? wasmudf_return_some_i32((int32_t)wasmudf_text_code_points(s, len)) : wasmudf_return_none_i32();
}
WASMUDF_POST(code_points_or_null, int32_t)

WASMUDF_EXPORT(tagged_len) int32_t tagged_len(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    (void)s;
    return (int32_t)len;
}
WASMUDF_POST(tagged_len, int32_t)

WASMUDF_EXPORT(unit_at) int32_t unit_at(const uint8_t *s, uint32_t len, int32_t i)
{
    WASMUDF_ENTER();
    if (i < 0 || (uint32_t)i >= wasmudf_text_units(len)) return -1;
    return wasmudf_text_is_utf16(len) ? ((const uint16_t *)s)[i] : s[i];
}
WASMUDF_POST(unit_at, int32_t)

WASMUDF_EXPORT(aligned) int32_t aligned(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    (void)len;
    return ((uintptr_t)s & 1) == 0;
}
WASMUDF_POST(aligned, int32_t)
