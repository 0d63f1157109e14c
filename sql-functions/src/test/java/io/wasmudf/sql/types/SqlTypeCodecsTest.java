package io.wasmudf.sql.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Memory;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.AbiValues;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The codecs of date/time, interval, uuid, numeric, json and array types: their conversions, PostgreSQL's ranges and input
 * rules, and arrays written into and read from a real instance's memory (abi.wasm's cabi_realloc).
 */
class SqlTypeCodecsTest {
    private static CompiledModule module;
    private GuestInstance guest;
    private Memory memory;
    private final Random random = new Random(18);

    @BeforeEach
    void instantiate() throws Exception {
        if (module == null) {
            try (InputStream in = SqlTypeCodecsTest.class.getResourceAsStream("/abi.wasm")) {
                module = Engine.create().compile(in.readAllBytes());
            }
        }
        guest = GuestInstance.instantiate(module);
        memory = guest.instance().memory("memory");
    }

    private static AbiException fails(String state, Executable e) {
        AbiException x = assertThrows(AbiException.class, e);
        assertEquals(state, x.sqlState(), x.getMessage());
        return x;
    }

    @Test
    void datesAreDaysSince2000() {
        assertEquals(0, DateTimeType.lowerDate(LocalDate.of(2000, 1, 1)));
        assertEquals(-1, DateTimeType.lowerDate(LocalDate.of(1999, 12, 31)));
        assertEquals(LocalDate.of(2000, 3, 1), DateTimeType.toDate(60));
        for (int i = 0; i < 1000; i++) {
            int days = random.nextInt(DateTimeType.END_DATE - DateTimeType.MIN_DATE) + DateTimeType.MIN_DATE;
            assertEquals(days, DateTimeType.lowerDate(DateTimeType.toDate(days)));
        }
        assertEquals(LocalDate.of(-4713, 11, 24), DateTimeType.toDate(DateTimeType.MIN_DATE));
        assertEquals(LocalDate.of(5874897, 12, 31), DateTimeType.toDate(DateTimeType.END_DATE - 1));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.toDate(DateTimeType.END_DATE));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.toDate(DateTimeType.MIN_DATE - 1));
        assertTrue(fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.toDate(Integer.MAX_VALUE)).getMessage().contains("infinity"));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.lowerDate(LocalDate.of(5874898, 1, 1)));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.lowerDate(LocalDate.MIN));
        assertEquals(0, DateTimeType.orZeroDate(null));
        assertNull(DateTimeType.fromPackedDate(0));
        assertEquals(LocalDate.of(2000, 1, 2), DateTimeType.fromPackedDate(1L << 32 | 1));
    }

    @Test
    void timestampsAreMicrosecondsSince2000() {
        assertEquals(0, DateTimeType.lowerTimestamp(LocalDateTime.of(2000, 1, 1, 0, 0)));
        assertEquals(-1, DateTimeType.lowerTimestamp(LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000)));
        // nanoseconds round half up to microseconds
        assertEquals(2, DateTimeType.lowerTimestamp(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1500)));
        assertEquals(1, DateTimeType.lowerTimestamp(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1499)));
        for (int i = 0; i < 1000; i++) {
            long us = random.nextLong(DateTimeType.END_TIMESTAMP / 2) * (random.nextBoolean() ? 1 : -1) / 1000;
            assertEquals(us, DateTimeType.lowerTimestamp(DateTimeType.toTimestamp(us)));
            assertEquals(us, DateTimeType.lowerTimestamptz(DateTimeType.toTimestamptz(us)));
        }
        OffsetDateTime berlin = OffsetDateTime.of(2000, 1, 1, 1, 0, 0, 0, ZoneOffset.ofHours(1));
        assertEquals(0, DateTimeType.lowerTimestamptz(berlin));
        assertEquals(ZoneOffset.UTC, DateTimeType.toTimestamptz(0).getOffset());
        assertTrue(fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.toTimestamp(Long.MAX_VALUE)).getMessage().contains("infinity"));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.toTimestamp(Long.MIN_VALUE));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.toTimestamp(DateTimeType.END_TIMESTAMP));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.lowerTimestamp(LocalDateTime.MAX));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.lowerTimestamptz(OffsetDateTime.MIN));
        assertEquals(LocalDateTime.of(-4713, 11, 24, 0, 0), DateTimeType.toTimestamp(DateTimeType.MIN_TIMESTAMP));
    }

    @Test
    void timesAreMicrosecondsSinceMidnight() {
        assertEquals(0, DateTimeType.lowerTime(LocalTime.MIDNIGHT));
        assertEquals(86_399_999_999L, DateTimeType.lowerTime(LocalTime.of(23, 59, 59, 999_999_000)));
        assertEquals(LocalTime.of(12, 0), DateTimeType.toTime(43_200_000_000L));
        assertTrue(fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.toTime(86_400_000_000L)).getMessage().contains("24:00:00"));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> DateTimeType.toTime(-1));
    }

    @Test
    void intervalsSplitWholeDaysAsPostgresDoes() {
        Duration d = Duration.ofDays(-1).minusHours(2);
        assertEquals(0, IntervalType.months(d));
        assertEquals(-1, IntervalType.days(d));
        assertEquals(-7_200_000_000L, IntervalType.micros(d));
        assertEquals(d, IntervalType.of(0, -1, -7_200_000_000L));
        assertEquals(Duration.ofHours(36), IntervalType.of(0, 0, 36 * 3_600_000_000L));
        assertEquals(Duration.ofNanos(1500), IntervalType.of(0, 0, 1).plusNanos(500));
        assertEquals(2, IntervalType.micros(Duration.ofNanos(1500)));
        assertTrue(fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> IntervalType.of(1, 0, 0)).getMessage().contains("months"));
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> IntervalType.days(Duration.ofDays(3_000_000_000L)));
        assertEquals(0, IntervalType.orZeroDays(null));
    }

    @Test
    void numericReadsAsNumericInAndPrintsAsNumericOut() {
        assertEquals("-12.50", NumericType.text(new BigDecimal("-12.50")));
        assertEquals("1000", NumericType.text(new BigDecimal("1E+3")));
        assertEquals("0.0000001", NumericType.text(new BigDecimal("1E-7")));
        String[][] good = {{" 1.5e3 ", "1500"}, {"-.5", "-0.5"}, {"+7", "7"}, {"5.", "5"}, {"1E-2", "0.01"}, {"007", "7"}};
        for (String[] g : good) {
            assertEquals(0, new BigDecimal(g[1]).compareTo(NumericType.parse(g[0])), g[0]);
        }
        for (String bad : new String[] {"", " ", "abc", "1.2.3", "1e", "--1", "1 2", ".", "e5", "0x10", "1_000"}) {
            assertTrue(fails(SqlStates.INVALID_TEXT_REPRESENTATION, () -> NumericType.parse(bad)).getMessage()
                    .startsWith("invalid input syntax for type numeric"), bad);
        }
        for (String range : new String[] {"NaN", "-Infinity", "inf", "1e-16384", "1e131072", "1e9999999999", "1" + "0".repeat(100_000)}) {
            fails(SqlStates.NUMERIC_OUT_OF_RANGE, () -> NumericType.parse(range));
        }
        assertEquals(16_383, NumericType.parse("1e-16383").scale());
    }

    @Test
    void jsonIsOneValue() {
        for (String ok : new String[] {"{}", "[]", " {\"a\": [1, -2.5e+3, true, false, null, \"\\u00e9\\n\"]} ", "0", "-0.1", "\"\"", "1E9"}) {
            assertEquals(ok, JsonType.check(ok));
        }
        for (String bad : new String[] {"", "{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "01", "1.", ".5", "+1", "'a'", "\"a", "\"\t\"", "nul",
            "{} {}", "\"\\x\"", "[1]]"}) {
            fails(SqlStates.INVALID_TEXT_REPRESENTATION, () -> JsonType.check(bad));
        }
        // a hostile nesting depth is an error, not a StackOverflowError
        fails(SqlStates.INVALID_TEXT_REPRESENTATION, () -> JsonType.check("[".repeat(200_000) + "]".repeat(200_000)));
    }

    @Test
    void jsonbPrintsAsPostgresPrintsJsonb() {
        // each expected text is what PostgreSQL 15 prints for the input cast to jsonb
        String[][] cases = {
            {"[1,2]", "[1, 2]"}, {"{\"b\":1,\"a\":2,\"aa\":3}", "{\"a\": 2, \"b\": 1, \"aa\": 3}"}, {"{\"a\":1,\"a\":2}", "{\"a\": 2}"},
            {" {} ", "{}"}, {"[ ]", "[]"}, {"1e2", "100"}, {"-0.0", "0.0"}, {"1.50", "1.50"}, {"\"\\u00e9\\/\\n\"", "\"é/\\n\""},
            {"[true,false,null,{\"x\":[{}]}]", "[true, false, null, {\"x\": [{}]}]"}, {"\"\\u001f\"", "\"\\u001f\""},
        };
        for (String[] c : cases) {
            assertEquals(c[1], JsonbText.normalize(JsonType.check(c[0])), c[0]);
        }
        fails("22P05", () -> JsonbText.normalize("\"\\u0000\""));
        fails(SqlStates.NUMERIC_OUT_OF_RANGE, () -> JsonbText.normalize("1e999999999"));
    }

    /** A return area {ptr, len} for a result the test placed at ptr. */
    private int area(int ptr, int len) throws Throwable {
        int at = AbiValues.ptr(guest.lowerIntoMemory(SqlTypes.BYTEA, new byte[8]));
        memory.writeInt(at, ptr);
        memory.writeInt(at + 4, len);
        return at;
    }

    @Test
    void integerArraysAreElementsThenANullBitmap() throws Throwable {
        Integer[] a = {7, null, -1, null, null, null, null, null, null, 42};
        long packed = guest.lowerIntoMemory(ArrayType.INTEGER, a);
        int ptr = AbiValues.ptr(packed);
        assertEquals(a.length, AbiValues.len(packed));
        assertEquals(0, ptr % 4);
        assertEquals(7, memory.readInt(ptr));
        assertEquals(0, memory.readInt(ptr + 4), "a NULL slot is zero");
        assertEquals(-1, memory.readInt(ptr + 8));
        assertEquals(42, memory.readInt(ptr + 36));
        assertEquals((byte) 0b1111_1010, memory.readByte(ptr + 40));
        assertEquals((byte) 0b0000_0001, memory.readByte(ptr + 41));
        assertArrayEquals(a, ArrayType.liftInteger(guest, area(ptr, a.length)));
        assertArrayEquals(new Integer[0], ArrayType.liftInteger(guest, area(0, 0)));
        assertNull(ArrayType.liftOptionalInteger(guest, AbiValues.ptr(guest.lowerIntoMemory(SqlTypes.BYTEA, new byte[12]))));
    }

    @Test
    void everyElementTypeRoundTrips() throws Throwable {
        Object[][] samples = {
            new Boolean[] {true, null, false}, new Short[] {-3, null}, new Long[] {Long.MIN_VALUE, null}, new Float[] {-0.0f, null},
            new Double[] {Double.NaN, null}, new BigDecimal[] {new BigDecimal("-1.50"), null}, new String[] {"", null, "Grüße ✓"},
            new byte[][] {{1, 2, 3}, null, {}}, new LocalDate[] {LocalDate.of(1, 1, 1), null}, new LocalTime[] {LocalTime.NOON, null},
            new LocalDateTime[] {LocalDateTime.of(1500, 2, 3, 4, 5, 6, 7000), null},
            new OffsetDateTime[] {OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), null},
            new Duration[] {Duration.ofDays(-3).plusMillis(5), null}, new UUID[] {new UUID(-1L, 1L), null},
        };
        SqlType[] types = {ArrayType.BOOLEAN, ArrayType.SMALLINT, ArrayType.BIGINT, ArrayType.REAL, ArrayType.DOUBLE_PRECISION,
            ArrayType.NUMERIC, ArrayType.TEXT, ArrayType.BYTEA, ArrayType.DATE, ArrayType.TIME, ArrayType.TIMESTAMP, ArrayType.TIMESTAMPTZ,
            ArrayType.INTERVAL, ArrayType.UUID};
        for (int i = 0; i < samples.length; i++) {
            long packed = guest.lowerIntoMemory(types[i], samples[i]);
            Object[] back = (Object[]) types[i].liftArea().handle().invoke(guest, area(AbiValues.ptr(packed), AbiValues.len(packed)));
            assertEquals(samples[i].length, back.length, types[i].sqlName());
            for (int k = 0; k < back.length; k++) {
                if (samples[i][k] instanceof byte[] b) {
                    assertArrayEquals(b, (byte[]) back[k]);
                } else {
                    assertEquals(samples[i][k], back[k], types[i].sqlName());
                }
            }
        }
    }

    @Test
    void wildArrayResultsAreRefusedBeforeAnythingIsAllocated() throws Throwable {
        assertTrue(fails(SqlStates.PROGRAM_LIMIT_EXCEEDED, () -> ArrayType.liftInteger(guest, area(16, -1))).getMessage()
                .contains("array size exceeds the maximum allowed"));
        fails(SqlStates.PROGRAM_LIMIT_EXCEEDED, () -> ArrayType.liftText(guest, area(16, 65_537)));
        int end = memory.buffer().length;
        assertTrue(fails(SqlStates.ARRAY_SUBSCRIPT_ERROR, () -> ArrayType.liftInteger(guest, area(end - 40, 10))).getMessage()
                .contains("outside memory"), "the bitmap's byte is beyond the end");
        fails(SqlStates.ARRAY_SUBSCRIPT_ERROR, () -> ArrayType.liftBigint(guest, area(-8, 2)));
        assertTrue(fails(SqlStates.ARRAY_SUBSCRIPT_ERROR, () -> ArrayType.liftUuid(guest, area(20, 1))).getMessage().contains("aligned"));
        // a string element pointing outside memory
        int wild = AbiValues.ptr(guest.lowerIntoMemory(SqlTypes.BYTEA, new byte[12]));
        memory.writeInt(wild, end - 2);
        memory.writeInt(wild + 4, 3);
        memory.writeByte(wild + 8, (byte) 0);
        assertTrue(fails(SqlStates.ARRAY_SUBSCRIPT_ERROR, () -> ArrayType.liftText(guest, area(wild, 1))).getMessage().contains("element"));
        fails(SqlStates.ARRAY_SUBSCRIPT_ERROR, () -> ArrayType.liftBytea(guest, area(wild, 1)));
        // elements checked as their type is
        int at = AbiValues.ptr(guest.lowerIntoMemory(SqlTypes.BYTEA, new byte[8]));
        memory.writeInt(at, Integer.MAX_VALUE);
        memory.writeByte(at + 4, (byte) 0);
        fails(SqlStates.DATETIME_OUT_OF_RANGE, () -> ArrayType.liftDate(guest, area(at, 1)));
    }
}
