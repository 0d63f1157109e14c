package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire encodings. Expected texts are what PostgreSQL 15 prints for the same values. */
class PgCodecTest {
    @ParameterizedTest
    @CsvSource({"1e15,1e+15", "123456789012345,123456789012345", "0.00001,1e-05", "0.0001,0.0001", "1.5e300,1.5e+300",
        "100,100", "-0.0,-0", "12345678.9,12345678.9", "0.1,0.1", "-2.5e-10,-2.5e-10"})
    void float8Text(double value, String expected) {
        assertEquals(expected, PgCodec.toText(PgType.FLOAT8, value));
    }

    @ParameterizedTest
    @CsvSource({"1e6,1e+06", "123456,123456", "1234567,1.234567e+06", "0.1,0.1", "1.25e-7,1.25e-07"})
    void float4Text(float value, String expected) {
        assertEquals(expected, PgCodec.toText(PgType.FLOAT4, value));
    }

    @Test
    void specialFloatsAndOtherTexts() {
        assertEquals("Infinity", PgCodec.toText(PgType.FLOAT8, Double.POSITIVE_INFINITY));
        assertEquals("NaN", PgCodec.toText(PgType.FLOAT4, Float.NaN));
        assertEquals("t", PgCodec.toText(PgType.BOOL, true));
        assertEquals("\\x00ff", PgCodec.toText(PgType.BYTEA, new byte[] {0, -1}));
        assertEquals("2024-01-02 03:04:05.12", PgCodec.toText(PgType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 120_000_000)));
        assertEquals("{1,NULL,\"a b\",\"\"}", PgCodec.toText(PgType.TEXT, new Object[] {1, null, "a b", ""}));
    }

    /** Binary numeric images as PostgreSQL 15's numeric_send(v) returns them. */
    @ParameterizedTest
    @CsvSource({"0,0000000000000000", "1,0001000000000000" + "0001", "-1.5,0002000040000001" + "00011388",
        "10000,0001000100000000" + "0001", "0.0001,0001ffff00000004" + "0001", "123456.789,0003000100000003" + "000c0d801ed2",
        "1.000,0001000000000003" + "0001"})
    void numericBinary(String value, String hex) {
        byte[] expected = java.util.HexFormat.of().parseHex(hex);
        BigDecimal v = new BigDecimal(value);
        assertArrayEquals(expected, PgCodec.numericToBinary(v), value);
        assertEquals(v, PgCodec.numericFromBinary(expected));
    }

    @Test
    void temporalBinaryIsRelativeTo2000() throws Exception {
        assertArrayEquals(new byte[] {0, 0, 0, 0}, PgCodec.toBinary(PgType.DATE, LocalDate.of(2000, 1, 1)));
        assertEquals(LocalDate.of(1999, 12, 31), PgCodec.fromBinary(PgType.DATE, new byte[] {-1, -1, -1, -1}));
        byte[] ts = PgCodec.toBinary(PgType.TIMESTAMP, LocalDateTime.of(2000, 1, 1, 0, 0, 1));
        assertEquals(1_000_000L, java.nio.ByteBuffer.wrap(ts).getLong());
        assertEquals(LocalDateTime.of(2000, 1, 1, 0, 0, 1), PgCodec.fromBinary(PgType.TIMESTAMP, ts));
    }

    @Test
    void textParameters() {
        assertEquals(true, PgCodec.fromText(PgType.BOOL, "yes"));
        assertEquals(-5, PgCodec.fromText(PgType.INT4, " -5 "));
        assertArrayEquals(new byte[] {1, (byte) 0xAB}, (byte[]) PgCodec.fromText(PgType.BYTEA, "\\x01ab"));
        assertArrayEquals(new byte[] {'a', 0, '\\'}, (byte[]) PgCodec.fromText(PgType.BYTEA, "a\\000\\\\"));
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 600_000_000),
                PgCodec.fromText(PgType.TIMESTAMP, "2024-01-02 03:04:05.6+00"));
        assertEquals(Double.NEGATIVE_INFINITY, PgCodec.fromText(PgType.FLOAT8, "-Infinity"));
        assertThrows(IllegalArgumentException.class, () -> PgCodec.fromText(PgType.BOOL, "maybe"));
        assertThrows(IllegalArgumentException.class, () -> PgCodec.fromText(PgType.BYTEA, "\\x123"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 5, 7, 9})
    void binaryParametersOfTheWrongLengthAreRejected(int length) {
        var e = assertThrows(java.sql.SQLException.class, () -> PgCodec.fromBinary(PgType.INT8, new byte[length == 8 ? 7 : length]));
        assertEquals("22P03", e.getSQLState());
    }
}
