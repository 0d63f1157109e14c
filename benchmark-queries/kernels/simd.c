/* SIMD kernels (issue 20), built twice from this one source: with -msimd128 (simd.wasm: the
 * explicit wasm_simd128.h paths below, plus whatever clang vectorizes) and without (simd_scalar.wasm:
 * the scalar paths). Each scalar path is the same algorithm one element at a time, with the same
 * summation order where floats are involved, so both builds give the same results.
 * Inputs live in one 16 MiB buffer that the host fills. */
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif
#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))
#define BUFFER_SIZE (16u << 20)

static unsigned char data[BUFFER_SIZE] __attribute__((aligned(16)));
static unsigned counts[256];

EXPORT(buffer) unsigned char *buffer(void) { return data; }

/* Byte histogram of p[0..len): returns a checksum of the 256 counts. */
EXPORT(histogram) unsigned histogram(const unsigned char *p, unsigned len)
{
    for (int i = 0; i < 256; i++) counts[i] = 0;
    unsigned i = 0;
#ifdef __wasm_simd128__
    /* 16 bytes per load, counted lane by lane: the loads and lane extracts are SIMD */
    for (; i + 16 <= len; i += 16) {
        v128_t v = wasm_v128_load(p + i);
        counts[wasm_u8x16_extract_lane(v, 0)]++;  counts[wasm_u8x16_extract_lane(v, 1)]++;
        counts[wasm_u8x16_extract_lane(v, 2)]++;  counts[wasm_u8x16_extract_lane(v, 3)]++;
        counts[wasm_u8x16_extract_lane(v, 4)]++;  counts[wasm_u8x16_extract_lane(v, 5)]++;
        counts[wasm_u8x16_extract_lane(v, 6)]++;  counts[wasm_u8x16_extract_lane(v, 7)]++;
        counts[wasm_u8x16_extract_lane(v, 8)]++;  counts[wasm_u8x16_extract_lane(v, 9)]++;
        counts[wasm_u8x16_extract_lane(v, 10)]++; counts[wasm_u8x16_extract_lane(v, 11)]++;
        counts[wasm_u8x16_extract_lane(v, 12)]++; counts[wasm_u8x16_extract_lane(v, 13)]++;
        counts[wasm_u8x16_extract_lane(v, 14)]++; counts[wasm_u8x16_extract_lane(v, 15)]++;
    }
#endif
    for (; i < len; i++) counts[p[i]]++;
    unsigned sum = 0;
    for (int k = 0; k < 256; k++) sum = sum * 31 + counts[k];
    return sum;
}

/* 1 when p[0..len) is valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF), else 0. */
EXPORT(utf8_valid) int utf8_valid(const unsigned char *p, unsigned len)
{
    unsigned i = 0;
    while (i < len) {
#ifdef __wasm_simd128__
        /* skip 16 ASCII bytes at a time: no byte has its top bit set */
        if (i + 16 <= len && !wasm_i8x16_bitmask(wasm_v128_load(p + i))) {
            i += 16;
            continue;
        }
#endif
        unsigned char c = p[i];
        if (c < 0x80) { i++; continue; }
        unsigned n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
        else return 0;
        if (i + n >= len) return 0; /* truncated sequence */
        for (unsigned k = 1; k <= n; k++) {
            unsigned char d = p[i + k];
            if ((d & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (d & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += n + 1;
    }
    return 1;
}

/* Dot product of the f32 arrays a[0..n) and b[0..n), n a multiple of 4: four partial sums (lane k
 * sums the elements with index = k mod 4), added together at the end. */
EXPORT(dot_f32) float dot_f32(const float *a, const float *b, unsigned n)
{
#ifdef __wasm_simd128__
    v128_t acc = wasm_f32x4_splat(0);
    for (unsigned i = 0; i < n; i += 4)
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    return (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1))
         + (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
#else
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (unsigned i = 0; i < n; i += 4) {
        s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3];
    }
    return (s0 + s1) + (s2 + s3);
#endif
}

/* Index of the first byte equal to c in p[0..len), or len. */
EXPORT(find_byte) unsigned find_byte(const unsigned char *p, unsigned char c, unsigned len)
{
    unsigned i = 0;
#ifdef __wasm_simd128__
    v128_t needle = wasm_i8x16_splat((char) c);
    for (; i + 16 <= len; i += 16) {
        unsigned m = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), needle));
        if (m) return i + __builtin_ctz(m);
    }
#endif
    for (; i < len; i++) if (p[i] == c) return i;
    return len;
}

/* strlen of the NUL-terminated string at p (p 16-byte aligned, so whole vectors never cross the end of memory). */
EXPORT(str_len) unsigned str_len(const unsigned char *p)
{
    unsigned i = 0;
#ifdef __wasm_simd128__
    for (;; i += 16) {
        unsigned m = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), wasm_i8x16_splat(0)));
        if (m) return i + __builtin_ctz(m);
    }
#else
    while (p[i]) i++;
    return i;
#endif
}
