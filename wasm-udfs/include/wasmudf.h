/*
 * wasmudf.h - guest-side SDK for WasmUDF user-defined functions written in C.
 *
 * One module = one C translation unit that includes this header once. Freestanding, the header
 * holds the whole runtime (allocator, memcpy & co., ABI helpers), so a module needs no libc and
 * imports nothing. Build with (see build.sh):
 *
 *   clang --target=wasm32 -mcpu=mvp -nostdlib -ffreestanding -O2 -Iinclude \
 *         -Wl,--no-entry -Wl,--stack-first -o m.wasm m.c
 *
 * With wasi-libc (malloc, stdio, string.h...) the same header works unchanged:
 *
 *   clang --target=wasm32-wasi -mexec-model=reactor -O2 -Iinclude -o m.wasm m.c
 *
 * The module then imports WASI functions, which WasmUDF provides sandboxed (docs/WASI.md).
 *
 * ABI (WebAssembly Component Model canonical ABI, core-module form)
 * -----------------------------------------------------------------
 *   integer/smallint/boolean -> i32 (boolean 0/1), bigint -> i64, real -> f32, double -> f64
 *   text (UTF-8) / bytea     -> two i32 params (ptr, len) in this module's linear memory; the
 *                               host obtains the memory from our exported cabi_realloc and the
 *                               callee owns it afterwards.
 *   text/bytea result        -> the export returns an i32 pointer to an 8-byte return area
 *                               {u32 ptr, u32 len} (wasmudf_return_text).
 *   option<T> parameter      -> i32 discriminant (0 = NULL, 1 = present) then T's flat values
 *                               (only for CALLED ON NULL INPUT functions; STRICT never sees NULL).
 *   option<T> result         -> i32 pointer to a return area: u8 discriminant at offset 0, the
 *                               payload at T's natural alignment (4 for i32/f32/text, 8 for
 *                               i64/f64); see the wasmudf_opt_* structs.
 *                               WasmUDF extension, for T = boolean/smallint/integer/real: the
 *                               export may return one i64 instead (wasmudf_opt32: 0 = NULL,
 *                               1 << 32 | T's 32 bits = a value). The host tells the forms apart
 *                               by the export's result type; the packed one is cheaper per row.
 *   cabi_post_<export>       -> optional; called by the host after it has read the result. Its
 *                               parameters are the export's core results, exactly as the canonical
 *                               ABI's post-return (i32 retptr for text/option results, i64 for a
 *                               bigint result, f64 for a double result, ...). WASMUDF_POST(name,
 *                               ctype) defines it; this SDK does not need it (see below).
 *
 * Memory management: a per-call arena
 * -----------------------------------
 * Every allocation (argument buffers requested by the host through cabi_realloc, and whatever
 * a UDF allocates with wasmudf_alloc) is a bump allocation from __heap_base upwards. Nothing is
 * freed individually; the whole arena is reset when the next call starts: by the first
 * cabi_realloc for its arguments, or by its export's WASMUDF_ENTER() if it has no allocated
 * arguments (a cabi_post_<export>, where a module still defines one, resets it earlier). A result
 * the host reads after the call is therefore intact until the host starts another call, and a
 * host that never calls cabi_post_*, or an instance reused after a trap, cannot leak.
 * Memory pages grown for one large call stay (Wasm cannot shrink memory) and are reused by the
 * following calls, so memory is bounded by the largest single call. Allocation failure (the
 * host refused memory.grow) traps with `unreachable`, as the canonical ABI expects of realloc.
 * Why an arena rather than a malloc: UDF calls are short and stateless, so freeing everything at
 * once is both the cheapest possible free and immune to leaks in UDF code.
 *
 * Every exported UDF that takes text or bytea, returns text or bytea, or allocates must begin
 * with WASMUDF_ENTER(). WASMUDF_POST is optional and best left out: each one is an extra guest
 * call per row for the host (a profile put it at 2 ns of a 24 ns text call) that frees
 * nothing the next call would not free anyway. Older modules that define it keep working.
 *
 * Scalar functions: one whose parameters and result are all numbers (including option<number>
 * results, whose return areas are static) and that never calls wasmudf_alloc leaves out
 * WASMUDF_ENTER() too. It then touches no arena state, which makes it the cheapest call per row;
 * an earlier call's arena is still reclaimed by the next call that allocates.
 */
#ifndef WASMUDF_H
#define WASMUDF_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__wasm32__)
#error "wasmudf.h targets wasm32: compile with clang --target=wasm32"
#endif

/* ---------------------------------------------------------------- exports ---------------- */

