package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records come out the same however the client cuts its CopyData messages (mid-record, mid-CRLF, mid-character). */
class CopyRecordsTest {
    private static final CopyFormat TEXT = new CopyFormat(false, '\t', "\\N", false, false, '"', '"');
    private static final CopyFormat CSV = new CopyFormat(true, ',', "", false, false, '"', '"');

    private static List<String> records(CopyFormat format, byte[] data, int chunk) throws SQLException {
        List<String> out = new ArrayList<>();
        CopyRecords r = new CopyRecords(format, 1 << 20);
        for (int k = 0; k < data.length; k += chunk) {
            r.feed(java.util.Arrays.copyOfRange(data, k, Math.min(data.length, k + chunk)), out::add);
        }
        r.finish(out::add);
        out.add("lines=" + r.line());
        return out;
    }

    private static void sameForEveryCut(CopyFormat format, String input, List<String> expected) throws SQLException {
        byte[] data = input.getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= data.length; chunk++) {
            assertEquals(expected, records(format, data, chunk), "chunk " + chunk);
        }
    }

    @Test
    void textRecordsEndAtEveryLineEndButAnEscapedOne() throws SQLException {
        sameForEveryCut(TEXT, "a\tb\r\nschnee ☃\nx\\\ny\rlast", List.of("a\tb", "schnee ☃", "x\\\ny", "last", "lines=4"));
        sameForEveryCut(TEXT, "1\n2\\.\n3\n", List.of("1", "2", "lines=2"));
        sameForEveryCut(TEXT, "1\n\\.", List.of("1", "lines=1"));
    }

    @Test
    void csvRecordsSpanQuotedLineEnds() throws SQLException {
        sameForEveryCut(CSV, "1,\"a\nb\"\"\r\nc\"\r\n\\.\r\nignored\n", List.of("1,\"a\nb\"\"\r\nc\"", "lines=3"));
        sameForEveryCut(CSV, "\"\\.\"\n2", List.of("\"\\.\"", "2", "lines=2"));
    }

    @Test
    void brokenInputIsRefused() {
        SQLException marker = assertThrows(SQLException.class, () -> records(TEXT, "1\n\\.x\n".getBytes(StandardCharsets.UTF_8), 3));
        assertEquals("end-of-copy marker corrupt", marker.getMessage());
        SQLException utf8 = assertThrows(SQLException.class, () -> records(TEXT, new byte[] {'a', (byte) 0xC3, '(', '\n'}, 1));
        assertEquals("invalid byte sequence for encoding \"UTF8\": 0xc3 0x28", utf8.getMessage());
        assertEquals("22021", utf8.getSQLState());
        CopyRecords small = new CopyRecords(CSV, 16);
        SQLException tooLong = assertThrows(SQLException.class, () -> small.feed("\"0123456789abcdefgh".getBytes(StandardCharsets.UTF_8), s -> { }));
        assertEquals("54000", tooLong.getSQLState());
    }
}
