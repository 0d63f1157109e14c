/*
 * test-no-realloc.wasm - takes a text argument but exports no cabi_realloc, so a host cannot
 * pass it text: creating a text-taking function over it must fail with a clear message.
 */
#include <stdint.h>

/* text_len(s text) RETURNS integer: the byte length of s. */
__attribute__((export_name("text_len"))) int32_t text_len(const uint8_t *s, uint32_t len)
{
    (void)s;
    return (int32_t)len;
}

/* answer() RETURNS integer: 42 (usable: no text involved). */
__attribute__((export_name("answer"))) int32_t answer(void) { return 42; }
