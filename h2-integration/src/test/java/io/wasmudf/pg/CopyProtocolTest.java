package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The COPY sub-protocol message by message, and clients that misbehave in it: the server answers
 * as PostgreSQL does, loads nothing of a COPY that did not finish, and keeps serving.
 */
class CopyProtocolTest {
    private static PgTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer(null, true);
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("create table cp (a integer primary key, b text)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static long rows() throws Exception {
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from cp")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void copyInAndOutMessageByMessage() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            c.startup("wasmudf", "wasmudf");
            c.send('Q', RawClient.cstr("COPY cp FROM STDIN"));
            RawClient.Msg g = c.read();
            assertEquals('G', g.type());
            assertEquals(List.of(0, 0, 2, 0, 0, 0, 0), toInts(g.body()), "text format, two text columns");
            c.send('d', bytes("1\tone\n2\t"));
            c.send('H', new byte[0]); // Flush and Sync are ignored during COPY IN, as in PostgreSQL
            c.send('d', bytes("two\n"));
            c.send('c', new byte[0]);
            List<RawClient.Msg> done = c.readUntil('Z');
            assertEquals("CZ", RawClient.types(done));
            assertEquals("COPY 2\0", done.get(0).text());
            c.send('Q', RawClient.cstr("COPY (SELECT * FROM cp ORDER BY a) TO STDOUT (FORMAT csv)"));
            List<RawClient.Msg> out = c.readUntil('Z');
            assertEquals("HddcCZ", RawClient.types(out));
            assertEquals("1,one\n", out.get(1).text());
            assertEquals("COPY 2\0", out.get(4).text());
            c.send('Q', RawClient.cstr("DELETE FROM cp"));
            c.readUntil('Z');
        }
    }

    @Test
    void copyFailLoadsNothingAndDataAfterAnErrorIsDropped() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            c.startup("wasmudf", "wasmudf");
            c.send('Q', RawClient.cstr("COPY cp FROM STDIN"));
            assertEquals('G', c.read().type());
            c.send('d', bytes("10\tx\n"));
            c.send('f', RawClient.cstr("client gave up"));
            List<RawClient.Msg> failed = c.readUntil('Z');
            assertEquals("EZ", RawClient.types(failed));
            assertEquals("57014", failed.get(0).field('C'));
            assertEquals("COPY from stdin failed: client gave up", failed.get(0).field('M'));
            // an error mid-COPY is answered at once; the rest of the data and the CopyDone are dropped
            c.send('Q', RawClient.cstr("COPY cp FROM STDIN"));
            assertEquals('G', c.read().type());
            c.send('d', bytes("11\tx\nbad\ty\n"));
            List<RawClient.Msg> error = c.readUntil('Z');
            assertEquals("EZ", RawClient.types(error));
            assertEquals("22P02", error.get(0).field('C'));
            assertEquals("COPY cp, line 2, column a: \"bad\"", error.get(0).field('W'));
            c.send('d', bytes("12\tz\n"));
            c.send('c', new byte[0]);
            List<RawClient.Msg> next = c.query("SELECT 1");
            assertTrue(RawClient.types(next).endsWith("DCZ"), RawClient.types(next));
        }
        assertEquals(0, rows());
    }

    @Test
    void aClientThatHangsUpOrBreaksTheProtocolMidCopyCommitsNothing() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            c.startup("wasmudf", "wasmudf");
            c.send('Q', RawClient.cstr("COPY cp FROM STDIN"));
            assertEquals('G', c.read().type());
            c.send('d', bytes("20\tx\n21\ty\n"));
        }
        try (RawClient c = new RawClient(server.server.port())) {
            c.startup("wasmudf", "wasmudf");
            c.send('Q', RawClient.cstr("COPY cp FROM STDIN"));
            assertEquals('G', c.read().type());
            c.send('d', bytes("30\tx\n"));
            c.send('Q', RawClient.cstr("SELECT 1"));
            List<RawClient.Msg> last = c.readUntilClosed();
            assertEquals("08P01", last.get(last.size() - 1).field('C'));
        }
        for (int i = 0; i < 50 && rows() != 0; i++) {
            Thread.sleep(100); // the server notices the hang-up asynchronously
        }
        assertEquals(0, rows());
        // and the extended protocol says plainly that COPY goes in a simple Query
        try (RawClient c = new RawClient(server.server.port())) {
            c.startup("wasmudf", "wasmudf");
            c.send('P', RawClient.parse("", "COPY cp TO STDOUT"));
            c.send('S', new byte[0]);
            List<RawClient.Msg> r = c.readUntil('Z');
            assertEquals("0A000", r.get(0).field('C'));
        }
    }

    private static List<Integer> toInts(byte[] b) {
        List<Integer> out = new java.util.ArrayList<>();
        for (byte x : b) {
            out.add(x & 0xFF);
        }
        return out;
    }
}
