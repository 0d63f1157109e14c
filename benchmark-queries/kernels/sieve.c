/* Integer + memory kernel: sieve of Eratosthenes over a byte array; returns the number of primes
 * <= n (n <= 16M). Byte stores dominate. */
#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))
#define LIMIT (16u << 20)

static unsigned char composite[LIMIT + 1];

EXPORT(sieve) int sieve(unsigned n)
{
    if (n > LIMIT) return -1;
    for (unsigned i = 0; i <= n; i++) composite[i] = 0;
    int count = 0;
    for (unsigned i = 2; i <= n; i++) {
        if (!composite[i]) {
            count++;
            for (unsigned long long j = (unsigned long long)i * i; j <= n; j += i) composite[j] = 1;
        }
    }
    return count;
}