/** Marks a function as the module export `name` (the SQL function binds to this name). */
#define WASMUDF_EXPORT(name) __attribute__((export_name(#name), visibility("default")))

/** Defines `cabi_post_<name>(ctype)`, which releases everything the call allocated; optional (see
 *  "Memory management": the next call does the same without a guest call of its own). */
#define WASMUDF_POST(name, ctype)                                                           \
    __attribute__((export_name("cabi_post_" #name))) void wasmudf_post_##name(ctype ignored) \
    {                                                                                       \
        (void)ignored;                                                                      \
        wasmudf_arena_reset();                                                              \
    }

/** First statement of every export: arena bookkeeping (see "Memory management"). */
#define WASMUDF_ENTER() wasmudf_enter()

#if defined(__wasi__) || defined(__EMSCRIPTEN__)
/* ---------------------------------------------------------------- WASI (wasi-libc) ------- */
/* Built with clang --target=wasm32-wasi against wasi-libc (or emcc), the module has malloc, stdio and
 * the rest of libc (stdout and stderr reach the client as notices under WasmUDF), so this header
 * defines none of them and takes the arena's memory from malloc. */
#include <stdlib.h>
#include <string.h>
#else
/* ---------------------------------------------------------------- memory primitives ------ */

/* clang lowers struct copies and some loops to these calls, so they must exist. The loop-idiom
 * pass recognises functions with these names and does not turn their loops back into calls. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n >= 4 && (((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
        *(uint32_t *)d = *(const uint32_t *)s;
        d += 4;
        s += 4;
        n -= 4;
    }
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0) return dst;
    if (d < s || d >= s + n) return memcpy(dst, src, n);
    while (n--) d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

#endif /* !__wasi__ */

/* ---------------------------------------------------------------- the arena -------------- */

#if defined(__wasi__) || defined(__EMSCRIPTEN__)
/* With wasi-libc the heap belongs to malloc: the arena is a chain of malloc'd chunks. A reset
 * keeps the newest (largest) chunk and frees the others, so steady-state calls neither call
 * malloc nor grow; a call that needs more than the chunk holds gets a new one twice as large. */
typedef struct wasmudf_chunk {
    struct wasmudf_chunk *prev;
    uintptr_t pad; /* keeps the data 8-byte aligned */
} wasmudf_chunk;

static wasmudf_chunk *wasmudf_head; /* the chunk being filled; older ones of this call via prev */
static uintptr_t wasmudf_top;       /* next free byte in wasmudf_head */
static uintptr_t wasmudf_limit;     /* end of wasmudf_head */
static uintptr_t wasmudf_last;      /* start of the most recent allocation (for in-place realloc) */
static int wasmudf_in_call;         /* set by WASMUDF_ENTER(), cleared by every reset */

/** Frees every allocation at once. */
static inline void wasmudf_arena_reset(void)
{
    if (wasmudf_head) {
        wasmudf_chunk *c = wasmudf_head->prev;
        while (c) {
            wasmudf_chunk *p = c->prev;
            free(c);
            c = p;
        }
        wasmudf_head->prev = 0;
        wasmudf_top = (uintptr_t)(wasmudf_head + 1);
    }
    wasmudf_last = 0;
    wasmudf_in_call = 0;
}

static inline void wasmudf_enter(void)
{
    if (wasmudf_in_call) wasmudf_arena_reset();
    wasmudf_in_call = 1;
}

/** Allocates `size` bytes aligned to `align` (a power of two) from the per-call arena; traps when malloc fails. */
static void *wasmudf_alloc(size_t size, size_t align)
{
    if (align == 0) align = 1;
    uintptr_t start = (wasmudf_top + (align - 1)) & ~(uintptr_t)(align - 1);
    if (!wasmudf_head || start < wasmudf_top || start + size < start || start + size > wasmudf_limit) {
        size_t have = wasmudf_head ? wasmudf_limit - (uintptr_t)(wasmudf_head + 1) : 0;
        size_t want = size + align + sizeof(wasmudf_chunk);
        if (want < size) __builtin_trap();
        size_t cap = have * 2 > want ? have * 2 : want;
        if (cap < 65536) cap = 65536;
        wasmudf_chunk *c = malloc(cap);
        if (!c) __builtin_trap();
        c->prev = wasmudf_head;
        wasmudf_head = c;
        wasmudf_top = (uintptr_t)(c + 1);
        wasmudf_limit = (uintptr_t)c + cap;
        start = (wasmudf_top + (align - 1)) & ~(uintptr_t)(align - 1);
    }
    wasmudf_last = start;
    wasmudf_top = start + size;
    return (void *)start;
}

/** Canonical-ABI realloc on the arena: extends the last allocation in place when it can. */
static void *wasmudf_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
    if (align == 0) align = 1;
    if (old == 0) return wasmudf_alloc(new_size, align);
    if ((uintptr_t)old == wasmudf_last && (uintptr_t)old + new_size >= (uintptr_t)old
        && (uintptr_t)old + new_size <= wasmudf_limit) {
        wasmudf_top = (uintptr_t)old + new_size;
        return old;
    }
    void *fresh = wasmudf_alloc(new_size, align);
    memmove(fresh, old, old_size < new_size ? old_size : new_size);
    return fresh;
}

/* The host allocates argument memory with this export; the first call of a new row reclaims the
 * previous call's arena. */
__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *old_ptr, size_t old_size,
                                                                 size_t align, size_t new_size)
{
    if (wasmudf_in_call) wasmudf_arena_reset();
    return wasmudf_realloc(old_ptr, old_size, align, new_size);
}

#else /* freestanding: the arena is the heap itself */

extern unsigned char __heap_base; /* provided by wasm-ld: first byte after data and stack */

/* Statically initialised, so no path checks for a first use. */
static uintptr_t wasmudf_top = (uintptr_t)&__heap_base; /* next free byte */
static uintptr_t wasmudf_last;    /* start of the most recent allocation (for in-place realloc) */
static int wasmudf_in_call;       /* set by WASMUDF_ENTER(), cleared by every reset */

/** Frees every allocation at once. */
static inline void wasmudf_arena_reset(void)
{
    wasmudf_top = (uintptr_t)&__heap_base;
    wasmudf_last = 0;
    wasmudf_in_call = 0;
}

static inline void wasmudf_enter(void)
{
    /* Still in a call means the previous call was neither posted nor followed by cabi_realloc,
     * so no live argument can be in the arena: reclaim it. */
    if (wasmudf_in_call) wasmudf_arena_reset();
    wasmudf_in_call = 1;
}

/** Makes [0, end) addressable, growing memory by whole pages; traps when the host refuses. */
static void wasmudf_ensure(uintptr_t end)
{
    uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * 65536u; /* 4 GiB fits only in 64 bits */
    if (end <= have) return;
    uint64_t pages = ((uint64_t)end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, (size_t)pages) == (size_t)-1) __builtin_trap();
}

