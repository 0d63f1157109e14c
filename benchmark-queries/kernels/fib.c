/* Call-heavy kernel: doubly recursive Fibonacci; guest->guest calls dominate. fib(32) = 2178309. */
#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

EXPORT(fib) int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
