package io.wasmudf.bench.corpus;

/**
 * What a real-program workload needs from a WebAssembly runtime, so that one workload (and one
 * set of stub imports) runs on the engine and on Chicory alike: calls of exports that take and
 * return i32s, and the exported memory.
 */
public interface GuestRuntime {
    /** Calls export {@code name}; its i32 result, or 0 when it returns nothing. */
    int call(String name, int... args);

    int readInt(int addr);

    void writeInt(int addr, int value);

    byte readByte(int addr);

    byte[] read(int addr, int length);

    void write(int addr, byte[] bytes);

    int pages();

    /** {@code memory.grow}: the old size in pages, or -1. */
    int grow(int pages);

    /**
     * A host import over raw bits: arguments as longs (i32 sign-extended, f32/f64 as their raw
     * bits), the result likewise (ignored for a function without results).
     */
    @FunctionalInterface
    interface HostCall {
        long apply(GuestRuntime guest, long[] args);
    }
}