/** Allocates `size` bytes aligned to `align` (a power of two) from the per-call arena. */
static void *wasmudf_alloc(size_t size, size_t align)
{
    if (align == 0) align = 1;
    uintptr_t start = (wasmudf_top + (align - 1)) & ~(uintptr_t)(align - 1);
    uintptr_t end = start + size;
    if (start < wasmudf_top || end < start) __builtin_trap(); /* 32-bit address overflow */
    wasmudf_ensure(end);
    wasmudf_last = start;
    wasmudf_top = end;
    return (void *)start;
}

/** Canonical-ABI realloc on the arena: extends the last allocation in place when it can. */
static void *wasmudf_realloc(void *old, size_t old_size, size_t align, size_t new_size)
{
    if (align == 0) align = 1;
    if (old == 0) return wasmudf_alloc(new_size, align);
    if ((uintptr_t)old == wasmudf_last && ((uintptr_t)old & (align - 1)) == 0) {
        uintptr_t end = (uintptr_t)old + new_size;
        if (end < (uintptr_t)old) __builtin_trap();
        wasmudf_ensure(end);
        wasmudf_top = end;
        return old;
    }
    void *fresh = wasmudf_alloc(new_size, align);
    memmove(fresh, old, old_size < new_size ? old_size : new_size); /* may overlap after a reset */
    return fresh;
}

__attribute__((noinline)) static void *wasmudf_cabi_realloc_slow(void *old_ptr, size_t old_size,
                                                                  size_t align, size_t new_size)
{
    if (wasmudf_in_call) wasmudf_arena_reset(); /* previous call was not posted */
    return wasmudf_realloc(old_ptr, old_size, align, new_size);
}

/* The host allocates argument memory with this export (old_ptr = 0, old_size = 0). Its own body
 * is only the host's every-row case: a fresh block, the previous call posted, room in memory.
 * Everything else is out of line, which keeps the export small enough for a host's JIT to
 * inline it into the call site (HotSpot's C2 inlines up to 325 bytes of bytecode). */
