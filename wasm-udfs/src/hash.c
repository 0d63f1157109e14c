/*
 * hash.wasm - checksums and hashes over bytea (also usable on text: same (ptr, len) ABI).
 * All functions are STRICT. SQL signatures: see modules/manifest.txt.
 */
#include "wasmudf.h"

/* fnv1a64(data bytea) RETURNS bigint: 64-bit FNV-1a, offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3; the unsigned hash is returned as its two's-complement bigint. */
WASMUDF_EXPORT(fnv1a64) int64_t fnv1a64(const uint8_t *data, uint32_t len)
{
    WASMUDF_ENTER();
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t i = 0; i < len; i++) {
        h ^= data[i];
        h *= 0x100000001b3ull;
    }
    return (int64_t)h;
}

/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), slicing-by-4 tables built on first use:
 * computing them costs ~8k operations once per instance and keeps them out of the data section. */
static uint32_t crc_table[4][256];
static int crc_ready;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        crc_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = crc_table[0][i];
        for (int t = 1; t < 4; t++) {
            c = crc_table[0][c & 0xFF] ^ (c >> 8);
            crc_table[t][i] = c;
        }
    }
    crc_ready = 1;
}

/* crc32(data bytea) RETURNS integer: the CRC-32 used by zlib, gzip and PNG; the unsigned value
 * is returned as its two's-complement integer (crc32('123456789') = 0xCBF43926 = -873187034). */
WASMUDF_EXPORT(crc32) int32_t udf_crc32(const uint8_t *data, uint32_t len)
{
    WASMUDF_ENTER();
    if (!crc_ready) crc_init();
    uint32_t c = 0xFFFFFFFFu;
    uint32_t i = 0;
    for (; i + 4 <= len; i += 4) {
        c ^= (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16
             | (uint32_t)data[i + 3] << 24;
        c = crc_table[3][c & 0xFF] ^ crc_table[2][(c >> 8) & 0xFF]
            ^ crc_table[1][(c >> 16) & 0xFF] ^ crc_table[0][c >> 24];
    }
    for (; i < len; i++) c = crc_table[0][(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return (int32_t)~c;
}

/* hex_encode(data bytea) RETURNS text: lower-case hexadecimal, two digits per byte (like
 * PostgreSQL's encode(data, 'hex')). */
WASMUDF_EXPORT(hex_encode) int32_t hex_encode(const uint8_t *data, uint32_t len)
{
    WASMUDF_ENTER();
    static const char digits[] = "0123456789abcdef";
    if (len > 0x7FFFFFFFu) __builtin_trap();
    uint8_t *out = wasmudf_alloc((size_t)len * 2, 1);
    for (uint32_t i = 0; i < len; i++) {
        out[2 * i] = (uint8_t)digits[data[i] >> 4];
        out[2 * i + 1] = (uint8_t)digits[data[i] & 15];
    }
    return wasmudf_return_text(out, len * 2);
}
