/* Call-heavy kernel: a function so small that the cost measured is the host->guest call itself.
 * The host calls add(i, 1) 10M times and sums the results. */
#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

EXPORT(add) int add(int a, int b) { return a + b; }