__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *old_ptr, size_t old_size,
                                                                 size_t align, size_t new_size)
{
    /* still in a call: the host is passing the next call's arguments, so the last call's arena goes */
    uintptr_t top = wasmudf_in_call ? (uintptr_t)&__heap_base : wasmudf_top;
    uintptr_t start = (top + align - 1) & -(uintptr_t)align; /* align 0 lands below top: slow path */
    uintptr_t end = start + new_size;
    /* memory.size << 16 wraps to 0 at 4 GiB, which also takes the slow path */
    if (old_ptr == 0 && start >= top && end >= start && end <= ((uintptr_t)__builtin_wasm_memory_size(0) << 16)) {
        wasmudf_in_call = 0;
        wasmudf_last = start;
        wasmudf_top = end;
        return (void *)start;
    }
    return wasmudf_cabi_realloc_slow(old_ptr, old_size, align, new_size);
}

#endif /* __wasi__ */

/* ---------------------------------------------------------------- text and bytea --------- */

/** A borrowed view of UTF-8 text or bytea bytes in linear memory. */
typedef struct {
    const uint8_t *ptr;
    uint32_t len;
} wasmudf_str;

static inline wasmudf_str wasmudf_str_of(const uint8_t *ptr, uint32_t len)
{
    wasmudf_str s = {ptr, len};
    return s;
}

/** The 8-byte return area of a text/bytea result. */
typedef struct {
    uint32_t ptr;
    uint32_t len;
} wasmudf_text_ret;

/** option<i32> / option<f32> / option<text> / option<i64> / option<f64> return areas. */
typedef struct { uint8_t is_some; int32_t value; } wasmudf_opt_i32;
typedef struct { uint8_t is_some; float value; } wasmudf_opt_f32;
typedef struct { uint8_t is_some; int64_t value; } wasmudf_opt_i64;
typedef struct { uint8_t is_some; double value; } wasmudf_opt_f64;
typedef struct { uint8_t is_some; uint32_t ptr; uint32_t len; } wasmudf_opt_text;

/* The layouts are the contract with the host: fail the build if the compiler disagrees. */
_Static_assert(sizeof(wasmudf_text_ret) == 8, "text return area");
_Static_assert(offsetof(wasmudf_opt_i32, value) == 4, "option<i32> payload at 4");
_Static_assert(offsetof(wasmudf_opt_f32, value) == 4, "option<f32> payload at 4");
_Static_assert(offsetof(wasmudf_opt_i64, value) == 8, "option<i64> payload at 8");
_Static_assert(offsetof(wasmudf_opt_f64, value) == 8, "option<f64> payload at 8");
_Static_assert(offsetof(wasmudf_opt_text, ptr) == 4 && offsetof(wasmudf_opt_text, len) == 8,
               "option<text> payload at 4");

/* Return areas are static: an instance runs one call at a time and the host reads the area
 * before the next call. (Static data is outside the arena, so a reset never clobbers it.) */
static wasmudf_text_ret wasmudf_ret_text;
static wasmudf_opt_i32 wasmudf_ret_opt_i32;
static wasmudf_opt_f32 wasmudf_ret_opt_f32;
static wasmudf_opt_i64 wasmudf_ret_opt_i64;
static wasmudf_opt_f64 wasmudf_ret_opt_f64;
static wasmudf_opt_text wasmudf_ret_opt_text;

/** Returns text/bytea `ptr[0..len)` (memory must stay valid until the next call starts: arena or static). */
static inline int32_t wasmudf_return_text(const uint8_t *ptr, uint32_t len)
{
    wasmudf_ret_text.ptr = (uint32_t)(uintptr_t)ptr;
    wasmudf_ret_text.len = len;
    return (int32_t)(uintptr_t)&wasmudf_ret_text;
}

static inline int32_t wasmudf_return_some_text(const uint8_t *ptr, uint32_t len)
{
    wasmudf_ret_opt_text.is_some = 1;
    wasmudf_ret_opt_text.ptr = (uint32_t)(uintptr_t)ptr;
    wasmudf_ret_opt_text.len = len;
    return (int32_t)(uintptr_t)&wasmudf_ret_opt_text;
}

static inline int32_t wasmudf_return_none_text(void)
{
    wasmudf_ret_opt_text.is_some = 0;
    wasmudf_ret_opt_text.ptr = 0;
    wasmudf_ret_opt_text.len = 0;
    return (int32_t)(uintptr_t)&wasmudf_ret_opt_text;
}

#define WASMUDF_DEFINE_OPT_RETURN(suffix, ctype, area)                                  \
    static inline int32_t wasmudf_return_some_##suffix(ctype v)                          \
    {                                                                                     \
        area.is_some = 1;                                                                 \
        area.value = v;                                                                   \
        return (int32_t)(uintptr_t)&area;                                                 \
    }                                                                                     \
    static inline int32_t wasmudf_return_none_##suffix(void)                             \
    {                                                                                     \
        area.is_some = 0;                                                                 \
        area.value = 0;                                                                   \
        return (int32_t)(uintptr_t)&area;                                                 \
    }
