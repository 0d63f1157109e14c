package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The splitter on the shape that matters most: an interpreter loop, a {@code br_table} over 64
 * arms of straight-line code, in a function with 300 locals (more than a region passes as JVM
 * arguments, so some live in the frame arrays). Whatever the method size target — the default,
 * everything outlined, a tiny one, none — the results must be those of the unsplit function.
 */
class SplitterTest {
    private static final int LOCALS = 300;
    private static final int ARMS = 64;
    private static final int STATEMENTS = 30;

    /** {@code run(n)}: n iterations of the switch on {@code n % 64}, then the sum of all locals. */
    private static byte[] module() {
        Random random = new Random(14);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {1});
        ModuleBytes.writeU32(b, LOCALS);
        b.write(0x7F);
        b.writeBytes(new byte[] {0x03, 0x40}); // loop $L
        b.writeBytes(new byte[] {0x02, 0x40}); // block $arms_end
        for (int i = 0; i < ARMS; i++) {
            b.writeBytes(new byte[] {0x02, 0x40}); // block b_i
        }
        b.writeBytes(new byte[] {0x20, 0x00, 0x41});
        ModuleBytes.writeS32(b, ARMS);
        b.write(0x70); // i32.rem_u
        b.write(0x0E); // br_table 0 … 63, default 63
        ModuleBytes.writeU32(b, ARMS);
        for (int i = 0; i < ARMS; i++) {
            ModuleBytes.writeU32(b, i);
        }
        ModuleBytes.writeU32(b, ARMS - 1);
        for (int i = 0; i < ARMS; i++) {
            b.write(0x0B); // end b_i: arm i follows
            for (int s = 0; s < STATEMENTS; s++) {
                int x = 1 + random.nextInt(LOCALS);
                int y = 1 + random.nextInt(LOCALS);
                int z = 1 + random.nextInt(LOCALS);
                b.write(0x20);
                ModuleBytes.writeU32(b, x);
                b.write(0x41);
                ModuleBytes.writeS32(b, 3 + random.nextInt(100));
                b.write(0x6C); // i32.mul
                b.write(0x20);
                ModuleBytes.writeU32(b, y);
                b.write(0x73); // i32.xor
                b.write(0x20);
                b.writeBytes(new byte[] {0x00});
                b.write(0x6A); // i32.add (n)
                b.write(0x21);
                ModuleBytes.writeU32(b, z);
            }
            b.write(0x0C); // br $arms_end
            ModuleBytes.writeU32(b, ARMS - 1 - i);
        }
        b.write(0x0B); // end $arms_end
        b.writeBytes(new byte[] {0x20, 0x00, 0x41, 0x01, 0x6B, 0x22, 0x00, 0x0D, 0x00}); // n -= 1; br_if $L
        b.write(0x0B); // end loop
        b.writeBytes(new byte[] {0x41, 0x00});
        for (int l = 1; l <= LOCALS; l++) {
            b.write(0x20);
            ModuleBytes.writeU32(b, l);
            b.write(0x6A);
        }
        b.write(0x0B);
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        m.writeBytes(new byte[] {0x01, 0x06, 0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F});
        m.writeBytes(new byte[] {0x03, 0x02, 0x01, 0x00});
        m.writeBytes(new byte[] {0x07, 0x07, 0x01, 0x03, 'r', 'u', 'n', 0x00, 0x00});
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.write(1);
        ModuleBytes.writeU32(code, b.size());
        code.writeBytes(b.toByteArray());
        ModuleBytes.section(m, 10, code);
        return m.toByteArray();
    }

    @Test
    void anInterpreterLoopGivesTheSameResultsHoweverItIsSplit() throws Throwable {
        byte[] wasm = module();
        int[] inputs = {1, 2, 63, 64, 65, 1000};
        int[] expected = new int[inputs.length];
        MethodHandle whole = Engine.builder().methodSizeLimit(Integer.MAX_VALUE).build()
                .compile(wasm).instantiate().function("run").handle();
        for (int i = 0; i < inputs.length; i++) {
            expected[i] = (int) whole.invokeExact(inputs[i]);
        }
        assertTrue(expected[5] != 0);
        for (Engine engine : new Engine[] {
            Engine.create(),
            Engine.builder().methodSizeLimit(0).build(),
            Engine.builder().methodSizeLimit(300).build(),
            Engine.builder().untrusted().fuel(true).build(),
        }) {
            MethodHandle f = engine.compile(wasm).instantiate().function("run").handle();
            for (int i = 0; i < inputs.length; i++) {
                assertEquals(expected[i], (int) f.invokeExact(inputs[i]),
                        "run(" + inputs[i] + ") with method limit " + engine.options().methodSizeLimit());
            }
        }
    }
}
