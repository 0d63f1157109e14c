package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A comparison followed by {@code br_if} or {@code if} compiles to one JVM conditional jump; this
 * checks every i32 and i64 comparison in the fused forms (including a br_if back to a loop header,
 * which compiles to a forward jump and a goto) against the unfused value form and against Java's
 * own arithmetic, on edge values where signed and unsigned order differ.
 */
class CompareBranchTest {
    private static final long[] I64_EDGES = {0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1,
        Integer.MIN_VALUE, Integer.MAX_VALUE, 0xFFFF_FFFFL, 0x1_0000_0000L};
    private static final int[] I32_EDGES = {0, 1, -1, 2, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 0xFFFF};

    /** eqz, eq, ne, lt_s, lt_u, gt_s, gt_u, le_s, le_u, ge_s, ge_u in opcode order. */
    private static final LongBinaryOperator[] SIGNED_OR_UNSIGNED = {
        (a, b) -> a == 0 ? 1 : 0,
        (a, b) -> a == b ? 1 : 0,
        (a, b) -> a != b ? 1 : 0,
        (a, b) -> a < b ? 1 : 0,
        (a, b) -> Long.compareUnsigned(a, b) < 0 ? 1 : 0,
        (a, b) -> a > b ? 1 : 0,
        (a, b) -> Long.compareUnsigned(a, b) > 0 ? 1 : 0,
        (a, b) -> a <= b ? 1 : 0,
        (a, b) -> Long.compareUnsigned(a, b) <= 0 ? 1 : 0,
        (a, b) -> a >= b ? 1 : 0,
        (a, b) -> Long.compareUnsigned(a, b) >= 0 ? 1 : 0,
    };
    private static final String[] FORMS = {"value", "br_if", "if", "br_if back to a loop"};

    @Test
    void i64ComparisonsAgreeInEveryForm() throws Throwable {
        Instance instance = Engine.builder().build().compile(module(0x7E, 0x50)).instantiate();
        for (int k = 0; k < SIGNED_OR_UNSIGNED.length; k++) {
            for (int form = 0; form < FORMS.length; form++) {
                MethodHandle h = instance.function("f" + k + "_" + form).handle();
                for (long a : I64_EDGES) {
                    for (long b : I64_EDGES) {
                        int expected = (int) SIGNED_OR_UNSIGNED[k].applyAsLong(a, b);
                        assertEquals(expected, (int) h.invokeExact(a, b), "i64 op " + k + " as " + FORMS[form] + " on " + a + ", " + b);
                    }
                }
            }
        }
    }

    @Test
    void i32ComparisonsAgreeInEveryForm() throws Throwable {
        Instance instance = Engine.builder().build().compile(module(0x7F, 0x45)).instantiate();
        for (int k = 0; k < SIGNED_OR_UNSIGNED.length; k++) {
            for (int form = 0; form < FORMS.length; form++) {
                MethodHandle h = instance.function("f" + k + "_" + form).handle();
                for (int a : I32_EDGES) {
                    for (int b : I32_EDGES) {
                        // i32 unsigned order is the unsigned order of the zero-extended values
                        boolean unsigned = k == 4 || k == 6 || k == 8 || k == 10;
                        long wa = unsigned ? Integer.toUnsignedLong(a) : a;
                        long wb = unsigned ? Integer.toUnsignedLong(b) : b;
                        int expected = (int) SIGNED_OR_UNSIGNED[k].applyAsLong(wa, wb);
                        assertEquals(expected, (int) h.invokeExact(a, b), "i32 op " + k + " as " + FORMS[form] + " on " + a + ", " + b);
                    }
                }
            }
        }
    }

    /**
     * A module with, for each of the 11 comparisons starting at opcode {@code first} on operands of
     * type {@code t}, three exports {@code (t, t) -> i32}: the comparison's value, and the
     * comparison deciding a {@code br_if} and an {@code if}.
     */
    private static byte[] module(int t, int first) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (int k = 0; k < SIGNED_OR_UNSIGNED.length; k++) {
            int op = first + k;
            for (int form = 0; form < FORMS.length; form++) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                if (form == 3) {
                    body.writeBytes(new byte[] {1, 1, 0x7F}); // one i32 local: the pass counter
                } else {
                    body.write(0); // no locals
                }
                byte[] operands = k == 0 ? new byte[] {0x20, 0} : new byte[] {0x20, 0, 0x20, 1};
                switch (form) {
                    case 0 -> {
                        body.writeBytes(operands);
                        body.write(op);
                    }
                    case 1 -> {
                        // block (result i32) i32.const 1 <cmp> br_if 0 drop i32.const 0 end
                        body.writeBytes(new byte[] {0x02, 0x7F, 0x41, 1});
                        body.writeBytes(operands);
                        body.writeBytes(new byte[] {(byte) op, 0x0D, 0, 0x1A, 0x41, 0, 0x0B});
                    }
                    case 3 -> {
                        // block loop  n = n + 1  br_if 1 (n == 2)  <cmp> br_if 0  end end  n - 1:
                        // 1 exactly when the comparison sent the first pass back to the header
                        body.writeBytes(new byte[] {0x02, 0x40, 0x03, 0x40, 0x20, 2, 0x41, 1, 0x6A, 0x22, 2,
                            0x41, 2, 0x46, 0x0D, 1});
                        body.writeBytes(operands);
                        body.writeBytes(new byte[] {(byte) op, 0x0D, 0, 0x0B, 0x0B, 0x20, 2, 0x41, 1, 0x6B});
                    }
                    default -> {
                        // <cmp> if (result i32) i32.const 1 else i32.const 0 end
                        body.writeBytes(operands);
                        body.writeBytes(new byte[] {(byte) op, 0x04, 0x7F, 0x41, 1, 0x05, 0x41, 0, 0x0B});
                    }
                }
                body.write(0x0B);
                bodies.put("f" + k + "_" + form, body.toByteArray());
            }
        }
        return ModuleBytes.functions(new byte[] {2, (byte) t, (byte) t, 1, 0x7F}, bodies, 0);
    }
}
