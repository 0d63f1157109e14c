package io.wasmudf.engine.internal.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.WasmModule;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A code section of 1 MB or more is decoded in parallel runs (see {@code ModuleDecoder}): the
 * bodies must come out as in-order decoding gives them (each body decoded alone in a small module
 * is the oracle), and a malformed module must get in-order decoding's error, the first by position.
 */
class ParallelCodeDecodingTest {
    private static final int FUNCTIONS = 800;

    /** Body {@code i}: locals, then {@code if}/{@code block}/{@code br_table}/{@code loop} code of about 900 bytes. */
    private static byte[] body(int i) {
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.writeBytes(Wasm.bytes(0x01, 0x02, 0x7F)); // two i32 locals
        for (int k = 0; k < 60; k++) {
            int v = (i * 31 + k) % 200;
            code.writeBytes(Wasm.bytes(0x41, v & 0x3F, 0x04, 0x40, 0x41, 0x07, 0x21, k & 1, 0x05, 0x20, 0x00, 0x21, 0x01, 0x0B)); // if/else
            code.writeBytes(Wasm.bytes(0x02, 0x40, 0x20, 0x01, 0x0E, 0x02, 0x00, 0x00, 0x00, 0x0B)); // block br_table
            code.writeBytes(Wasm.bytes(0x03, 0x40, 0x20, 0x00, 0x0D, 0x00, 0x0B)); // loop br_if
        }
        code.write(0x0B);
        byte[] b = code.toByteArray();
        return Wasm.concat(Wasm.u32(b.length), b);
    }

    private static byte[] module(List<byte[]> bodies) {
        ByteArrayOutputStream funcs = new ByteArrayOutputStream();
        funcs.writeBytes(Wasm.u32(bodies.size()));
        for (int i = 0; i < bodies.size(); i++) {
            funcs.write(0);
        }
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.writeBytes(Wasm.u32(bodies.size()));
        bodies.forEach(code::writeBytes);
        return Wasm.module(Wasm.section(1, 0x01, 0x60, 0x00, 0x00), Wasm.section(3, funcs.toByteArray()),
                Wasm.section(10, code.toByteArray()));
    }

    private static List<byte[]> bodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < FUNCTIONS; i++) {
            bodies.add(body(i));
        }
        return bodies;
    }

    @Test
    void bodiesAreThoseOfInOrderDecoding() {
        List<byte[]> bodies = bodies();
        byte[] wasm = module(bodies);
        assertEquals(true, wasm.length > 1 << 20, "the code section must reach the parallel threshold");
        WasmModule m = ModuleDecoder.decode(wasm);
        assertEquals(FUNCTIONS, m.bodies().size());
        for (int i = 0; i < FUNCTIONS; i += 37) {
            FunctionBody alone = ModuleDecoder.decode(module(List.of(bodies.get(i)))).bodies().get(0);
            FunctionBody got = m.bodies().get(i);
            assertEquals(alone.locals(), got.locals());
            assertEquals(alone.code().size(), got.code().size(), "function " + i);
            for (int k = 0; k < got.code().size(); k++) {
                Instruction a = alone.code().get(k);
                Instruction b = got.code().get(k);
                assertEquals(List.of(a.opcode(), a.a(), a.b(), a.c()), List.of(b.opcode(), b.a(), b.b(), b.c()), "function " + i + " at " + k);
                if (a.labels() != null || b.labels() != null) {
                    assertArrayEquals(a.labels(), b.labels(), "function " + i + " at " + k);
                }
            }
        }
    }

    @Test
    void firstMalformedBodyByPositionIsReported() {
        List<byte[]> bodies = bodies();
        // an illegal opcode (0x27) in two bodies far apart, so in different parallel runs
        int[] bad = {650, 300};
        for (int f : bad) {
            byte[] b = bodies.get(f);
            b[b.length - 2] = 0x27; // the last if/else/end sequence's final end -> illegal
        }
        byte[] wasm = module(bodies);
        MalformedModuleException e = assertThrows(MalformedModuleException.class, () -> ModuleDecoder.decode(wasm));
        assertEquals("illegal opcode", e.reason());
        // its offset: in function 300, the byte we replaced
        int offset = offsetOfBody(wasm, bodies, 300) + bodies.get(300).length - 2;
        assertEquals(offset, e.offset());
    }

    @Test
    void brokenSizePrefixFallsBackToInOrderDecoding() {
        List<byte[]> bodies = bodies();
        byte[] wasm = module(bodies);
        // function 500's size one byte short: the prescan of sizes goes astray from there (and falls
        // back to in-order decoding); the error is in-order decoding's, at function 500
        int at = offsetOfBody(wasm, bodies, 500);
        int size = bodies.get(500).length - 2; // its declared size (a two-byte prefix)
        byte[] prefix = Wasm.u32(size);
        byte[] shorter = Wasm.u32(size - 1);
        assertEquals(2, prefix.length);
        assertEquals(2, shorter.length);
        System.arraycopy(shorter, 0, wasm, at, shorter.length);
        MalformedModuleException e = assertThrows(MalformedModuleException.class, () -> ModuleDecoder.decode(wasm));
        assertEquals("section size mismatch", e.reason());
        assertEquals(at + prefix.length, e.offset());
    }

    /** Offset in {@code wasm} of body {@code f}'s size prefix. */
    private static int offsetOfBody(byte[] wasm, List<byte[]> bodies, int f) {
        int after = wasm.length;
        for (int i = bodies.size() - 1; i >= f; i--) {
            after -= bodies.get(i).length;
        }
        return after;
    }
}
