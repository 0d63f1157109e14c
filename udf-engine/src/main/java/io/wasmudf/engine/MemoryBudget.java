package io.wasmudf.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the total linear memory of many instances (for example all instances of one database).
 * Instantiation reserves each memory's initial size, {@code memory.grow} reserves the growth, and
 * {@link Instance#close()} (or, as a safety net, garbage collection of the memory) gives it back.
 * When a reservation does not fit, instantiation throws {@link ResourceLimitException} and
 * {@code memory.grow} returns -1, as the spec allows. Thread-safe.
 */
public final class MemoryBudget {
    private final long maxBytes;
    private final AtomicLong reserved = new AtomicLong();

    /** A budget of {@code maxBytes} bytes in total. */
    public MemoryBudget(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes currently reserved by live memories. */
    public long reservedBytes() {
        return reserved.get();
    }

    /** Reserves {@code bytes} if they fit; returns whether they did. */
    boolean tryReserve(long bytes) {
        while (true) {
            long r = reserved.get();
            if (bytes > maxBytes - r) {
                return false;
            }
            if (reserved.compareAndSet(r, r + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + reserved.get() + " of " + maxBytes + " bytes reserved]";
    }
}
