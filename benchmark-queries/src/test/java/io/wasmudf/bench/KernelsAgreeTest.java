package io.wasmudf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wasmudf.engine.Engine;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kernel computes the same result on our engine, on Chicory and in plain Java. */
class KernelsAgreeTest {
    private static OursKernels ours;
    private static ChicoryKernels chicory;

    @BeforeAll
    static void setUp() {
        ours = new OursKernels();
        chicory = new ChicoryKernels();
    }

    @Test
    void add() throws Throwable {
        long expected = JavaKernels.addLoop();
        assertEquals((long) Workloads.ADD_CALLS * (Workloads.ADD_CALLS + 1) / 2, expected);
        assertEquals(expected, ours.addLoop());
        assertEquals(expected, OursStatic.addLoop());
        assertEquals(expected, chicory.addLoop());
    }

    @Test
    void fib() throws Throwable {
        assertEquals(2178309, JavaKernels.fib(Workloads.FIB_N));
        assertEquals(2178309, ours.fib());
        assertEquals(2178309, OursStatic.fib());
        assertEquals(2178309, chicory.fib());
    }

    @Test
    void crc32MatchesTheJdk() throws Throwable {
        byte[] input = Workloads.crcInput();
        CRC32 jdk = new CRC32();
        jdk.update(input);
        int expected = (int) jdk.getValue();
        assertEquals(expected, JavaKernels.crc32(input, 0, input.length));
        assertEquals(expected, ours.crc32());
        assertEquals(expected, chicory.crc32());
    }

    @Test
    void sieveCountsThePrimes() throws Throwable {
        assertEquals(25, JavaKernels.sieve(new byte[101], 100));
        int expected = JavaKernels.sieve(new byte[Workloads.SIEVE_N + 1], Workloads.SIEVE_N);
        assertEquals(1077871, expected); // pi(2^24)
        assertEquals(expected, ours.sieve());
        assertEquals(expected, chicory.sieve());
    }

    @Test
    void mandelbrot() throws Throwable {
        int expected = JavaKernels.mandelbrot(Workloads.MANDEL_W, Workloads.MANDEL_H, Workloads.MANDEL_ITER);
        assertEquals(expected, ours.mandelbrot());
        assertEquals(expected, chicory.mandelbrot());
    }

    @Test
    void utf8CountsCodePoints() throws Throwable {
        long expected = 0;
        for (int i = 0; i < Workloads.UTF8_CALLS; i++) {
            String s = Workloads.STRINGS[i % Workloads.STRINGS.length];
            expected += s.codePointCount(0, s.length());
        }
        assertEquals(expected, JavaKernels.utf8Loop(new byte[4096]));
        assertEquals(expected, ours.utf8Loop());
        assertEquals(expected, OursStatic.utf8Loop());
        assertEquals(expected, chicory.utf8Loop());
    }

    @Test
    void largeModuleRunsTheSameOnBothEngines() {
        byte[] large = Workloads.module("large");
        Object ourResult = Engine.create().compile(large).instantiate().function("run_all").call(7)[0];
        long chicoryResult = ChicoryKernels.instance("large").export("run_all").apply(7)[0];
        assertEquals(((Integer) ourResult).intValue(), (int) chicoryResult);
    }

    @Test
    void saltedModulesKeepTheirCode() throws Throwable {
        byte[] salted = Workloads.salted(Workloads.module("fib"), 42);
        assertEquals(55, Engine.create().compile(salted).instantiate().function("fib").call(10)[0]);
    }
}
