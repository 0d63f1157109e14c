package io.wasmudf.engine.internal.runtime;

/**
 * Gets the JIT to compile {@link Mem}'s loads and stores while a module is still loading, by
 * calling them on a thread of its own: a restarted JVM's first guest call otherwise runs them
 * interpreted at first — about ten frames per access on the {@code Unsafe} path, and on JDK 24+
 * the array view {@code VarHandle}s, a dozen more — until the JIT gets to them. Generated code is
 * not touched (the kernels' classes stay as they are); only the helpers' own compiled code is
 * earlier. Once per JVM, on a daemon thread of low priority; see {@link #ENABLED} for where.
 */
public final class HelperWarmup {
    private HelperWarmup() {}

    /**
     * Calls per helper: HotSpot's interpreter asks its compilation policy every 128 calls, which
     * queues a tier-3 (C1) compile once a method has passed 200; so 256 calls and a margin.
     */
    static final int CALLS = 272;

    /**
     * On by default where {@link Mem} goes through the {@code VarHandle}s (JDK 24+), whose
     * interpreted chains are the long ones: there it took up to 5.5 ms of main-thread CPU off the
     * first call of the 444 KB module with JDK 25's AOT cache (loaded machine). With {@code Unsafe} (JDK 17-23) the chains are shorter and
     * the thread competed with class verification for the cores; in {@code ColdStart} it gained
     * nothing there (docs/ENGINE.md, "Where the first call goes"). {@code -Dwasmudf.warmup=true}
     * or {@code false} decides either way.
     */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("wasmudf.warmup", String.valueOf(!Mem.raw())));
    private static volatile boolean started;
    /** Keeps the results live, so nothing of the warm-up loops is dead code. */
    static volatile long sink;

    /**
     * Starts the warm-up once per JVM (later calls do nothing); the engine calls it when it first
     * compiles or loads a module, whose first call would otherwise find the helpers interpreted.
     */
    public static void start() {
        if (!ENABLED || started) {
            return;
        }
        synchronized (HelperWarmup.class) {
            if (started) {
                return;
            }
            started = true;
        }
        new Warmer().start();
    }

    /** The thread: a plain subclass, since a lambda costs a young JVM a spun class on the caller's thread. */
    private static final class Warmer extends Thread {
        Warmer() {
            super("wasmudf-warmup");
            setDaemon(true);
            setPriority(Thread.MIN_PRIORITY);
        }

        @Override
        public void run() {
            HelperWarmup.run();
        }
    }

    /**
     * The loads and stores that compiled code calls most ({@code i32}, {@code i64} and {@code f64}
     * words, bytes), in both forms — with the memory's bound, and without it for a memory kept
     * exactly its array's size (Mem's "exact memories") —, {@link #CALLS} times each; in bounds,
     * as guest code mostly is, so the profiles the JIT keeps are those of real accesses. The rest
     * are left to the guest: each call here is interpreted (about 2 microseconds on JDK 17, more
     * through the {@code VarHandle}s), on a core the loading thread may want (warming all 23
     * bounded ones took 14-30 ms of CPU).
     */
    static void run() {
        byte[] m = new byte[256];
        int n = m.length;
        long acc = 0;
        // every helper CALLS times, both forms (with the bound, and an exact memory's)
        for (int i = 0; i < CALLS; i++) {
            int a = i & 127;
            Mem.i32Store(a, i, m, n, 8);
            acc += Mem.i32Load(a, m, n, 8);
            Mem.i32Store(a, i, m, 4);
            acc += Mem.i32Load(a, m, 4);
            Mem.f64Store(a, i, m, n, 0);
            acc += (long) Mem.f64Load(a, m, n, 0);
            Mem.f64Store(a, i, m, 8);
            acc += (long) Mem.f64Load(a, m, 8);
            Mem.i32Store8(a, i, m, n, 0);
            acc += Mem.i32Load8U(a, m, n, 0);
            Mem.i32Store8(a, i, m, 1);
            acc += Mem.i32Load8U(a, m, 1);
            Mem.i64Store(a, i, m, n, 16);
            acc += Mem.i64Load(a, m, n, 16);
            Mem.i64Store(a, i, m, 24);
            acc += Mem.i64Load(a, m, 24);
        }
        sink = acc;
    }
}
