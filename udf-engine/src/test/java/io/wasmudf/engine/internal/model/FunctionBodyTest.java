package io.wasmudf.engine.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The flags {@link FunctionBody}'s scanning constructor finds ({@code tailCalls},
 * {@code growsMemory}) against the decoder's, which notes them while decoding, and against a plain
 * search of every short instruction sequence (either fact before, after or without the other).
 */
class FunctionBodyTest {
    private static final int[] ALPHABET = {Opcodes.NOP, Opcodes.RETURN_CALL, Opcodes.RETURN_CALL_INDIRECT,
            RefOpcodes.RETURN_CALL_REF, Opcodes.MEMORY_GROW, Opcodes.I32_ADD};

    @Test
    void everyShortSequenceGivesBothFacts() {
        int sequences = 0;
        for (int length = 0; length <= 4; length++) {
            int count = (int) Math.pow(ALPHABET.length, length);
            for (int n = 0; n < count; n++) {
                List<Instruction> code = new ArrayList<>();
                for (int i = 0, rest = n; i < length; i++, rest /= ALPHABET.length) {
                    code.add(Instruction.of(ALPHABET[rest % ALPHABET.length]));
                }
                code.add(Instruction.of(Opcodes.END));
                boolean tail = code.stream().anyMatch(in -> in.opcode() == Opcodes.RETURN_CALL
                        || in.opcode() == Opcodes.RETURN_CALL_INDIRECT || in.opcode() == RefOpcodes.RETURN_CALL_REF);
                boolean grows = code.stream().anyMatch(in -> in.opcode() == Opcodes.MEMORY_GROW);
                FunctionBody b = new FunctionBody(List.of(), code, 0);
                assertEquals(tail, b.tailCalls(), "tailCalls of " + code);
                assertEquals(grows, b.growsMemory(), "growsMemory of " + code);
                sequences++;
            }
        }
        assertEquals(1 + 6 + 36 + 216 + 1296, sequences);
    }

    @Test
    void theScanAgreesWithTheDecoder() {
        String wat = """
                (module
                  (type $t (func (param i32) (result i32)))
                  (memory 1)
                  (table 1 funcref)
                  (elem declare func $plain)
                  (func $plain (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
                  (func (param i32) (result i32) (return_call $plain (memory.grow (local.get 0))))
                  (func (param i32) (result i32) (drop (memory.grow (i32.const 1))) (return_call $plain (local.get 0)))
                  (func (param i32) (result i32) (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
                  (func (param i32) (result i32) (return_call_ref $t (local.get 0) (ref.func $plain)))
                  (func (param i32) (result i32) (memory.grow (local.get 0)))
                  (func (param i32) (result i32) (call $plain (memory.size))))
                """;
        WasmModule m = ModuleDecoder.decode(Wat.toBinary(wat.getBytes(StandardCharsets.UTF_8)));
        boolean[][] expected = {{false, false}, {true, true}, {true, true}, {true, false}, {true, false}, {false, true},
                {false, false}};
        assertEquals(expected.length, m.bodies().size());
        for (int i = 0; i < expected.length; i++) {
            FunctionBody decoded = m.bodies().get(i);
            FunctionBody scanned = new FunctionBody(decoded.locals(), decoded.code(), decoded.offset(), decoded.localCodes());
            assertEquals(expected[i][0], decoded.tailCalls(), "decoder's tailCalls of function " + i);
            assertEquals(expected[i][1], decoded.growsMemory(), "decoder's growsMemory of function " + i);
            assertEquals(decoded.tailCalls(), scanned.tailCalls(), "tailCalls of function " + i);
            assertEquals(decoded.growsMemory(), scanned.growsMemory(), "growsMemory of function " + i);
        }
    }
}
