package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.Wasm.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.MalformedModuleException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ByteReaderTest {

    private static ByteReader reader(int... values) {
        return new ByteReader(bytes(values));
    }

    private static void assertMalformed(String reason, Function<ByteReader, ?> read, int... input) {
        MalformedModuleException e = assertThrows(MalformedModuleException.class, () -> read.apply(reader(input)));
        assertEquals(reason, e.reason());
    }

    @Test
    void unsignedLeb32() {
        assertEquals(0, reader(0x00).varU(32));
        assertEquals(127, reader(0x7F).varU(32));
        assertEquals(128, reader(0x80, 0x01).varU(32));
        assertEquals(624485, reader(0xE5, 0x8E, 0x26).varU(32));
        assertEquals(0xFFFF_FFFFL, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).varU(32));
        // Padded encodings are fine as long as they fit in ceil(32/7) = 5 bytes.
        assertEquals(3, reader(0x83, 0x80, 0x80, 0x80, 0x00).varU(32));
    }

    @Test
    void unsignedLeb32Errors() {
        assertMalformed("integer too large", r -> r.varU(32), 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
        assertMalformed("integer too large", r -> r.varU(32), 0x80, 0x80, 0x80, 0x80, 0x70);
        assertMalformed("integer representation too long", r -> r.varU(32), 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
        assertMalformed("unexpected end of section or function", r -> r.varU(32), 0x80, 0x80);
        assertMalformed("unexpected end of section or function", r -> r.varU(32));
    }

    @Test
    void oneBitFlag() {
        assertFalse(reader(0x00).flag());
        assertTrue(reader(0x01).flag());
        assertMalformed("integer too large", ByteReader::flag, 0x02);
        assertMalformed("integer representation too long", ByteReader::flag, 0x81, 0x00);
    }

    @Test
    void signedLeb32() {
        assertEquals(0, reader(0x00).s32());
        assertEquals(-1, reader(0x7F).s32());
        assertEquals(63, reader(0x3F).s32());
        assertEquals(-64, reader(0x40).s32());
        assertEquals(-128, reader(0x80, 0x7F).s32());
        assertEquals(Integer.MAX_VALUE, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x07).s32());
        assertEquals(Integer.MIN_VALUE, reader(0x80, 0x80, 0x80, 0x80, 0x78).s32());
        assertEquals(-1, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x7F).s32());
    }

    @Test
    void signedLeb32Errors() {
        // The unused bits of the fifth byte must all equal the sign bit.
        assertMalformed("integer too large", ByteReader::s32, 0x80, 0x80, 0x80, 0x80, 0x08);
        assertMalformed("integer too large", ByteReader::s32, 0xFF, 0xFF, 0xFF, 0xFF, 0x4F);
        assertMalformed("integer representation too long", ByteReader::s32, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    }

    @Test
    void signedLeb33() {
        assertEquals(0xFFFF_FFFFL, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).s33());
        assertEquals(-(1L << 32), reader(0x80, 0x80, 0x80, 0x80, 0x70).s33());
        assertMalformed("integer too large", ByteReader::s33, 0x80, 0x80, 0x80, 0x80, 0x10);
    }

    @Test
    void signedLeb64() {
        assertEquals(Long.MAX_VALUE, reader(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00).s64());
        assertEquals(Long.MIN_VALUE, reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F).s64());
        assertEquals(-2, reader(0x7E).s64());
        assertMalformed("integer too large", ByteReader::s64, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
        assertMalformed("integer representation too long", ByteReader::s64,
                0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    }

    @Test
    void indicesAbove2To31AreClamped() {
        assertEquals(Integer.MAX_VALUE, reader(0xFF, 0xFF, 0xFF, 0xFF, 0x0F).index());
        assertEquals(Integer.MAX_VALUE, reader(0x80, 0x80, 0x80, 0x80, 0x08).index());
        assertEquals(Integer.MAX_VALUE - 1, reader(0xFE, 0xFF, 0xFF, 0xFF, 0x07).index());
    }

    @Test
    void fixedWidthLittleEndian() {
        assertEquals(Float.floatToRawIntBits(1.0f), reader(0x00, 0x00, 0x80, 0x3F).fixed32());
        assertEquals(Double.doubleToRawLongBits(-2.0), reader(0, 0, 0, 0, 0, 0, 0x00, 0xC0).fixed64());
        assertMalformed("unexpected end of section or function", ByteReader::fixed64, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void lengthsAreBoundedByTheRemainingInput() {
        // The bound counts from the start of the length itself, like the reference interpreter.
        assertEquals(2, reader(0x02, 0xAA).len());
        assertMalformed("length out of bounds", ByteReader::len, 0x03, 0xAA);
        assertMalformed("length out of bounds", ByteReader::len, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    }

    @Test
    void names() {
        byte[] utf8 = "h\u00e9\u4e2d\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        byte[] input = Wasm.concat(bytes(utf8.length), utf8);
        assertEquals("h\u00e9\u4e2d\uD83D\uDE00", new ByteReader(input).name());
        assertEquals("", reader(0x00).name());
    }

    @Test
    void malformedUtf8IsRejected() {
        String reason = "malformed UTF-8 encoding";
        assertMalformed(reason, ByteReader::name, 0x02, 0xC0, 0x80);             // overlong NUL
        assertMalformed(reason, ByteReader::name, 0x03, 0xE0, 0x80, 0xAF);       // overlong '/'
        assertMalformed(reason, ByteReader::name, 0x03, 0xED, 0xA0, 0x80);       // surrogate U+D800
        assertMalformed(reason, ByteReader::name, 0x04, 0xF4, 0x90, 0x80, 0x80); // above U+10FFFF
        assertMalformed(reason, ByteReader::name, 0x01, 0x80);                   // lone continuation
        assertMalformed(reason, ByteReader::name, 0x02, 0xE2, 0x82);             // truncated sequence
        assertMalformed(reason, ByteReader::name, 0x01, 0xFF);
    }

    @Test
    void readsAreConfinedToTheLimit() {
        ByteReader r = new ByteReader(bytes(1, 2, 3, 4), 1, 3);
        assertEquals(2, r.u8());
        assertArrayEquals(bytes(3), r.bytes(1));
        assertTrue(r.atEnd());
        assertEquals(-1, r.peek());
        MalformedModuleException e = assertThrows(MalformedModuleException.class, r::u8);
        assertEquals(3, e.offset());
    }
}
