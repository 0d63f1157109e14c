package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/**
 * Jumps over more than 32 KB of bytecode, which ASM can only encode by rewriting the method
 * (wide jumps) and recomputing the frames around them from the compiler's own stack map frames.
 * The suite's modules are far too small to need that; this one is not, with outlining off.
 */
class LongJumpTest {
    /** Copies of {@code acc += 3} in the loop: about 4 bytes of bytecode each. */
    private static final int COPIES = 10_000;

    /**
     * {@code f(n)}: unless n is 0 (a forward branch past the loop), runs the loop n times, each
     * adding 3 to a local {@code COPIES} times (its back edge jumps backwards over all of them).
     */
    private static byte[] module() {
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.write(1); // one run of locals
        code.write(1);
        code.write(0x7F); // i32 acc
        code.writeBytes(new byte[] {0x02, 0x40, 0x20, 0x00, 0x45, 0x0D, 0x00, 0x03, 0x40}); // block; n == 0 → br_if 0; loop
        for (int i = 0; i < COPIES; i++) {
            code.writeBytes(new byte[] {0x20, 0x01, 0x41, 0x03, 0x6A, 0x21, 0x01}); // acc += 3
        }
        code.writeBytes(new byte[] {0x20, 0x00, 0x41, 0x01, 0x6B, 0x22, 0x00, 0x0D, 0x00}); // n -= 1; br_if loop
        code.writeBytes(new byte[] {0x0B, 0x0B, 0x20, 0x01, 0x0B}); // end loop, end block, acc, end
        byte[] body = code.toByteArray();
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        m.writeBytes(new byte[] {0x01, 0x06, 0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F}); // type (i32) -> i32
        m.writeBytes(new byte[] {0x03, 0x02, 0x01, 0x00}); // one function of type 0
        m.writeBytes(new byte[] {0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00}); // export "f"
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        section.write(1);
        leb(section, body.length);
        section.writeBytes(body);
        m.write(0x0A);
        leb(m, section.size());
        m.writeBytes(section.toByteArray());
        return m.toByteArray();
    }

    private static void leb(ByteArrayOutputStream out, int v) {
        while (v >= 0x80) {
            out.write(v & 0x7F | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    @Test
    void jumpsOverMoreThan32KilobytesRunCorrectly() throws Throwable {
        byte[] wasm = module();
        Engine[] engines = {
            Engine.builder().methodSizeLimit(Integer.MAX_VALUE).build(),
            Engine.builder().untrusted().methodSizeLimit(Integer.MAX_VALUE).build(),
            Engine.create(), // outlined into several methods instead
        };
        for (Engine engine : engines) {
            MethodHandle f = engine.compile(wasm).instantiate().function("f").handle();
            assertEquals(0, (int) f.invokeExact(0));
            assertEquals(3 * COPIES, (int) f.invokeExact(1));
            assertEquals(2 * 3 * COPIES, (int) f.invokeExact(2));
        }
    }
}
