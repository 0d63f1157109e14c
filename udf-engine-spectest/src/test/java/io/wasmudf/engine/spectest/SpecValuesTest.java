package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValuesTest {

    private static Map<String, Object> value(String type, String value) {
        return Map.of("type", type, "value", value);
    }

    private static String u32(int bits) {
        return Integer.toUnsignedString(bits);
    }

    private static String u64(long bits) {
        return Long.toUnsignedString(bits);
    }

    @Test
    void argumentsAreUnsignedRawBits() {
        assertEquals(-1, SpecValues.toArgument(value("i32", "4294967295")));
        assertEquals(Integer.MIN_VALUE, SpecValues.toArgument(value("i32", "2147483648")));
        assertEquals(-1L, SpecValues.toArgument(value("i64", "18446744073709551615")));
        assertEquals(1.0f, SpecValues.toArgument(value("f32", "1065353216")));
        assertEquals(-0.0, SpecValues.toArgument(value("f64", u64(0x8000_0000_0000_0000L))));
        Object nan = SpecValues.toArgument(value("f32", u32(0x7fc1_2345)));
        assertEquals(0x7fc1_2345, Float.floatToRawIntBits((Float) nan));
        Object nan64 = SpecValues.toArgument(value("f64", u64(0xfff8_0000_dead_beefL)));
        assertEquals(0xfff8_0000_dead_beefL, Double.doubleToRawLongBits((Double) nan64));
    }

    @Test
    void referenceArguments() {
        assertNull(SpecValues.toArgument(value("externref", "null")));
        assertNull(SpecValues.toArgument(value("funcref", "null")));
        Object one = SpecValues.toArgument(value("externref", "1"));
        assertSame(one, SpecValues.toArgument(value("externref", "1")));
        assertEquals(new ExternRef(1), one);
        assertTrue(!one.equals(SpecValues.toArgument(value("externref", "2"))));
        assertThrows(IllegalArgumentException.class, () -> SpecValues.toArgument(value("v128", "0")));
    }

    @Test
    void integersCompareExactlyAndByType() {
        assertNull(SpecValues.mismatch(value("i32", "4294967295"), -1));
        assertNotNull(SpecValues.mismatch(value("i32", "1"), 2));
        assertNotNull(SpecValues.mismatch(value("i32", "1"), 1L));
        assertNull(SpecValues.mismatch(value("i64", "9223372036854775808"), Long.MIN_VALUE));
        assertNotNull(SpecValues.mismatch(value("i64", "1"), 1));
        assertNotNull(SpecValues.mismatch(value("i32", "0"), null));
    }

    @Test
    void floatsCompareByRawBits() {
        assertNull(SpecValues.mismatch(value("f32", u32(0x8000_0000)), -0.0f));
        assertNotNull(SpecValues.mismatch(value("f32", u32(0x8000_0000)), 0.0f));
        assertNull(SpecValues.mismatch(value("f64", u64(0x3ff0_0000_0000_0000L)), 1.0));
        assertNotNull(SpecValues.mismatch(value("f64", u64(0x8000_0000_0000_0000L)), 0.0));
        // Two NaNs with different payloads are different values for assert_return.
        assertNotNull(SpecValues.f32Mismatch(u32(0x7fc0_0001), 0x7fc0_0000));
        assertNull(SpecValues.f32Mismatch(u32(0xffa0_0000), 0xffa0_0000));
        assertNotNull(SpecValues.f64Mismatch(u64(0x7ff8_0000_0000_0001L), 0x7ff8_0000_0000_0000L));
        assertNotNull(SpecValues.mismatch(value("f32", "0"), 0.0));
        assertNotNull(SpecValues.mismatch(value("f64", "0"), 0.0f));
    }

    @Test
    void canonicalNanAllowsEitherSignButNoPayload() {
        assertNull(SpecValues.f32Mismatch("nan:canonical", 0x7fc0_0000));
        assertNull(SpecValues.f32Mismatch("nan:canonical", 0xffc0_0000));
        assertNotNull(SpecValues.f32Mismatch("nan:canonical", 0x7fc0_0001));
        assertNotNull(SpecValues.f32Mismatch("nan:canonical", 0x7fa0_0000));
        assertNotNull(SpecValues.f32Mismatch("nan:canonical", 0x7f80_0000));
        assertNull(SpecValues.f64Mismatch("nan:canonical", 0x7ff8_0000_0000_0000L));
        assertNull(SpecValues.f64Mismatch("nan:canonical", 0xfff8_0000_0000_0000L));
        assertNotNull(SpecValues.f64Mismatch("nan:canonical", 0x7ff8_0000_0000_0001L));
        assertNotNull(SpecValues.f64Mismatch("nan:canonical", 0x7ff4_0000_0000_0000L));
        assertNotNull(SpecValues.f64Mismatch("nan:canonical", 0x3ff8_0000_0000_0000L));
    }

    @Test
    void arithmeticNanNeedsTheQuietBit() {
        assertNull(SpecValues.f32Mismatch("nan:arithmetic", 0x7fc0_0000));
        assertNull(SpecValues.f32Mismatch("nan:arithmetic", 0xffc1_2345));
        assertNotNull(SpecValues.f32Mismatch("nan:arithmetic", 0x7f80_0001));
        assertNotNull(SpecValues.f32Mismatch("nan:arithmetic", 0x7f80_0000));
        assertNotNull(SpecValues.f32Mismatch("nan:arithmetic", 0x3fc0_0000));
        assertNull(SpecValues.f64Mismatch("nan:arithmetic", 0xfff8_0000_0000_0001L));
        assertNotNull(SpecValues.f64Mismatch("nan:arithmetic", 0x7ff0_0000_0000_0001L));
        assertNotNull(SpecValues.f64Mismatch("nan:arithmetic", 0x7ff0_0000_0000_0000L));
        assertNotNull(SpecValues.f64Mismatch("nan:arithmetic", 0x0008_0000_0000_0000L));
        assertNull(SpecValues.mismatch(value("f64", "nan:arithmetic"), Double.NaN));
        assertNotNull(SpecValues.mismatch(value("f64", "nan:arithmetic"), 1.0));
    }

    @Test
    void references() {
        assertNull(SpecValues.mismatch(value("externref", "null"), null));
        assertNotNull(SpecValues.mismatch(value("externref", "null"), SpecValues.externRef(0)));
        assertNull(SpecValues.mismatch(value("externref", "7"), SpecValues.externRef(7)));
        assertNotNull(SpecValues.mismatch(value("externref", "7"), SpecValues.externRef(8)));
        assertNotNull(SpecValues.mismatch(value("externref", "7"), null));
        assertNull(SpecValues.mismatch(value("funcref", "null"), null));
        assertNotNull(SpecValues.mismatch(value("funcref", "null"), SpecValues.externRef(0)));
        assertNotNull(SpecValues.mismatch(value("funcref", "0"), null));
        assertNotNull(SpecValues.mismatch(value("funcref", "0"), SpecValues.externRef(0)));
    }

    @Test
    void resultListsMustMatchInLengthAndOrder() {
        List<Object> expected = List.of(value("i32", "1"), value("i64", "2"));
        assertNull(SpecValues.resultsMismatch(expected, new Object[] {1, 2L}));
        String swapped = SpecValues.resultsMismatch(expected, new Object[] {2L, 1});
        assertTrue(swapped.startsWith("result 0:"), swapped);
        assertTrue(SpecValues.resultsMismatch(expected, new Object[] {1}).contains("2 result(s) but got 1"));
        assertNull(SpecValues.resultsMismatch(List.of(), new Object[0]));
        assertNotNull(SpecValues.resultsMismatch(List.of(), null));
    }

    @Test
    void mismatchMessagesShowRawBits() {
        String why = SpecValues.mismatch(value("f32", u32(0x7fc0_0000)), Float.intBitsToFloat(0x7fa0_0000));
        assertTrue(why.contains("0x7fc00000") && why.contains("0x7fa00000"), why);
    }
}
