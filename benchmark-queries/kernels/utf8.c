/* String-shaped kernel: the host writes a short UTF-8 string into input() and calls
 * utf8_len(ptr, len), which counts code points (bytes that are not continuation bytes). */
#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

static unsigned char in[4096];

/* Address of a 4 KiB scratch buffer for the host to write strings into. */
EXPORT(input) unsigned char *input(void) { return in; }

EXPORT(utf8_len) int utf8_len(const unsigned char *s, int len)
{
    int n = 0;
    for (int i = 0; i < len; i++) n += (s[i] & 0xC0) != 0x80;
    return n;
}
