package io.wasmudf.engine.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Runs the leading iterations of a recognised f32x4 dot-product loop (see {@code compile.DotLoops}:
 * {@code acc = f32x4.add(acc, f32x4.mul(v128.load a, v128.load b))}, unrolled or not) in one call,
 * with {@code jdk.incubator.vector}: one 128-bit multiply and add per vector, as V8 runs it, where
 * the compiled Wasm loop does four scalar ones each plus a bounds check per load. Each lane's sum is
 * built in the same order as the loop builds it, product rounded before the add (no FMA), so the
 * result is bit for bit the loop's. Used only where {@link #USABLE}; the compiler recognises no loop
 * otherwise, so without the module the generated code is what it was.
 */
public final class SimdDotLoop {
    private SimdDotLoop() {}

    private static final long U32 = 0xFFFF_FFFFL;
    /** Below this many vectors the plain loop below runs: the vector code is slow until C2 has compiled it. */
    private static final int VECTOR_MIN = 16;

    /**
     * Whether compiled code may call {@link #dot} in this JVM ({@link VectorWarmup#USABLE}: the
     * {@code jdk.incubator.vector} module is present and not turned off). Compiled code depends on
     * it (part of the code-cache key, so it is cheap: nothing of the module is loaded to decide it).
     */
    public static final boolean USABLE = VectorWarmup.USABLE;

    /**
     * {@code acc} plus, lane by lane and in order, the products of the n f32x4 vectors at byte
     * indices {@code a}, {@code a + 16}, ... and {@code b}, {@code b + 16}, ... of {@code m}, all in
     * bounds (the caller counted them with {@link #inBounds}).
     */
    public static Object dot(Object acc, byte[] m, int a, int b, int n) {
        F32Lanes s = F32Lanes.of(acc);
        if (n >= VECTOR_MIN) {
            if (Warmup.INSTANCE.ready()) {
                return VectorDot.dot(s, m, a, b, n);
            }
            Warmup.INSTANCE.start(); // code from the code cache: no compile started the warm-up
        }
        float l0 = s.l0;
        float l1 = s.l1;
        float l2 = s.l2;
        float l3 = s.l3;
        for (int i = 0; i < n; i++) {
            int x = a + 16 * i;
            int y = b + 16 * i;
            l0 += f(m, x) * f(m, y);
            l1 += f(m, x + 4) * f(m, y + 4);
            l2 += f(m, x + 8) * f(m, y + 8);
            l3 += f(m, x + 12) * f(m, y + 12);
        }
        return new F32Lanes(l0, l1, l2, l3);
    }

    /** Vectors per warm-up call: compiled, well under 5 ns each; interpreted or C1, microseconds. */
    private static final int WARM = 64;

    /**
     * {@link VectorDot#dot}'s warm-up: until it is ready, the plain loop above runs. A class of its
     * own so that reading {@link #USABLE} (the code-cache key) loads nothing more.
     */
    private static final class Warmup extends VectorWarmup {
        static final Warmup INSTANCE = new Warmup();
        private final byte[] m = new byte[WARM * 16 + 16];
        private F32Lanes acc = new F32Lanes(0, 0, 0, 0);

        Warmup() {
            super("dot", WARM * 5);
        }

        @Override
        boolean supported() {
            return VectorDot.supported();
        }

        @Override
        void callOnce() {
            acc = VectorDot.dot(acc, m, 0, 16, WARM);
            sink = acc;
        }
    }

    /** Keeps the warm-up's result live. */
    static volatile Object sink;

    /**
     * Starts the warm-up of the vector loop once per JVM (later calls do nothing); the compiler calls
     * it when it first emits a recognised loop, {@link #dot} when it runs before (compiled code
     * loaded from the code cache).
     */
    public static void warmUp() {
        Warmup.INSTANCE.start();
    }

    /** Waits up to {@code millis} for the vector loop to be ready (tests, benchmarks); whether it is. */
    public static boolean awaitVector(long millis) throws InterruptedException {
        return Warmup.INSTANCE.await(millis);
    }

    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private static float f(byte[] m, int i) {
        return (float) FLOAT.get(m, i);
    }

    /**
     * How many iterations j = 0, 1, ... of a load at address {@code address + j stride} (unsigned,
     * {@code stride > 0}) with offset {@code offset} read 16 bytes inside {@code min(bound, m.length)}
     * (the bound as {@link Mem#at} takes it). Those addresses stay below 2^31: none wraps.
     */
    public static int inBounds(int address, int offset, int stride, byte[] m, int bound) {
        long first = (address & U32) + (offset & U32);
        long last = (long) Math.min(bound, m.length) - 16;
        if (first > last) {
            return 0;
        }
        return (int) Math.min((last - first) / stride + 1, Integer.MAX_VALUE);
    }

    /**
     * How many consecutive iterations j = 0, 1, ... certainly have {@code x + j dx != 0} (32-bit):
     * those before the value, counted without wrapping, reaches or passes zero (an answer too small
     * only leaves iterations to the compiled loop, which tests them itself).
     */
    public static int nonZero(int x, int dx) {
        long v = x & U32;
        if (v == 0) {
            return 0;
        }
        if (dx == 0) {
            return Integer.MAX_VALUE;
        }
        long n = dx < 0 ? v / -(long) dx : (U32 - v) / dx + 1;
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /**
     * How many consecutive iterations j = 0, 1, ... certainly have {@code x + j dx <= y + j dy} as
     * unsigned 32-bit values ({@code <} when {@code strict}): counted while neither side wraps.
     */
    public static int atMost(int x, int dx, int y, int dy, boolean strict) {
        long gap = (y & U32) - (x & U32) - (strict ? 1 : 0);
        if (gap < 0) {
            return 0;
        }
        long n = Math.min(noWrap(x, dx), noWrap(y, dy));
        long shrink = (long) dx - dy;
        if (shrink > 0) {
            n = Math.min(n, gap / shrink + 1);
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** Iterations j = 0, 1, ... for which {@code x + j dx} stays in [0, 2^32) (x unsigned). */
    private static long noWrap(int x, int dx) {
        long v = x & U32;
        if (dx == 0) {
            return Long.MAX_VALUE;
        }
        return dx > 0 ? (U32 - v) / dx + 1 : v / -(long) dx + 1;
    }
}