WASMUDF_DEFINE_OPT_RETURN(i32, int32_t, wasmudf_ret_opt_i32)
WASMUDF_DEFINE_OPT_RETURN(f32, float, wasmudf_ret_opt_f32)
WASMUDF_DEFINE_OPT_RETURN(i64, int64_t, wasmudf_ret_opt_i64)
WASMUDF_DEFINE_OPT_RETURN(f64, double, wasmudf_ret_opt_f64)
#undef WASMUDF_DEFINE_OPT_RETURN

/* Packed option results (a WasmUDF extension of the canonical ABI, see the top of this file): a
 * CALLED ON NULL INPUT function with a boolean, smallint, integer or real result declares its
 * export as returning wasmudf_opt32 and returns wasmudf_some32_i32(v), wasmudf_some32_f32(v) or
 * wasmudf_none32(). The value travels in a register: no return-area stores in the guest, no
 * memory reads in the host. Booleans and smallints go through wasmudf_some32_i32. */
typedef int64_t wasmudf_opt32;

static inline wasmudf_opt32 wasmudf_some32_i32(int32_t v)
{
    return (wasmudf_opt32)((uint64_t)1 << 32 | (uint32_t)v);
}

static inline wasmudf_opt32 wasmudf_some32_f32(float v)
{
    uint32_t bits;
    __builtin_memcpy(&bits, &v, 4);
    return (wasmudf_opt32)((uint64_t)1 << 32 | bits);
}

static inline wasmudf_opt32 wasmudf_none32(void) { return 0; }

/* ---------------------------------------------------------------- UTF-8 ------------------ */
/*
 * Hosts hand over valid UTF-8 (PostgreSQL and Java guarantee it). The helpers below still never
 * read outside [p, end) on invalid input: an invalid or truncated sequence decodes as U+FFFD and
 * consumes one byte.
 */

static inline int wasmudf_is_cont(uint8_t b) { return (b & 0xC0) == 0x80; }

/** The number of code points in UTF-8 text: its bytes that are not continuation bytes (10xxxxxx).
 *  Eight bytes per step (then four, then one): a byte continues when its top bit is set and the
 *  next bit is clear. */
static inline uint32_t wasmudf_utf8_code_points(const uint8_t *s, uint32_t len)
{
    uint32_t cont = 0, i = 0;
    for (; len - i >= 8; i += 8) {
        uint64_t w;
        __builtin_memcpy(&w, s + i, 8); /* one unaligned 64-bit load */
        cont += (uint32_t)__builtin_popcountll(w & ~(w << 1) & 0x8080808080808080ull);
    }
    if (len - i >= 4) {
        uint32_t w;
        __builtin_memcpy(&w, s + i, 4);
        cont += (uint32_t)__builtin_popcount(w & ~(w << 1) & 0x80808080u);
        i += 4;
    }
    for (; i < len; i++) cont += wasmudf_is_cont(s[i]);
    return len - cont;
}

/** Decodes one code point at p (< end) into *cp and returns the position after it. */
static inline const uint8_t *wasmudf_utf8_next(const uint8_t *p, const uint8_t *end, uint32_t *cp)
{
    uint8_t b = *p;
    if (b < 0x80) { *cp = b; return p + 1; }
    uint32_t need, c, min;
    if ((b & 0xE0) == 0xC0) { need = 1; c = b & 0x1F; min = 0x80; }
    else if ((b & 0xF0) == 0xE0) { need = 2; c = b & 0x0F; min = 0x800; }
    else if ((b & 0xF8) == 0xF0) { need = 3; c = b & 0x07; min = 0x10000; }
    else { *cp = 0xFFFD; return p + 1; }
    if ((uint32_t)(end - p) <= need) { *cp = 0xFFFD; return p + 1; }
    for (uint32_t i = 1; i <= need; i++) {
        if (!wasmudf_is_cont(p[i])) { *cp = 0xFFFD; return p + 1; }
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) { *cp = 0xFFFD; return p + 1; }
    *cp = c;
    return p + need + 1;
}

