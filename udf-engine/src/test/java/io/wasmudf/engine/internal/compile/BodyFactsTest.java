package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The local accesses and buffer-replacing instructions {@link BodyFacts} gathers for a cut
 * function ({@link BodyFacts#localRefs}, {@link BodyFacts#replacePcs}), which {@link Region}
 * reads instead of scanning its range: over any range they say what a plain scan of the
 * instructions says, whether the function was expected to be cut (gathered in the facts pass)
 * or not (gathered in the second pass).
 */
class BodyFactsTest {
    /** Function 1: locals read and written among calls of function 0, {@code memory.grow}, loads and stores. */
    private static WasmModule module() {
        StringBuilder s = new StringBuilder("(module (memory 1) (func $g (param i32) (result i32) (local.get 0))\n");
        s.append(" (func (param $p i32) (result i32) (local $a i32) (local $b i64) (local $c f64) (local $d i32)\n");
        Random random = new Random(14);
        for (int k = 0; k < 300; k++) {
            switch (random.nextInt(7)) {
                case 0 -> s.append("  (local.set $a (i32.add (local.get $a) (local.get $p)))\n");
                case 1 -> s.append("  (local.set $b (i64.extend_i32_u (local.tee $d (call $g (local.get $a)))))\n");
                case 2 -> s.append("  (drop (memory.grow (i32.const 0)))\n");
                case 3 -> s.append("  (i32.store (i32.const 8) (local.get $d))\n");
                case 4 -> s.append("  (block (local.set $c (f64.convert_i64_s (local.get $b))) (br_if 0 (local.get $p)))\n");
                case 5 -> s.append("  (local.set $p (i32.load (i32.const 8)))\n");
                default -> s.append("  (loop (br_if 0 (i32.eqz (local.tee $a (i32.sub (local.get $a) (i32.const 1))))))\n");
            }
        }
        s.append("  (local.get $a))\n)");
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(s.toString()));
        Validator.validate(module);
        return module;
    }

    @Test
    void localAccessesAndBufferReplacementsOfAnyRangeMatchAScan() {
        WasmModule module = module();
        List<Instruction> code = module.bodies().get(1).code();
        ModuleLayout layout = new ModuleLayout("io/wasmudf/gen/BodyFactsTest", module, ModuleCompiler.Checks.NONE);
        int n = code.size();
        // a limit under the body's estimate cuts it: under a quarter of the instructions it is
        // expected (the facts pass gathers), over it the cut is a surprise (a second pass does)
        int estimate = BodyFacts.of(layout, code, Integer.MAX_VALUE, 2).sums[n];
        assertNull(BodyFacts.of(layout, code, estimate, 2).localRefs, "not cut: nothing gathered");
        int surprise = estimate - 1;
        assertTrue(n <= surprise / 4, "the body's estimate (" + estimate + ") too small for a surprise cut of " + n + " instructions");
        for (int limit : new int[] {n / 8, surprise}) {
            BodyFacts facts = BodyFacts.of(layout, code, limit, 2);
            assertNotNull(facts.localRefs);
            Random random = new Random(limit);
            for (int round = 0; round < 2_000; round++) {
                int from = random.nextInt(n);
                int to = from + random.nextInt(n - from + 1);
                int[] uses = new int[5];
                int[] writes = new int[5];
                boolean replaces = false;
                for (int pc = from; pc < to; pc++) {
                    Instruction in = code.get(pc);
                    int op = in.opcode();
                    if (op == Opcodes.LOCAL_GET || op == Opcodes.LOCAL_SET || op == Opcodes.LOCAL_TEE) {
                        uses[in.a()]++;
                        writes[in.a()] += op == Opcodes.LOCAL_GET ? 0 : 1;
                    }
                    replaces |= op == Opcodes.CALL || op == Opcodes.MEMORY_GROW;
                }
                int[] gatheredUses = new int[5];
                int[] gatheredWrites = new int[5];
                for (int k = facts.localOps[from]; k < facts.localOps[to]; k++) {
                    gatheredUses[facts.localRefs[k] >>> 1]++;
                    gatheredWrites[facts.localRefs[k] >>> 1] += facts.localRefs[k] & 1;
                }
                String range = "[" + from + ", " + to + ") at limit " + limit;
                assertArrayEquals(uses, gatheredUses, range);
                assertArrayEquals(writes, gatheredWrites, range);
                assertEquals(replaces, facts.replacesMemoryIn(from, to), range);
            }
        }
    }
}
