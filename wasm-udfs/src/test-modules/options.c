/*
 * test-options.wasm - CALLED ON NULL INPUT functions returning packed option results
 * (wasmudf_opt32: one i64 instead of a return area), one per 32-bit SQL result type, for the
 * host's tests of that form. Each returns NULL for a NULL argument and for the value noted.
 */
#include "wasmudf.h"

/* opt_int(x integer) RETURNS integer: x * 2 (wrapping); NULL for 7 */
WASMUDF_EXPORT(opt_int) wasmudf_opt32 opt_int(int32_t some, int32_t x)
{
    if (!some || x == 7) return wasmudf_none32();
    return wasmudf_some32_i32((int32_t)((uint32_t)x * 2u));
}

/* opt_real(x real) RETURNS real: -x, bit for bit (NaN payloads and -0.0 survive); NULL for 7 */
WASMUDF_EXPORT(opt_real) wasmudf_opt32 opt_real(int32_t some, float x)
{
    if (!some || x == 7.0f) return wasmudf_none32();
    return wasmudf_some32_f32(-x);
}

/* opt_bool(b boolean) RETURNS boolean: NOT b */
WASMUDF_EXPORT(opt_bool) wasmudf_opt32 opt_bool(int32_t some, int32_t b)
{
    return some ? wasmudf_some32_i32(!b) : wasmudf_none32();
}

/* opt_small(x smallint) RETURNS smallint: x + 1, so 32767 gives a value out of smallint's range */
WASMUDF_EXPORT(opt_small) wasmudf_opt32 opt_small(int32_t some, int32_t x)
{
    return some ? wasmudf_some32_i32(x + 1) : wasmudf_none32();
}

/* bad_packed(x integer) RETURNS integer: discriminant 2 in the high half (only 0 and 1 are valid) */
WASMUDF_EXPORT(bad_packed) int64_t bad_packed(int32_t some, int32_t x)
{
    return (int64_t)((uint64_t)2 << 32 | (uint32_t)(some ? x : 0));
}

/* wide(x bigint) RETURNS bigint declared CALLED ON NULL INPUT: an i64 result, which cannot be a
 * packed option (a 64-bit value leaves no room for the discriminant), so CREATE FUNCTION fails */
WASMUDF_EXPORT(wide) int64_t wide(int32_t some, int64_t x)
{
    return some ? x : 0;
}
