package io.wasmudf.bench;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.types.TextType;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Splits a realistic {@code slugify} row's CPU time without SQL (issue 21): the Java alias against
 * the text codec's steps and the guest's export, each timed alone in thread CPU time (the machine
 * is shared, wall time is noise), best of the measured rounds. Run:
 * {@code java -cp <bench classpath> io.wasmudf.bench.TextRowSplit wasm-udfs/modules/strings.wasm}.
 */
public final class TextRowSplit {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int ROWS = 16_384;
    private static final int WARMUP = 20;
    private static final int ROUNDS = 20;
    /** Where the codec-only steps write: past the guest's arena, inside its memory. */
    private static final int SCRATCH = 70_000;

    private TextRowSplit() {}

    public static void main(String[] args) throws Throwable {
        GuestInstance g = GuestInstance.instantiate(Engine.create().compile(Files.readAllBytes(Path.of(args[0]))));
        MethodHandle slugify = ((WasmFunction) g.instance().export("slugify")).handle();
        MethodHandle realloc = g.realloc();
        String[] titles = RealisticText.rows(ROWS, 42).stream().map(RealisticText.Row::title).toArray(String[]::new);
        String[] names = {"java alias", "wasm: plan+realloc+write+slugify+lift", "plan+write (UTF-8 into memory)",
            "cabi_realloc alone", "JDK getBytes(UTF_8)+copy, for comparison"};
        double[] best = new double[names.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        long sink = 0;
        for (int round = 0; round < WARMUP + ROUNDS; round++) {
            long[] t = new long[names.length + 1];
            t[0] = THREADS.getCurrentThreadCpuTime();
            sink += java(titles);
            t[1] = THREADS.getCurrentThreadCpuTime();
            sink += wasm(g, realloc, slugify, titles);
            t[2] = THREADS.getCurrentThreadCpuTime();
            sink += encode(g, titles);
            t[3] = THREADS.getCurrentThreadCpuTime();
            sink += realloc(realloc, titles.length);
            t[4] = THREADS.getCurrentThreadCpuTime();
            sink += jdk(g, titles);
            t[5] = THREADS.getCurrentThreadCpuTime();
            if (round >= WARMUP) {
                for (int i = 0; i < names.length; i++) {
                    best[i] = Math.min(best[i], (t[i + 1] - t[i]) / (double) ROWS);
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            System.out.printf("%-45s %7.1f ns/row (CPU)%n", names[i], best[i]);
        }
        System.out.println("(checksum " + sink + ")");
    }

    private static long java(String[] titles) {
        long sink = 0;
        for (String s : titles) {
            sink += TextAliases.slugify(s).length();
        }
        return sink;
    }

    private static long wasm(GuestInstance g, MethodHandle realloc, MethodHandle slugify, String[] titles) throws Throwable {
        long sink = 0;
        for (String s : titles) {
            long plan = TextType.plan(g, s);
            int ptr = (int) realloc.invokeExact(0, 0, TextType.align(plan), TextType.allocation(plan));
            long packed = TextType.write(g, s, plan, ptr);
            int retptr = (int) slugify.invokeExact((int) (packed >>> 32), (int) packed);
            sink += TextType.lift(g, retptr).length();
        }
        return sink;
    }

    private static long encode(GuestInstance g, String[] titles) {
        long sink = 0;
        for (String s : titles) {
            sink += TextType.write(g, s, TextType.plan(g, s), SCRATCH);
        }
        return sink;
    }

    private static long realloc(MethodHandle realloc, int n) throws Throwable {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            sink += (int) realloc.invokeExact(0, 0, 1, 150);
        }
        return sink;
    }

    private static long jdk(GuestInstance g, String[] titles) {
        long sink = 0;
        byte[] buf = g.memory().buffer();
        for (String s : titles) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, buf, SCRATCH, b.length);
            sink += b.length;
        }
        return sink;
    }
}