/** Encodes cp as UTF-8 at out (room for 4 bytes) and returns the number of bytes written. */
static inline uint32_t wasmudf_utf8_put(uint8_t *out, uint32_t cp)
{
    if (cp < 0x80) { out[0] = (uint8_t)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---------------------------------------------------------------- latin1+utf16 arguments - */
/*
 * WASMUDF_TEXT_ARGS_LATIN1_UTF16 (once per module) asks the host for text arguments in the
 * canonical ABI's latin1+utf16 encoding instead of UTF-8, which is what a Java host holds: a
 * string whose characters all fit Latin-1 arrives as one byte per character; any other as
 * UTF-16LE code units (2-byte aligned), with WASMUDF_UTF16_TAG set in its length. Passing one
 * is then a copy on the host, and a Latin-1 string's length in code points is its length.
 * It applies to every text argument of every function of the module; results stay UTF-8.
 * The host recognises the export "wasmudf:text-args:latin1+utf16" (docs/ABI.md).
 */
#define WASMUDF_TEXT_ARGS_LATIN1_UTF16                                                     \
    __attribute__((export_name("wasmudf:text-args:latin1+utf16"), visibility("default")))  \
    void wasmudf_text_args_latin1_utf16(void) {}

#define WASMUDF_UTF16_TAG 0x80000000u

/** Whether a latin1+utf16 text argument of this (tagged) length is UTF-16. */
static inline int wasmudf_text_is_utf16(uint32_t tagged_len) { return (tagged_len & WASMUDF_UTF16_TAG) != 0; }

/** The number of code units (bytes for Latin-1, 16-bit units for UTF-16) of a latin1+utf16 argument. */
static inline uint32_t wasmudf_text_units(uint32_t tagged_len) { return tagged_len & ~WASMUDF_UTF16_TAG; }

/** The code points of a latin1+utf16 argument: its length for Latin-1; for UTF-16 the units that
 * do not end a surrogate pair (an unpaired surrogate counts as one, as Java's codePointCount does). */
static inline uint32_t wasmudf_text_code_points(const void *s, uint32_t tagged_len)
{
    uint32_t n = wasmudf_text_units(tagged_len);
    if (!wasmudf_text_is_utf16(tagged_len)) return n;
    const uint16_t *u = (const uint16_t *)s;
    uint32_t pairs = 0;
    for (uint32_t i = 1; i < n; i++)
        pairs += (u[i] & 0xFC00) == 0xDC00 && (u[i - 1] & 0xFC00) == 0xD800;
    return n - pairs;
}

/* ---------------------------------------------------------------- dates and times -------- */
/* PostgreSQL's own binary forms (docs/ABI.md):
 *   date                    int32  days since 2000-01-01
 *   time                    int64  microseconds since midnight (0 .. 86399999999)
 *   timestamp, timestamptz  int64  microseconds since 2000-01-01 00:00 (UTC for timestamptz)
 * A result outside PostgreSQL's range (its infinities INT32/INT64_MIN/MAX among them) is an
 * error in SQL (22008): H2 has no infinite dates. */

#define WASMUDF_USECS_PER_SEC INT64_C(1000000)
#define WASMUDF_USECS_PER_DAY INT64_C(86400000000)

/** The date of year/month/day (proleptic Gregorian; year 0 is 1 BC), as days since 2000-01-01. */
static inline int32_t wasmudf_date_from_ymd(int32_t y, int32_t m, int32_t d)
{
    /* days from civil (H. Hinnant's algorithm), shifted from 1970-01-01 to 2000-01-01 */
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468 - 10957);
}

/** Year, month (1-12) and day (1-31) of a date given as days since 2000-01-01. */
static inline void wasmudf_date_to_ymd(int32_t date, int32_t *y, int32_t *m, int32_t *d)
{
    int64_t z = (int64_t)date + 10957 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int32_t)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int32_t)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int32_t)(yoe + era * 400 + (*m <= 2));
}

/** Day of the week, 0 = Sunday ... 6 = Saturday (PostgreSQL's extract(dow)); 2000-01-01 was a Saturday. */
static inline int32_t wasmudf_date_dow(int32_t date)
{
    int32_t r = (int32_t)(((int64_t)date + 6) % 7);
    return r < 0 ? r + 7 : r;
}

/** The date part of a timestamp (rounds toward minus infinity, as a cast to date does). */
static inline int32_t wasmudf_timestamp_date(int64_t ts)
{
    int64_t q = ts / WASMUDF_USECS_PER_DAY;
    return (int32_t)(ts % WASMUDF_USECS_PER_DAY < 0 ? q - 1 : q);
}

/** The time-of-day part of a timestamp, in microseconds. */
static inline int64_t wasmudf_timestamp_time(int64_t ts)
{
    int64_t r = ts % WASMUDF_USECS_PER_DAY;
    return r < 0 ? r + WASMUDF_USECS_PER_DAY : r;
}

/** The timestamp of a date and a time of day. */
static inline int64_t wasmudf_timestamp_of(int32_t date, int64_t time)
{
    return (int64_t)date * WASMUDF_USECS_PER_DAY + time;
}

/* ---------------------------------------------------------------- interval, uuid --------- */

