/*
 * test-badabi.wasm - UDFs that break the ABI contract on purpose, for the host's marshalling
 * error tests. Calling them must produce a clear error, never a host crash. All are STRICT,
 * take no arguments, and claim to return text (or option<integer> for bad_option).
 */
#include "wasmudf.h"

static wasmudf_text_ret bad;

/* text_ptr_oob() RETURNS text: return area {ptr = 0xFFFFFFF0, len = 100} (outside memory). */
WASMUDF_EXPORT(text_ptr_oob) int32_t text_ptr_oob(void)
{
    WASMUDF_ENTER();
    bad.ptr = 0xFFFFFFF0u;
    bad.len = 100;
    return (int32_t)(uintptr_t)&bad;
}
WASMUDF_POST(text_ptr_oob, int32_t)

/* text_len_huge() RETURNS text: a valid pointer with len = 0x7FFFFFFF. */
WASMUDF_EXPORT(text_len_huge) int32_t text_len_huge(void)
{
    WASMUDF_ENTER();
    bad.ptr = (uint32_t)(uintptr_t)&__heap_base;
    bad.len = 0x7FFFFFFFu;
    return (int32_t)(uintptr_t)&bad;
}
WASMUDF_POST(text_len_huge, int32_t)

/* retptr_oob() RETURNS text: the return-area pointer itself is out of bounds (0xFFFFFFFC). */
WASMUDF_EXPORT(retptr_oob) int32_t retptr_oob(void)
{
    WASMUDF_ENTER();
    return (int32_t)0xFFFFFFFCu;
}
WASMUDF_POST(retptr_oob, int32_t)

/* bad_utf8() RETURNS text: the bytes FF FE 41, which are not UTF-8. */
WASMUDF_EXPORT(bad_utf8) int32_t bad_utf8(void)
{
    WASMUDF_ENTER();
    static const uint8_t bytes[3] = {0xFF, 0xFE, 0x41};
    return wasmudf_return_text(bytes, 3);
}
WASMUDF_POST(bad_utf8, int32_t)

/* bad_option() RETURNS integer CALLED ON NULL INPUT: an option<i32> return area whose
 * discriminant is 2 (only 0 and 1 are valid; the canonical ABI traps on anything else). */
WASMUDF_EXPORT(bad_option) int32_t bad_option(void)
{
    WASMUDF_ENTER();
    static wasmudf_opt_i32 area;
    area.is_some = 2;
    area.value = 7;
    return (int32_t)(uintptr_t)&area;
}
WASMUDF_POST(bad_option, int32_t)
