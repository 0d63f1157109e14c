/* Floating-point kernel: Mandelbrot set escape-time over a w x h grid of [-2,1] x [-1,1] with at
 * most max_iter iterations per point (f64); returns the total iteration count. */
#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

EXPORT(mandelbrot) int mandelbrot(int w, int h, int max_iter)
{
    int total = 0;
    for (int y = 0; y < h; y++) {
        double ci = -1.0 + 2.0 * y / h;
        for (int x = 0; x < w; x++) {
            double cr = -2.0 + 3.0 * x / w;
            double zr = 0.0, zi = 0.0;
            int i = 0;
            while (i < max_iter && zr * zr + zi * zi <= 4.0) {
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
