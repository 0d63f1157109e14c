/*
 * test-bad-realloc.wasm - a module whose cabi_realloc misbehaves, for the host's argument
 * lowering tests. It does not use wasmudf.h because the SDK supplies a correct cabi_realloc.
 *
 * cabi_realloc(old, old_size, align, new_size) returns, for the 3 bytes per char the host asks
 * for a short text argument (docs/ABI.md), that is for strings of 13, 14 and 15 chars:
 *   new_size == 39  -> 0xFFFFFFF0 (out of bounds: the host must refuse to copy there)
 *   new_size == 42  -> memory size - 4 (the block would run past the end of memory)
 *   new_size == 45  -> traps (unreachable)
 *   otherwise       -> a correct bump allocation (so other sizes work)
 */
#include <stddef.h>
#include <stdint.h>

extern unsigned char __heap_base;
static uintptr_t top;

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
    (void)old; (void)old_size;
    if (new_size == 39) return (void *)(uintptr_t)0xFFFFFFF0u;
    if (new_size == 42) return (void *)(__builtin_wasm_memory_size(0) * 65536u - 4);
    if (new_size == 45) __builtin_trap();
    if (top == 0 || top > 0x100000) top = (uintptr_t)&__heap_base; /* wrap: tests only */
    if (align == 0) align = 1;
    uintptr_t p = (top + align - 1) & ~(uintptr_t)(align - 1);
    uintptr_t end = p + new_size;
    uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1)
        __builtin_trap();
    top = end;
    return (void *)p;
}

/* text_len(s text) RETURNS integer: the byte length of s. */
__attribute__((export_name("text_len"))) int32_t text_len(const uint8_t *s, uint32_t len)
{
    (void)s;
    return (int32_t)len;
}
