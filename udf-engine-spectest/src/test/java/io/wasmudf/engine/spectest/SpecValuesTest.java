package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.V128;
import io.wasmudf.engine.internal.text.WastCommand;
import io.wasmudf.engine.internal.text.WastExpected;
import io.wasmudf.engine.internal.text.WastParser;
import io.wasmudf.engine.internal.text.WastValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Script values as the text parser reads them, converted to call arguments and compared with results. */
class SpecValuesTest {

    private static WastCommand.AssertReturn assertReturn(String args, String results) {
        String script = "(assert_return (invoke \"f\" " + args + ") " + results + ")";
        return (WastCommand.AssertReturn) WastParser.parse(script.getBytes(StandardCharsets.UTF_8)).get(0);
    }

    private static Object arg(String value) {
        return SpecValues.toArgument(assertReturn(value, "").action().args().get(0));
    }

    private static WastExpected expected(String value) {
        return assertReturn("", value).results().get(0);
    }

    @Test
    void argumentsAreRawBits() {
        assertEquals(-1, arg("(i32.const 0xffffffff)"));
        assertEquals(Integer.MIN_VALUE, arg("(i32.const 2147483648)"));
        assertEquals(-1L, arg("(i64.const 18446744073709551615)"));
        assertEquals(1.0f, arg("(f32.const 1)"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) arg("(f64.const -0)")));
        assertEquals(0x7fc1_2345, Float.floatToRawIntBits((Float) arg("(f32.const nan:0x412345)")));
        assertEquals(0xfff8_0000_dead_beefL, Double.doubleToRawLongBits((Double) arg("(f64.const -nan:0x80000deadbeef)")));
    }

    @Test
    void referenceAndVectorArguments() {
        assertNull(arg("(ref.null extern)"));
        assertNull(arg("(ref.null func)"));
        Object one = arg("(ref.extern 1)");
        assertSame(one, arg("(ref.extern 1)"));
        assertTrue(!one.equals(arg("(ref.extern 2)")));
        assertEquals(new V128(0x0000_0002_0000_0001L, 0x0000_0004_FFFF_FFFFL), arg("(v128.const i32x4 1 2 -1 4)"));
        assertEquals(new V128(0x0706_0504_0302_0100L, 0x0F0E_0D0C_0B0A_0908L),
                arg("(v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)"));
    }

    @Test
    void vectorResultsCompareBitwiseOrLaneByLaneWithNanPatterns() {
        V128 v = new V128(0x0000_0002_0000_0001L, 0x0000_0004_0000_0003L);
        assertNull(SpecValues.mismatch(expected("(v128.const i32x4 1 2 3 4)"), v));
        assertNull(SpecValues.mismatch(expected("(v128.const i64x2 0x0000000200000001 0x0000000400000003)"), v));
        assertNotNull(SpecValues.mismatch(expected("(v128.const i32x4 1 2 3 5)"), v));
        assertNotNull(SpecValues.mismatch(expected("(v128.const i32x4 1 2 3 4)"), 1));
        V128 nans = new V128(0x7fc0_0000L | 0x7fe0_0000L << 32, 0x3f80_0000L | 0xffc0_0001L << 32);
        assertNull(SpecValues.mismatch(expected("(v128.const f32x4 nan:canonical nan:arithmetic 1.0 nan:arithmetic)"), nans));
        // lanes 1 and 3 are quiet NaNs with a payload: arithmetic, not canonical
        assertNotNull(SpecValues.mismatch(expected("(v128.const f32x4 nan:canonical nan:canonical 1.0 nan:arithmetic)"), nans));
        assertNotNull(SpecValues.mismatch(expected("(v128.const f32x4 nan:canonical nan:arithmetic 1.0 nan:canonical)"), nans));
        V128 signalling = new V128(0x7fa0_0000L, 0); // lane 0: the quiet bit is clear
        assertNotNull(SpecValues.mismatch(expected("(v128.const f32x4 nan:arithmetic 0 0 0)"), signalling));
        V128 f64 = new V128(0x7ff8_0000_0000_0000L, Double.doubleToRawLongBits(-2.5));
        assertNull(SpecValues.mismatch(expected("(v128.const f64x2 nan:canonical -2.5)"), f64));
        assertNotNull(SpecValues.mismatch(expected("(v128.const f64x2 nan:canonical 2.5)"), f64));
    }

    @Test
    void integersCompareExactlyAndByType() {
        assertNull(SpecValues.mismatch(expected("(i32.const -1)"), -1));
        assertNotNull(SpecValues.mismatch(expected("(i32.const 1)"), 2));
        assertNotNull(SpecValues.mismatch(expected("(i32.const 1)"), 1L));
        assertNull(SpecValues.mismatch(expected("(i64.const 0x8000000000000000)"), Long.MIN_VALUE));
        assertNotNull(SpecValues.mismatch(expected("(i64.const 1)"), 1));
        assertNotNull(SpecValues.mismatch(expected("(i32.const 0)"), null));
    }

    @Test
    void floatsCompareByRawBits() {
        assertNull(SpecValues.mismatch(expected("(f32.const -0)"), -0.0f));
        assertNotNull(SpecValues.mismatch(expected("(f32.const -0)"), 0.0f));
        assertNull(SpecValues.mismatch(expected("(f64.const 1)"), 1.0));
        assertNotNull(SpecValues.mismatch(expected("(f64.const -0)"), 0.0));
        assertNotNull(SpecValues.mismatch(expected("(f32.const nan:0x400001)"), Float.intBitsToFloat(0x7fc0_0000)));
        assertNull(SpecValues.mismatch(expected("(f32.const -nan:0x200000)"), Float.intBitsToFloat(0xffa0_0000)));
        assertNotNull(SpecValues.mismatch(expected("(f32.const 0)"), 0.0));
        assertNotNull(SpecValues.mismatch(expected("(f64.const 0)"), 0.0f));
    }

    @Test
    void canonicalNanAllowsEitherSignButNoPayload() {
        assertNull(SpecValues.f32Mismatch("nan:canonical", 0x7fc0_0000));
        assertNull(SpecValues.f32Mismatch("nan:canonical", 0xffc0_0000));
        assertNotNull(SpecValues.f32Mismatch("nan:canonical", 0x7fc0_0001));
        assertNotNull(SpecValues.f32Mismatch("nan:canonical", 0x7fa0_0000));
        assertNotNull(SpecValues.f32Mismatch("nan:canonical", 0x7f80_0000));
        assertNull(SpecValues.f64Mismatch("nan:canonical", 0xfff8_0000_0000_0000L));
        assertNotNull(SpecValues.f64Mismatch("nan:canonical", 0x7ff8_0000_0000_0001L));
        assertNull(SpecValues.mismatch(expected("(f32.const nan:canonical)"), Float.intBitsToFloat(0xffc0_0000)));
        assertNotNull(SpecValues.mismatch(expected("(f32.const nan:canonical)"), Float.intBitsToFloat(0x7fc0_0001)));
    }

    @Test
    void arithmeticNanNeedsTheQuietBit() {
        assertNull(SpecValues.f32Mismatch("nan:arithmetic", 0xffc1_2345));
        assertNotNull(SpecValues.f32Mismatch("nan:arithmetic", 0x7f80_0001));
        assertNull(SpecValues.f64Mismatch("nan:arithmetic", 0xfff8_0000_0000_0001L));
        assertNotNull(SpecValues.f64Mismatch("nan:arithmetic", 0x7ff0_0000_0000_0001L));
        assertNull(SpecValues.mismatch(expected("(f64.const nan:arithmetic)"), Double.NaN));
        assertNotNull(SpecValues.mismatch(expected("(f64.const nan:arithmetic)"), 1.0));
    }

    @Test
    void references() {
        assertNull(SpecValues.mismatch(expected("(ref.null extern)"), null));
        assertNotNull(SpecValues.mismatch(expected("(ref.null extern)"), SpecValues.externRef(0)));
        assertNull(SpecValues.mismatch(expected("(ref.extern 7)"), SpecValues.externRef(7)));
        assertNotNull(SpecValues.mismatch(expected("(ref.extern 7)"), SpecValues.externRef(8)));
        assertNotNull(SpecValues.mismatch(expected("(ref.extern 7)"), null));
        assertNull(SpecValues.mismatch(expected("(ref.extern)"), SpecValues.externRef(8)));
        assertNull(SpecValues.mismatch(expected("(ref.null func)"), null));
        assertNotNull(SpecValues.mismatch(expected("(ref.func)"), null));
        assertNotNull(SpecValues.mismatch(expected("(ref.func)"), SpecValues.externRef(0)));
        assertNotNull(SpecValues.mismatch(expected("(ref.struct)"), SpecValues.externRef(0)));
    }

    @Test
    void eitherMatchesAnyAlternative() {
        WastExpected either = expected("(either (i32.const 1) (i32.const 2))");
        assertNull(SpecValues.mismatch(either, 2));
        assertTrue(SpecValues.mismatch(either, 3).startsWith("none of the alternatives"));
    }

    @Test
    void resultListsMustMatchInLengthAndOrder() {
        List<WastExpected> expected = assertReturn("", "(i32.const 1) (i64.const 2)").results();
        assertNull(SpecValues.resultsMismatch(expected, new Object[] {1, 2L}));
        String swapped = SpecValues.resultsMismatch(expected, new Object[] {2L, 1});
        assertTrue(swapped.startsWith("result 0:"), swapped);
        assertTrue(SpecValues.resultsMismatch(expected, new Object[] {1}).contains("2 result(s) but got 1"));
        assertNull(SpecValues.resultsMismatch(List.of(), new Object[0]));
        assertNotNull(SpecValues.resultsMismatch(List.of(), null));
    }

    @Test
    void mismatchMessagesShowRawBits() {
        String why = SpecValues.mismatch(new WastExpected.Exact(new WastValue.Num("f32", 0x7fc0_0000)), Float.intBitsToFloat(0x7fa0_0000));
        assertTrue(why.contains("0x7fc00000") && why.contains("0x7fa00000"), why);
    }
}
