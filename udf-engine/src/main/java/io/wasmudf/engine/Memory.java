package io.wasmudf.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A linear memory: the first {@link #byteSize()} bytes of one little-endian {@code byte[]}.
 * {@link #grow} uses spare room at the end of that array when it has some and otherwise replaces it
 * with one twice the new size (within the maximum), so growing page by page costs time in
 * proportion to the growth, not to the size. Every access (compiled code's and this class's) is
 * checked against the size, never against the array's length — except that a memory kept exact
 * ({@link #keepExact()}: its array always exactly the size) is checked by its module's code
 * against the array's length, which is the same bound. Compiled code re-reads
 * {@link #buffer()} and the size after calls and {@code memory.grow}; host code must do the same
 * after anything that can grow memory.
 */
public final class Memory {
    public static final int PAGE_SIZE = 65536;
    /** Largest size a JVM array allows us: 32767 pages (2 GiB - 64 KiB). */
    public static final int MAX_PAGES = 32767;

    /**
     * The host accessors' array views and the budget's cleaner, in classes of their own: made on
     * first need, not when the first memory is created (each costs a young JVM generated classes
     * or a thread, and an instantiation right after a restart needs neither).
     */
    private static final class Views {
        static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
        static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    }

    /** See {@link Views}. */
    private static final class Cleaning {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private byte[] buffer;
    /** The memory's size in bytes, a whole number of pages; {@link #buffer} may be longer. */
    private int size;
    private final long declaredMax;
    /** Whether the memory's addresses are i64 (memory64): part of its type, checked when it is imported. */
    private final boolean is64;
    private final int maxPages;
    /** What this memory holds of a {@link MemoryBudget}, or null when it is not budgeted. */
    private final Reservation reservation;

    /**
     * Creates a memory of {@code minPages}; {@code declaredMax} is the type's maximum (-1 when
     * absent) and {@code capPages} the engine's cap, beyond which {@link #grow} fails with -1.
     */
    public Memory(int minPages, long declaredMax, int capPages) {
        this(minPages, declaredMax, capPages, null);
    }

    /**
     * As {@link #Memory(int, long, int)}, also reserving the memory's size in {@code budget}
     * (when not null) for as long as it lives or until {@link #release()}.
     *
     * @throws ResourceLimitException when the initial size does not fit the budget
     */
    Memory(int minPages, long declaredMax, int capPages, MemoryBudget budget) {
        this(minPages, declaredMax, capPages, budget, false);
    }

    /**
     * As {@link #Memory(int, long, int, MemoryBudget)}; {@code is64}: the memory's addresses are
     * i64 (memory64). Its size is bounded by a {@code byte[]} all the same: a larger minimum is
     * refused before this is called (see {@link CompiledModule#checkFits}), growth past it fails.
     */
    Memory(int minPages, long declaredMax, int capPages, MemoryBudget budget, boolean is64) {
        this.is64 = is64;
        if (minPages < 0 || minPages > capPages || minPages > MAX_PAGES) {
            throw new IllegalArgumentException("memory of " + minPages + " pages exceeds the limit of " + Math.min(capPages, MAX_PAGES));
        }
        this.declaredMax = declaredMax;
        long max = declaredMax < 0 ? 65536 : declaredMax;
        this.maxPages = (int) Math.min(max, Math.min(capPages, MAX_PAGES));
        if (budget != null) {
            long bytes = (long) minPages * PAGE_SIZE;
            if (!budget.tryReserve(bytes)) {
                throw new ResourceLimitException(ResourceLimitException.Resource.MEMORY, "memory of " + minPages + " pages does not fit the memory budget ("
                        + budget.reservedBytes() + " of " + budget.maxBytes() + " bytes in use)", null);
            }
            this.reservation = new Reservation(budget, bytes);
            try {
                this.buffer = new byte[minPages * PAGE_SIZE];
                this.size = buffer.length;
            } catch (OutOfMemoryError e) {
                reservation.run();
                throw new ResourceLimitException(ResourceLimitException.Resource.MEMORY, "memory of " + minPages + " pages: the JVM is out of memory", e);
            }
            // a memory dropped without Instance.close() still gives its bytes back, once collected
            Cleaning.CLEANER.register(this, reservation);
        } else {
            this.reservation = null;
            this.buffer = new byte[minPages * PAGE_SIZE];
            this.size = buffer.length;
        }
    }

    /** Bytes of a budget held by one memory; released at most once in total. */
    private static final class Reservation implements Runnable {
        private final MemoryBudget budget;
        private final AtomicLong bytes;

        Reservation(MemoryBudget budget, long bytes) {
            this.budget = budget;
            this.bytes = new AtomicLong(bytes);
        }

        boolean grow(long more) {
            if (!budget.tryReserve(more)) {
                return false;
            }
            bytes.addAndGet(more);
            return true;
        }

        void shrink(long less) {
            bytes.addAndGet(-less);
            budget.release(less);
        }

        @Override
        public void run() {
            budget.release(bytes.getAndSet(0));
        }
    }

    /**
     * Gives the memory's budget reservation back and empties it: any later access is out of
     * bounds and growth fails. Called by {@link Instance#close()}.
     */
    void release() {
        buffer = new byte[0];
        size = 0;
        released = true;
        if (reservation != null) {
            reservation.run();
        }
    }

    private boolean released;
    private int growRefusals;
    /** See {@link #keepExact()}. */
    private boolean exact;

    /**
     * From now on, {@link #grow} replaces the array by one of exactly the new size, so the array
     * is always exactly the memory. Set at instantiation for the memory of a module whose code
     * never grows it (whose compiled accesses are then checked against the array's length alone);
     * growth from the host or from another module importing it is then O(size) per call.
     */
    void keepExact() {
        if (buffer.length != size) {
            throw new IllegalStateException("memory already has spare room");
        }
        exact = true;
    }

    /** Whether the memory is indexed by i64 addresses (memory64). */
    public boolean is64() {
        return is64;
    }

    /** A memory with the given limits and the engine's default cap. */
    public static Memory create(int minPages, long declaredMax) {
        return new Memory(minPages, declaredMax, MAX_PAGES);
    }

    /**
     * The current backing array, valid until the next {@link #grow}. Only its first
     * {@link #byteSize()} bytes are the memory: the array may be longer.
     */
    public byte[] buffer() {
        return buffer;
    }

    /** Current size in bytes: accesses at or past it are out of bounds. */
    public int byteSize() {
        return size;
    }

    /** Current size in pages. */
    public int pages() {
        return size / PAGE_SIZE;
    }

    /** The maximum from the memory's type, or -1 when it has none. */
    public long declaredMax() {
        return declaredMax;
    }

    /** Grows by {@code delta} pages (unsigned) and returns the old size, or -1 if it cannot. */
    public int grow(int delta) {
        int old = pages();
        long wanted = (long) old + Integer.toUnsignedLong(delta);
        if (wanted > maxPages) {
            return refused();
        }
        if (released) {
            return -1;
        }
        if (delta != 0) {
            long more = (long) delta * PAGE_SIZE;
            if (reservation != null && !reservation.grow(more)) {
                return refused();
            }
            int newSize = (int) wanted * PAGE_SIZE;
            if (newSize <= buffer.length) {
                // new pages read as zero whatever a host wrote past the size into the array
                Arrays.fill(buffer, size, newSize, (byte) 0);
            } else if (!reallocate(newSize)) {
                if (reservation != null) {
                    reservation.shrink(more);
                }
                return refused();
            }
            size = newSize;
        }
        return old;
    }

    /**
     * Replaces the backing array by one of at least {@code newSize} bytes holding the memory's
     * bytes. It takes twice what is needed (within the maximum), which makes a series of small
     * grows cost amortised time in proportion to the growth (1.5 times measured about twice as
     * slow for 1,023 one-page grows); when the heap has no room for that, exactly {@code newSize}.
     * The spare room is not reserved in a {@link MemoryBudget}: a budget counts what guests were
     * granted, so limits fail at the same point as before, and the heap held is at most twice
     * that. Returns false when even the exact size does not fit.
     */
    private boolean reallocate(int newSize) {
        long roomy = exact ? newSize : Math.min(2L * newSize, (long) maxPages * PAGE_SIZE);
        int capacity = (int) (roomy / PAGE_SIZE * PAGE_SIZE);
        byte[] bigger = null;
        if (capacity > newSize) {
            try {
                bigger = new byte[capacity];
            } catch (OutOfMemoryError e) {
                bigger = null;
            }
        }
        if (bigger == null) {
            try {
                bigger = new byte[newSize];
            } catch (OutOfMemoryError e) {
                return false;
            }
        }
        System.arraycopy(buffer, 0, bigger, 0, size);
        buffer = bigger;
        return true;
    }

    private int refused() {
        growRefusals++;
        return -1;
    }

    /**
     * How many times {@link #grow} returned -1 because of a limit (the type's maximum, the cap, a
     * {@link MemoryBudget} or the JVM heap): lets a host tell that a guest which then trapped was
     * most likely out of memory.
     */
    public int growRefusals() {
        return growRefusals;
    }

    private static Trap oob() {
        return new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS);
    }

    private int check(long addr, long len) {
        if (addr < 0 || len < 0 || addr + len > size) {
            throw oob();
        }
        return (int) addr;
    }

    /** Copies {@code len} bytes of {@code src} into memory at {@code addr} (unsigned). */
    public void write(int addr, byte[] src, int off, int len) {
        System.arraycopy(src, off, buffer, check(Integer.toUnsignedLong(addr), len), len);
    }

    /** Returns a copy of {@code len} bytes at {@code addr} (unsigned). */
    public byte[] read(int addr, int len) {
        int from = check(Integer.toUnsignedLong(addr), len); // before allocating: len comes from the guest
        byte[] out = new byte[len];
        System.arraycopy(buffer, from, out, 0, len);
        return out;
    }

    public byte readByte(int addr) {
        return buffer[check(Integer.toUnsignedLong(addr), 1)];
    }

    public void writeByte(int addr, byte v) {
        buffer[check(Integer.toUnsignedLong(addr), 1)] = v;
    }

    public short readShort(int addr) {
        return (short) Views.SHORT.get(buffer, check(Integer.toUnsignedLong(addr), 2));
    }

    public int readInt(int addr) {
        return (int) Views.INT.get(buffer, check(Integer.toUnsignedLong(addr), 4));
    }

    public void writeInt(int addr, int v) {
        Views.INT.set(buffer, check(Integer.toUnsignedLong(addr), 4), v);
    }

    public long readLong(int addr) {
        return (long) Views.LONG.get(buffer, check(Integer.toUnsignedLong(addr), 8));
    }

    public void writeLong(int addr, long v) {
        Views.LONG.set(buffer, check(Integer.toUnsignedLong(addr), 8), v);
    }
}
