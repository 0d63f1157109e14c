/* Guest UDFs for the per-row SQL benchmarks, written against the project's guest SDK
 * (wasm-udfs/include/wasmudf.h, canonical ABI):
 *   inc(x integer) RETURNS integer STRICT                     -> x + 1
 *   inc_nullable(x integer) RETURNS integer CALLED ON NULL INPUT -> x + 1, NULL for NULL
 *   char_len(s text) RETURNS integer STRICT                   -> number of code points
 *   char_len_nullable(s text) RETURNS integer CALLED ON NULL INPUT
 */
#include "wasmudf.h"

/* Scalar functions: no WASMUDF_ENTER (see wasmudf.h), as the SDK recommends. */
WASMUDF_EXPORT(inc) int32_t inc(int32_t x)
{
    return (int32_t)((uint32_t)x + 1u);
}

WASMUDF_EXPORT(inc_nullable) wasmudf_opt32 inc_nullable(int32_t is_some, int32_t x)
{
    return is_some ? wasmudf_some32_i32((int32_t)((uint32_t)x + 1u)) : wasmudf_none32();
}

WASMUDF_EXPORT(char_len) int32_t char_len(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    return (int32_t)wasmudf_utf8_code_points(s, len);
}

WASMUDF_EXPORT(char_len_nullable) wasmudf_opt32 char_len_nullable(int32_t is_some, const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    return is_some ? wasmudf_some32_i32((int32_t)wasmudf_utf8_code_points(s, len)) : wasmudf_none32();
}