/** interval: {s32 months, s32 days, s64 micros}, flat (i32, i32, i64). Under H2 months is 0 in
 *  arguments and must be 0 in results (H2's day-to-second intervals have no months: 22008). */
typedef struct { int32_t months; int32_t days; int64_t micros; } wasmudf_interval;

/** uuid: {u64 hi, u64 lo}, flat (i64 hi, i64 lo); hi holds bytes 0-7 of the RFC/text order, big-endian. */
typedef struct { uint64_t hi; uint64_t lo; } wasmudf_uuid;

typedef struct { uint8_t is_some; wasmudf_interval value; } wasmudf_opt_interval;
typedef struct { uint8_t is_some; wasmudf_uuid value; } wasmudf_opt_uuid;
_Static_assert(sizeof(wasmudf_interval) == 16 && offsetof(wasmudf_interval, micros) == 8, "interval layout");
_Static_assert(sizeof(wasmudf_uuid) == 16, "uuid layout");
_Static_assert(offsetof(wasmudf_opt_interval, value) == 8 && offsetof(wasmudf_opt_uuid, value) == 8, "option payload at 8");

static wasmudf_interval wasmudf_ret_interval;
static wasmudf_uuid wasmudf_ret_uuid;
static wasmudf_opt_interval wasmudf_ret_opt_interval;
static wasmudf_opt_uuid wasmudf_ret_opt_uuid;

/** Returns an interval result (STRICT: a return area). */
static inline int32_t wasmudf_return_interval(int32_t months, int32_t days, int64_t micros)
{
    wasmudf_ret_interval.months = months;
    wasmudf_ret_interval.days = days;
    wasmudf_ret_interval.micros = micros;
    return (int32_t)(uintptr_t)&wasmudf_ret_interval;
}

/** Returns a uuid result (STRICT: a return area). */
static inline int32_t wasmudf_return_uuid(uint64_t hi, uint64_t lo)
{
    wasmudf_ret_uuid.hi = hi;
    wasmudf_ret_uuid.lo = lo;
    return (int32_t)(uintptr_t)&wasmudf_ret_uuid;
}

static inline int32_t wasmudf_return_some_uuid(uint64_t hi, uint64_t lo)
{
    wasmudf_ret_opt_uuid.is_some = 1;
    wasmudf_ret_opt_uuid.value.hi = hi;
    wasmudf_ret_opt_uuid.value.lo = lo;
    return (int32_t)(uintptr_t)&wasmudf_ret_opt_uuid;
}

static inline int32_t wasmudf_return_none_uuid(void)
{
    wasmudf_ret_opt_uuid.is_some = 0;
    return (int32_t)(uintptr_t)&wasmudf_ret_opt_uuid;
}

/** The 16 bytes of a uuid in RFC (text) order. */
static inline void wasmudf_uuid_bytes(uint64_t hi, uint64_t lo, uint8_t out[16])
{
    for (int i = 0; i < 8; i++) {
        out[i] = (uint8_t)(hi >> (56 - 8 * i));
        out[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
    }
}

/** Writes the 36-character text form (lower-case hex, as PostgreSQL prints it) to out. */
static inline void wasmudf_uuid_format(uint64_t hi, uint64_t lo, uint8_t out[36])
{
    static const char hex[] = "0123456789abcdef";
    uint8_t b[16];
    wasmudf_uuid_bytes(hi, lo, b);
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = (uint8_t)hex[b[i] >> 4];
        out[o++] = (uint8_t)hex[b[i] & 15];
    }
}

/* ---------------------------------------------------------------- numeric ---------------- */
/* numeric travels as its text (ptr, len), e.g. "-12.50": plain notation, all digits of its scale.
 * A result is read as PostgreSQL's numeric input reads it (sign, digits, '.', exponent); NaN and
 * infinity cannot be stored by H2 (22003). These helpers convert to and from a scaled int64 for
 * UDFs whose values fit. */

