/* The text UDFs of sqlbench.c, with text arguments in the canonical ABI's latin1+utf16 encoding
 * (WASMUDF_TEXT_ARGS_LATIN1_UTF16, see wasm-udfs/include/wasmudf.h): a Latin-1 string arrives as
 * one byte per character, anything else as UTF-16 code units, as a Java host holds them.
 *   char_len16(s text) RETURNS integer STRICT                   -> number of code points
 *   char_len16_nullable(s text) RETURNS integer CALLED ON NULL INPUT
 */
#include "wasmudf.h"

WASMUDF_TEXT_ARGS_LATIN1_UTF16

WASMUDF_EXPORT(char_len16) int32_t char_len16(const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    return (int32_t)wasmudf_text_code_points(s, len);
}

WASMUDF_EXPORT(char_len16_nullable) wasmudf_opt32 char_len16_nullable(int32_t is_some, const uint8_t *s, uint32_t len)
{
    WASMUDF_ENTER();
    return is_some ? wasmudf_some32_i32((int32_t)wasmudf_text_code_points(s, len)) : wasmudf_none32();
}
