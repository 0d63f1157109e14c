package io.wasmudf.engine.internal.runtime;

import java.nio.ByteOrder;

/**
 * Brings one {@code jdk.incubator.vector} kernel ({@link VectorDot}, {@link VectorScan}) to C2's
 * vector code on a background thread before compiled Wasm code relies on it. Until C2 has compiled
 * a kernel it is the API's Java fallback, interpreted or C1-compiled, about a thousand times slower
 * than the plain loop it replaces (the benchmark's first dot-product call took 1.45 s), so each
 * helper runs its plain loop until {@link #ready}. One instance per kernel, each started at most
 * once per JVM: a JVM that only scans never warms the dot product.
 */
abstract class VectorWarmup {
    /**
     * Whether the vector kernels may be used in this JVM: {@code -Dwasmudf.simd.vectorApi} is not
     * {@code off}, the {@code jdk.incubator.vector} module is in the boot layer ({@code --add-modules
     * jdk.incubator.vector}) and memory's byte order is the machine's. Decided without loading
     * anything of the module (the code-cache key reads it); whether the kernel's vectors are native
     * is {@link #supported}'s concern.
     */
    static final boolean USABLE = !"off".equals(System.getProperty("wasmudf.simd.vectorApi", "auto"))
            && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final String name;
    private final long budgetNanos;
    private volatile boolean ready;
    private volatile boolean finished;
    private volatile boolean started;

    /**
     * {@code budgetNanos}: the time under which one {@link #callOnce} shows compiled vector code
     * (a few ns per vector of its work; interpreted or C1, microseconds).
     */
    VectorWarmup(String name, long budgetNanos) {
        this.name = name;
        this.budgetNanos = budgetNanos;
    }

    /** Whether the kernel's vectors are native here (loads the kernel's class; else the API runs as slow Java code). */
    abstract boolean supported();

    /** One call of the kernel on a small input, its result kept live. */
    abstract void callOnce();

    /** Whether the kernel runs as C2's vector code: callers use it only then. */
    final boolean ready() {
        return ready;
    }

    /**
     * Starts the warm-up once (on a daemon thread of low priority, like {@code HelperWarmup}'s;
     * later calls do nothing): from the compiler when it first emits a call of the kernel's helper,
     * or from the helper when the compiled code came from the code cache.
     */
    final void start() {
        if (started) { // the usual case once started: no lock (the helpers call this while not ready)
            return;
        }
        synchronized (this) {
            if (!USABLE || started) {
                return;
            }
            started = true;
        }
        new Warmer(this).start();
    }

    /**
     * Starts the warm-up if needed and waits up to {@code millis} for it to end (tests, benchmarks,
     * as JMH's warm-up waits for the JIT); whether the kernel is ready.
     */
    final boolean await(long millis) throws InterruptedException {
        if (!USABLE) {
            return false;
        }
        start();
        long end = System.nanoTime() + millis * 1_000_000;
        while (!finished && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return ready;
    }

    /** The thread: a plain subclass, as HelperWarmup's (a lambda costs a young JVM a spun class). */
    private static final class Warmer extends Thread {
        private final VectorWarmup w;

        Warmer(VectorWarmup w) {
            super("wasmudf-vector-warmup-" + w.name);
            this.w = w;
            setDaemon(true);
            setPriority(Thread.MIN_PRIORITY);
        }

        @Override
        public void run() {
            try {
                w.ready = w.supported() && warm();
            } catch (Throwable e) { // LinkageError and the like: the module is there but not usable
                w.ready = false;
            } finally {
                w.finished = true;
            }
        }

        /**
         * Calls the kernel until eight calls in a row run within the budget; gives up after 20 s of
         * trying (a JVM without C2, say), and the plain loop stays.
         */
        private boolean warm() {
            long giveUp = System.nanoTime() + 20_000_000_000L;
            for (int fast = 0; fast < 8; ) {
                if (System.nanoTime() >= giveUp) {
                    return false;
                }
                long t = System.nanoTime();
                w.callOnce();
                fast = System.nanoTime() - t < w.budgetNanos ? fast + 1 : 0;
            }
            return true;
        }
    }
}