/** Parses numeric text into value * 10^scale (rounded half away from zero); 0 on success, -1 on a syntax error or overflow. */
static inline int wasmudf_numeric_to_scaled(const uint8_t *p, uint32_t len, int32_t scale, int64_t *out)
{
    uint32_t i = 0;
    int neg = 0;
    if (i < len && (p[i] == '-' || p[i] == '+')) neg = p[i++] == '-';
    uint64_t v = 0;
    int32_t frac = -1; /* digits after the point so far, -1 before it */
    int digits = 0, round = 0;
    for (; i < len; i++) {
        if (p[i] == '.' && frac < 0) { frac = 0; continue; }
        if (p[i] < '0' || p[i] > '9') return -1;
        digits++;
        if (frac >= 0 && frac >= scale) { if (frac == scale) round = p[i] >= '5'; frac++; continue; }
        if (v > (UINT64_C(9223372036854775807) - 9) / 10) return -1;
        v = v * 10 + (uint64_t)(p[i] - '0');
        if (frac >= 0) frac++;
    }
    if (digits == 0) return -1;
    for (int32_t f = frac < 0 ? 0 : frac; f < scale; f++) {
        if (v > UINT64_C(9223372036854775807) / 10) return -1;
        v *= 10;
    }
    v += (uint64_t)round;
    if (v > UINT64_C(9223372036854775807)) return -1;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/** Writes value / 10^scale as numeric text to out (at least 21 + scale bytes); returns its length. */
static inline uint32_t wasmudf_numeric_from_scaled(int64_t value, int32_t scale, uint8_t *out)
{
    uint8_t tmp[40];
    uint32_t n = 0, o = 0;
    uint64_t v = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    do { tmp[n++] = (uint8_t)('0' + v % 10); v /= 10; } while (v != 0 || (int32_t)n <= scale);
    if (value < 0) out[o++] = '-';
    while (n > 0) {
        if ((int32_t)n == scale) out[o++] = '.';
        out[o++] = tmp[--n];
    }
    return o;
}

/* ---------------------------------------------------------------- arrays ----------------- */
/* A one-dimensional array T[] travels as (ptr, len): len elements in T's memory layout (4 bytes
 * for boolean/smallint/integer/real/date, 8 for bigint/double/time/timestamp(tz), 16 for
 * interval/uuid, {u32 ptr, u32 len} for text/bytea/numeric/json/character), followed directly
 * by the null bitmap: (len + 7) / 8 bytes, bit i % 8 of byte i / 8 set = element i is NULL.
 * A result is returned like text (wasmudf_return_array), the bitmap after its elements too. */

/** A borrowed view of an array argument. */
typedef struct {
    const void *elems;
    uint32_t len;
    const uint8_t *nulls;
} wasmudf_array;

/** The view of array (ptr, len) whose elements are elem_size bytes each. */
static inline wasmudf_array wasmudf_array_of(uint32_t ptr, uint32_t len, uint32_t elem_size)
{
    wasmudf_array a = {(const void *)(uintptr_t)ptr, len, (const uint8_t *)(uintptr_t)(ptr + len * elem_size)};
    return a;
}

static inline int wasmudf_array_is_null(const wasmudf_array *a, uint32_t i)
{
    return (a->nulls[i >> 3] >> (i & 7)) & 1;
}

/** Allocates a result array of len elements (arena) with a zeroed null bitmap (no NULLs), stored to *nulls. */
static inline void *wasmudf_array_new(uint32_t len, uint32_t elem_size, uint32_t align, uint8_t **nulls)
{
    uint32_t bitmap = (len + 7) / 8;
    uint8_t *p = (uint8_t *)wasmudf_alloc((size_t)len * elem_size + bitmap, align);
    *nulls = p + (size_t)len * elem_size;
    memset(*nulls, 0, bitmap);
    return p;
}

static inline void wasmudf_array_set_null(uint8_t *nulls, uint32_t i)
{
    nulls[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/** Returns array (elems, len): the same {ptr, len} return area as text. */
static inline int32_t wasmudf_return_array(const void *elems, uint32_t len)
{
    return wasmudf_return_text((const uint8_t *)elems, len);
}

/* ---------------------------------------------------------------- host functions --------- */
/* WasmUDF's own import module "wasmudf" (docs/WASI.md). A module imports only those it calls. */

__attribute__((import_module("wasmudf"), import_name("raise_error")))
void wasmudf_host_raise_error(const char *sqlstate, size_t sqlstate_len, const char *message, size_t message_len);
__attribute__((import_module("wasmudf"), import_name("notice")))
void wasmudf_host_notice(const char *message, size_t len);
__attribute__((import_module("wasmudf"), import_name("warning")))
void wasmudf_host_warning(const char *message, size_t len);

/** Ends the call with an SQL error: `sqlstate` is five digits or upper-case letters (e.g. "22023"). */
__attribute__((noreturn)) static inline void wasmudf_raise(const char *sqlstate, const char *message)
{
    wasmudf_host_raise_error(sqlstate, strlen(sqlstate), message, strlen(message));
    __builtin_unreachable();
}

/** Sends a NOTICE (a WARNING) to the client. */
static inline void wasmudf_notice(const char *message) { wasmudf_host_notice(message, strlen(message)); }
static inline void wasmudf_warning(const char *message) { wasmudf_host_warning(message, strlen(message)); }

#endif /* WASMUDF_H */
