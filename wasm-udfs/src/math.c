/*
 * math.wasm - numeric UDFs covering every scalar ABI type (i32, i64, f32, f64, boolean) and one
 * nullable example. SQL signatures: see modules/manifest.txt.
 *
 * All of them are scalar functions (numbers in, numbers out, no allocation), so none needs
 * WASMUDF_ENTER() or a WASMUDF_POST (see "Scalar functions" in wasmudf.h).
 */
#include "wasmudf.h"

/* add_i32(a integer, b integer) RETURNS integer: a + b, wrapping on overflow (two's complement). */
WASMUDF_EXPORT(add_i32) int32_t add_i32(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* (a * b) mod m without 128-bit arithmetic (which would need compiler-rt): double-and-add. */
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    if ((a | b) < (1ull << 32)) return (a * b) % m;
    uint64_t r = 0;
    a %= m;
    while (b) {
        if (b & 1) r = r >= m - a ? r - (m - a) : r + a;
        a = a >= m - a ? a - (m - a) : a + a;
        b >>= 1;
    }
    return r;
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
    uint64_t r = 1 % m;
    b %= m;
    while (e) {
        if (e & 1) r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

/* is_prime(n bigint) RETURNS boolean: deterministic for all 64-bit n (trial division by small
 * primes, then Miller-Rabin with the 7 bases known to be exact below 2^64). n < 2 is false. */
WASMUDF_EXPORT(is_prime) int32_t is_prime(int64_t sn)
{
    if (sn < 2) return 0;
    uint64_t n = (uint64_t)sn;
    static const uint32_t small[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    for (unsigned i = 0; i < sizeof small / sizeof small[0]; i++) {
        if (n == small[i]) return 1;
        if (n % small[i] == 0) return 0;
    }
    if (n < 41 * 41) return 1;
    uint64_t d = n - 1;
    int s = 0;
    while ((d & 1) == 0) { d >>= 1; s++; }
    static const uint64_t bases[] = {2, 325, 9375, 28178, 450775, 9780504, 1795265022};
    for (unsigned i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        uint64_t a = bases[i] % n;
        if (a == 0) continue;
        uint64_t x = powmod(a, d, n);
        if (x == 1 || x == n - 1) continue;
        int composite = 1;
        for (int r = 1; r < s; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1) { composite = 0; break; }
        }
        if (composite) return 0;
    }
    return 1;
}

/* gcd(a bigint, b bigint) RETURNS bigint: greatest common divisor, always >= 0; gcd(0, 0) = 0.
 * A result of 2^63 (only for gcd(-2^63, 0), gcd(-2^63, -2^63)) is not a bigint: it traps
 * (unreachable), where PostgreSQL raises "bigint out of range". */
WASMUDF_EXPORT(gcd) int64_t udf_gcd(int64_t a, int64_t b)
{
    uint64_t x = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
    uint64_t y = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    if (x > (uint64_t)INT64_MAX) __builtin_trap();
    return (int64_t)x;
}

/* hypot(x double precision, y double precision) RETURNS double precision: sqrt(x^2 + y^2)
 * without intermediate overflow/underflow; infinite if either is infinite (even with NaN),
 * else NaN if either is NaN. */
WASMUDF_EXPORT(hypot) double udf_hypot(double x, double y)
{
    x = __builtin_fabs(x);
    y = __builtin_fabs(y);
    if (x == __builtin_inf() || y == __builtin_inf()) return __builtin_inf();
    if (x != x || y != y) return x + y; /* NaN */
    double big = x > y ? x : y, small = x > y ? y : x;
    if (big == 0) return 0;
    double r = small / big;
    return big * __builtin_sqrt(1 + r * r);
}

/* clamp_real(x real, lo real, hi real) RETURNS real: lo if x < lo, else hi if x > hi, else x
 * (so NaN x stays NaN; with lo > hi the lo test wins). */
WASMUDF_EXPORT(clamp_real) float clamp_real(float x, float lo, float hi)
{
    if (x < lo) return lo;
    if (x > hi) return hi;
    return x;
}

/* coalesce_add(a integer, b integer) RETURNS integer CALLED ON NULL INPUT: a + b where a NULL
 * operand counts as 0, but NULL when both are NULL (wrapping on overflow). Shows option<i32>
 * parameters (is_some, value) and an option<i32> result packed into an i64 (wasmudf_opt32). */
WASMUDF_EXPORT(coalesce_add)
wasmudf_opt32 coalesce_add(int32_t a_some, int32_t a, int32_t b_some, int32_t b)
{
    if (!a_some && !b_some) return wasmudf_none32();
    uint32_t sum = (a_some ? (uint32_t)a : 0) + (b_some ? (uint32_t)b : 0);
    return wasmudf_some32_i32((int32_t)sum);
}
