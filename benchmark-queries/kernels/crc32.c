/* Integer + memory kernel: table-driven CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320) over a
 * 16 MiB buffer the host fills once. One 4-byte table load and one byte load per input byte. */
#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))
#define BUFFER_SIZE (16u << 20)

static unsigned table[256];
static unsigned char data[BUFFER_SIZE];

/* Address of the 16 MiB input buffer in linear memory. */
EXPORT(buffer) unsigned char *buffer(void) { return data; }

EXPORT(crc32) unsigned crc32(const unsigned char *p, unsigned len)
{
    if (table[1] == 0) {
        for (unsigned i = 0; i < 256; i++) {
            unsigned c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    }
    unsigned crc = 0xFFFFFFFFu;
    for (unsigned i = 0; i < len; i++) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}
