package io.wasmudf.bench;

/** The kernels' algorithms in plain Java: the reference for what the JIT does with the same code. */
public final class JavaKernels {
    private static final int[] CRC_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            CRC_TABLE[i] = c;
        }
    }

    private JavaKernels() {}

    /** Kept out of line (like a wasm export is) so the call itself is what is measured. */
    public static int add(int a, int b) {
        return a + b;
    }

    public static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    public static int crc32(byte[] p, int off, int len) {
        int crc = 0xFFFFFFFF;
        for (int i = off; i < off + len; i++) {
            crc = CRC_TABLE[(crc ^ p[i]) & 0xFF] ^ (crc >>> 8);
        }
        return ~crc;
    }

    /** Number of primes <= n, sieving in {@code composite} (length > n). */
    public static int sieve(byte[] composite, int n) {
        java.util.Arrays.fill(composite, 0, n + 1, (byte) 0);
        int count = 0;
        for (int i = 2; i <= n; i++) {
            if (composite[i] == 0) {
                count++;
                for (long j = (long) i * i; j <= n; j += i) {
                    composite[(int) j] = 1;
                }
            }
        }
        return count;
    }

    public static int mandelbrot(int w, int h, int maxIter) {
        int total = 0;
        for (int y = 0; y < h; y++) {
            double ci = -1.0 + 2.0 * y / h;
            for (int x = 0; x < w; x++) {
                double cr = -2.0 + 3.0 * x / w;
                double zr = 0.0;
                double zi = 0.0;
                int i = 0;
                while (i < maxIter && zr * zr + zi * zi <= 4.0) {
                    double t = zr * zr - zi * zi + cr;
                    zi = 2.0 * zr * zi + ci;
                    zr = t;
                    i++;
                }
                total += i;
            }
        }
        return total;
    }

    public static int utf8Len(byte[] s, int off, int len) {
        int n = 0;
        for (int i = off; i < off + len; i++) {
            n += (s[i] & 0xC0) != 0x80 ? 1 : 0;
        }
        return n;
    }

    // --- the whole kernels, as the benchmarks run them -------------------------------------

    public static long addLoop() {
        long sum = 0;
        for (int i = 0; i < Workloads.ADD_CALLS; i++) {
            sum += add(i, 1);
        }
        return sum;
    }

    /** The host "writes" each string into a scratch buffer, as it writes into linear memory. */
    public static long utf8Loop(byte[] scratch) {
        long sum = 0;
        for (int i = 0; i < Workloads.UTF8_CALLS; i++) {
            byte[] s = Workloads.utf8(i);
            System.arraycopy(s, 0, scratch, 0, s.length);
            sum += utf8Len(scratch, 0, s.length);
        }
        return sum;
    }
}
