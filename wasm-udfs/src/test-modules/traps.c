/*
 * test-traps.wasm - deliberately hostile UDFs for the engine's trap, limit and cancellation
 * tests. Every export is a valid module function; misbehaviour happens only at run time.
 */
#include "wasmudf.h"

/* div_by(a integer, b integer) RETURNS integer: a / b; traps for b = 0 (integer divide by zero)
 * and for a = -2^31, b = -1 (integer overflow). */
WASMUDF_EXPORT(div_by) int32_t div_by(int32_t a, int32_t b)
{
    WASMUDF_ENTER();
    return a / b;
}
WASMUDF_POST(div_by, int32_t)

/* read_at(addr integer) RETURNS integer: the i32 stored at linear-memory address addr (taken
 * as unsigned); out of bounds traps, e.g. read_at(-16) or read_at(2^31 - 1). */
WASMUDF_EXPORT(read_at) int32_t read_at(int32_t addr)
{
    WASMUDF_ENTER();
    return *(volatile int32_t *)(uintptr_t)(uint32_t)addr;
}
WASMUDF_POST(read_at, int32_t)

/* unreachable_trap() RETURNS integer: executes `unreachable`. */
WASMUDF_EXPORT(unreachable_trap) int32_t unreachable_trap(void)
{
    WASMUDF_ENTER();
    __builtin_trap();
}
WASMUDF_POST(unreachable_trap, int32_t)

static volatile int32_t spin_counter;

/* spin() RETURNS integer: never returns (a loop with a store, so it cannot be optimised away);
 * only fuel, a timeout or cancellation stops it. */
WASMUDF_EXPORT(spin) int32_t spin(void)
{
    WASMUDF_ENTER();
    for (;;) spin_counter = spin_counter + 1;
}
WASMUDF_POST(spin, int32_t)

/* spin_for(n bigint) RETURNS bigint: a bounded busy loop of n iterations (an xorshift
 * checksum), for tests that need a call of controllable length. */
WASMUDF_EXPORT(spin_for) int64_t spin_for(int64_t n)
{
    WASMUDF_ENTER();
    uint64_t x = 88172645463325252ull;
    for (int64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return (int64_t)x;
}
WASMUDF_POST(spin_for, int64_t)

/* recurse(depth integer) RETURNS integer: recursion `depth` calls deep using only the Wasm
 * value stack (no shadow-stack frame), so a large depth exhausts the engine's call stack.
 * Returns depth for depth >= 0. */
__attribute__((noinline)) static int32_t recurse_impl(int32_t n)
{
    if (n <= 0) return 0;
    int32_t r = recurse_impl(n - 1);
    /* non-associative use of the result: keeps clang from turning this into a loop */
    return (r ^ (n & 1)) + 1 - (n & 1);
}
WASMUDF_EXPORT(recurse) int32_t recurse(int32_t depth)
{
    WASMUDF_ENTER();
    return recurse_impl(depth);
}
WASMUDF_POST(recurse, int32_t)

/* stack_smash(depth integer) RETURNS integer: recursion with a 4 KiB frame on the C shadow
 * stack. The shadow stack is the first 64 KiB of memory (--stack-first), so about 16 levels
 * move the stack pointer below address 0 and the next store traps as out of bounds.
 * Returns depth * (depth + 1) / 2 when it fits. */
__attribute__((noinline)) static void touch(volatile uint8_t *frame, int32_t n)
{
    /* the frame's address escapes here, so clang must allocate all 4 KiB of it */
    for (int i = 0; i < 4096; i += 256) frame[i] = (uint8_t)n;
}
__attribute__((noinline)) static int32_t smash_impl(int32_t n)
{
    volatile uint8_t frame[4096];
    touch(frame, n);
    if (n <= 0) return 0;
    return smash_impl(n - 1) + n + frame[256] - frame[3840];
}
WASMUDF_EXPORT(stack_smash) int32_t stack_smash(int32_t depth)
{
    WASMUDF_ENTER();
    return smash_impl(depth);
}
WASMUDF_POST(stack_smash, int32_t)

/* grow_forever() RETURNS integer: memory.grow(1) until it fails; returns the number of pages
 * obtained (a memory cap turns this from a memory bomb into a number). */
WASMUDF_EXPORT(grow_forever) int32_t grow_forever(void)
{
    WASMUDF_ENTER();
    int32_t pages = 0;
    while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1) pages++;
    return pages;
}
WASMUDF_POST(grow_forever, int32_t)

/* grow_pages(n integer) RETURNS integer: the raw memory.grow(n) result (old size in pages, or
 * -1 when refused). */
WASMUDF_EXPORT(grow_pages) int32_t grow_pages(int32_t n)
{
    WASMUDF_ENTER();
    return (int32_t)__builtin_wasm_memory_grow(0, (size_t)(uint32_t)n);
}
WASMUDF_POST(grow_pages, int32_t)

/* memory_pages() RETURNS integer: the current memory size in 64 KiB pages. */
WASMUDF_EXPORT(memory_pages) int32_t memory_pages(void)
{
    WASMUDF_ENTER();
    return (int32_t)__builtin_wasm_memory_size(0);
}
WASMUDF_POST(memory_pages, int32_t)

/* alloc_bomb() RETURNS integer: allocates and touches 1 MiB blocks from the SDK arena forever;
 * ends with an `unreachable` trap once memory.grow is refused. */
WASMUDF_EXPORT(alloc_bomb) int32_t alloc_bomb(void)
{
    WASMUDF_ENTER();
    for (;;) {
        volatile uint8_t *p = wasmudf_alloc(1 << 20, 1);
        p[0] = 1;
        p[(1 << 20) - 1] = 1;
    }
}
WASMUDF_POST(alloc_bomb, int32_t)

static int32_t takes_int(int32_t x) { return x + 1; }
typedef int32_t (*int_fn)(int32_t);
typedef double (*double_fn)(double);
static int_fn volatile some_fn = takes_int;
static int_fn volatile null_fn = 0;

/* bad_indirect() RETURNS integer: call_indirect with the wrong signature (indirect call type
 * mismatch). */
WASMUDF_EXPORT(bad_indirect) int32_t bad_indirect(void)
{
    WASMUDF_ENTER();
    double_fn f = (double_fn)(void *)some_fn;
    return (int32_t)f(1.5);
}
WASMUDF_POST(bad_indirect, int32_t)

/* null_call() RETURNS integer: call_indirect through table slot 0, which wasm-ld leaves empty
 * (uninitialized element). */
WASMUDF_EXPORT(null_call) int32_t null_call(void)
{
    WASMUDF_ENTER();
    return null_fn(1);
}
WASMUDF_POST(null_call, int32_t)

/* trunc_nan(x double precision) RETURNS integer: the trapping i32.trunc_f64_s; traps for NaN
 * (invalid conversion) and out-of-range x (integer overflow). */
WASMUDF_EXPORT(trunc_nan) int32_t trunc_nan(double x)
{
    WASMUDF_ENTER();
    return __builtin_wasm_trunc_s_i32_f64(x);
}
WASMUDF_POST(trunc_nan, int32_t)
