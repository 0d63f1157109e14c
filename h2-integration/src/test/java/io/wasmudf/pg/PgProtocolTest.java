package io.wasmudf.pg;

import static io.wasmudf.pg.RawClient.bind;
import static io.wasmudf.pg.RawClient.cstr;
import static io.wasmudf.pg.RawClient.describe;
import static io.wasmudf.pg.RawClient.execute;
import static io.wasmudf.pg.RawClient.int32;
import static io.wasmudf.pg.RawClient.parse;
import static io.wasmudf.pg.RawClient.types;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The extended query protocol message by message, with a byte-level client. */
class PgProtocolTest {
    private static PgTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer();
        try (RawClient c = client()) {
            c.query("create table nums(n integer, label text); insert into nums select \"X\", 'n' || \"X\" from system_range(1, 10)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static RawClient client() throws Exception {
        RawClient c = new RawClient(server.server.port());
        List<RawClient.Msg> hello = c.startup("wasmudf", "wasmudf");
        assertEquals('R', hello.get(0).type());
        assertEquals('Z', hello.get(hello.size() - 1).type());
        return c;
    }

    @Test
    void startupReportsParametersAndBackendKey() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            List<RawClient.Msg> hello = c.startup("wasmudf", "wasmudf");
            List<String> params = new ArrayList<>();
            for (RawClient.Msg m : hello) {
                if (m.type() == 'S') {
                    params.add(m.text().replace('\0', '='));
                }
            }
            assertTrue(params.contains("server_encoding=UTF8="), params.toString());
            assertTrue(params.contains("client_encoding=UTF8="), params.toString());
            assertTrue(params.contains("DateStyle=ISO, MDY="), params.toString());
            assertTrue(params.contains("integer_datetimes=on="), params.toString());
            assertTrue(params.contains("standard_conforming_strings=on="), params.toString());
            assertTrue(params.stream().anyMatch(p -> p.startsWith("server_version=15")), params.toString());
            assertTrue(hello.stream().anyMatch(m -> m.type() == 'K' && m.body().length == 8));
        }
    }

    @Test
    void sslRequestIsRefusedWithN() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            c.sendRaw(RawClient.concat(int32(8), int32(80877103)));
            assertEquals('N', c.socket.getInputStream().read());
            List<RawClient.Msg> hello = c.startup("wasmudf", "wasmudf");
            assertEquals('Z', hello.get(hello.size() - 1).type());
        }
    }

    @Test
    void parseDescribeBindExecuteWithRowLimit() throws Exception {
        try (RawClient c = client()) {
            c.send('P', parse("s1", "select n, label from nums where n <= $1 order by n", 23));
            c.send('D', describe('S', "s1"));
            c.send('B', bind("p1", "s1", 1, List.of(int32(5)), 0));
            c.send('D', describe('P', "p1"));
            c.send('E', execute("p1", 2));
            c.send('E', execute("p1", 2));
            c.send('E', execute("p1", 2));
            c.send('S', new byte[0]);
            List<RawClient.Msg> r = c.readUntil('Z');
            // ParseComplete, ParameterDescription, RowDescription, BindComplete, RowDescription,
            // 2 rows + suspended, 2 rows + suspended, 1 row + CommandComplete, ReadyForQuery
            assertEquals("1tT2TDDsDDsDCZ", types(r));
            assertEquals(23, ByteBuffer.wrap(r.get(1).body(), 2, 4).getInt());
            assertEquals("SELECT 5", r.get(12).text().replace("\0", ""));
            assertEquals("5", cell(r.get(11), 0));
        }
    }

    @Test
    void binaryParametersAndResults() throws Exception {
        try (RawClient c = client()) {
            c.send('P', parse("", "select $1::bigint * 2, $2::double precision, $3::bytea", 20, 701, 17));
            byte[] big = ByteBuffer.allocate(8).putLong(1L << 40).array();
            byte[] dbl = ByteBuffer.allocate(8).putDouble(-2.5).array();
            byte[] bytes = {0, 1, 2, (byte) 0xFE};
            c.send('B', bind("", "", 1, List.of(big, dbl, bytes), 1));
            c.send('E', execute("", 0));
            c.send('S', new byte[0]);
            List<RawClient.Msg> r = c.readUntil('Z');
            assertEquals("12DCZ", types(r));
            ByteBuffer row = ByteBuffer.wrap(r.get(2).body());
            assertEquals(3, row.getShort());
            assertEquals(8, row.getInt());
            assertEquals(1L << 41, row.getLong());
            assertEquals(8, row.getInt());
            assertEquals(-2.5, row.getDouble());
            assertEquals(4, row.getInt());
            byte[] back = new byte[4];
            row.get(back);
            assertArrayEquals(bytes, back);
        }
    }

    @Test
    void errorSkipsToSyncAndTheSessionRecovers() throws Exception {
        try (RawClient c = client()) {
            c.send('P', parse("", "select * from missing_table"));
            c.send('B', bind("", "", 0, List.of(), 0));
            c.send('E', execute("", 0));
            c.send('S', new byte[0]);
            List<RawClient.Msg> r = c.readUntil('Z');
            assertEquals("EZ", types(r));
            assertEquals("42P01", r.get(0).field('C'));
            assertEquals("ERROR", r.get(0).field('S'));
            c.send('P', parse("", "select 7"));
            c.send('B', bind("", "", 0, List.of(), 0));
            c.send('E', execute("", 0));
            c.send('S', new byte[0]);
            r = c.readUntil('Z');
            assertEquals("12DCZ", types(r));
            assertEquals("7", cell(r.get(2), 0));
        }
    }

    @Test
    void bindErrorsUseProtocolSqlStates() throws Exception {
        try (RawClient c = client()) {
            c.send('P', parse("two", "select $1::integer + $2::integer", 23, 23));
            c.send('B', bind("", "two", 0, List.of("1".getBytes(StandardCharsets.UTF_8)), 0));
            c.send('S', new byte[0]);
            List<RawClient.Msg> r = c.readUntil('Z');
            assertEquals("1EZ", types(r));
            assertEquals("08P01", r.get(1).field('C'));
            c.send('B', bind("", "two", 0, List.of("x".getBytes(StandardCharsets.UTF_8), "2".getBytes(StandardCharsets.UTF_8)), 0));
            c.send('S', new byte[0]);
            r = c.readUntil('Z');
            assertEquals("22P02", r.get(0).field('C'));
            c.send('B', bind("", "nope", 0, List.of(), 0));
            c.send('S', new byte[0]);
            assertEquals("26000", c.readUntil('Z').get(0).field('C'));
            c.send('E', execute("no_portal", 0));
            c.send('S', new byte[0]);
            assertEquals("34000", c.readUntil('Z').get(0).field('C'));
            c.send('P', parse("two", "select 1"));
            c.send('S', new byte[0]);
            assertEquals("42P05", c.readUntil('Z').get(0).field('C'));
        }
    }

    @Test
    void closeFlushAndEmptyQuery() throws Exception {
        try (RawClient c = client()) {
            c.send('P', parse("st", "select 1"));
            c.send('H', new byte[0]);
            assertEquals('1', c.read().type()); // Flush sends what is pending without a Sync
            c.send('C', describe('S', "st"));
            c.send('C', describe('P', "nothing"));
            c.send('S', new byte[0]);
            assertEquals("33Z", types(c.readUntil('Z')));
            assertEquals("IZ", types(c.query("  ;  -- nothing here")));
            c.send('B', bind("", "st", 0, List.of(), 0));
            c.send('S', new byte[0]);
            assertEquals("26000", c.readUntil('Z').get(0).field('C'));
        }
    }

    @Test
    void simpleQueryWithSeveralStatementsStopsAtTheFirstError() throws Exception {
        try (RawClient c = client()) {
            List<RawClient.Msg> r = c.query("create table sq(x int); insert into sq values (1); select 1/0; insert into sq values (2)");
            assertEquals("CCEZ", types(r));
            assertEquals("22012", r.get(2).field('C'));
            // the statements of one Query message form one implicit transaction: all rolled back
            r = c.query("select count(*) from sq");
            assertEquals("TDCZ", types(r));
            assertEquals("0", cell(r.get(1), 0));
        }
    }

    @Test
    void transactionStatusInReadyForQuery() throws Exception {
        try (RawClient c = client()) {
            assertEquals('T', c.query("begin").get(1).body()[0]);
            List<RawClient.Msg> r = c.query("select 1/0");
            assertEquals('E', r.get(r.size() - 1).body()[0]);
            r = c.query("select 1");
            assertEquals("25P02", r.get(0).field('C'));
            assertEquals('I', c.query("rollback").get(1).body()[0]);
            r = c.query("commit");
            assertEquals("NCZ", types(r)); // WARNING: there is no transaction in progress
            assertEquals("25P01", r.get(0).field('C'));
        }
    }

    @Test
    void setOfAReportedParameterSendsParameterStatus() throws Exception {
        try (RawClient c = client()) {
            List<RawClient.Msg> r = c.query("set application_name = 'probe'");
            assertEquals("SCZ", types(r));
            assertEquals("application_name\0probe\0", r.get(0).text());
            assertEquals("CZ", types(c.query("set extra_float_digits = 3")));
        }
    }

    @Test
    void newerMinorProtocolVersionIsNegotiatedDown() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            byte[] body = RawClient.concat(int32(196610), cstr("user"), cstr("wasmudf"), cstr("database"), cstr("wasmudf"),
                    cstr("_pq_.some_option"), cstr("on"), new byte[] {0});
            c.sendRaw(RawClient.concat(int32(body.length + 4), body));
            List<RawClient.Msg> r = c.readUntil('Z');
            assertEquals('v', r.get(0).type());
            ByteBuffer b = ByteBuffer.wrap(r.get(0).body());
            assertEquals(0, b.getInt()); // newest minor version supported: 3.0
            assertEquals(1, b.getInt());
            assertEquals("_pq_.some_option", new String(r.get(0).body(), 8, r.get(0).body().length - 9, StandardCharsets.UTF_8));
            assertEquals('R', r.get(1).type());
        }
    }

    @Test
    void backendPidMatchesBackendKeyDataAndCancelStopsAQuery() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            List<RawClient.Msg> hello = c.startup("wasmudf", "wasmudf");
            RawClient.Msg key = hello.stream().filter(m -> m.type() == 'K').findFirst().orElseThrow();
            int pid = ByteBuffer.wrap(key.body()).getInt();
            int secret = ByteBuffer.wrap(key.body()).getInt(4);
            assertEquals(Integer.toString(pid), cell(c.query("select pg_backend_pid()").get(1), 0));
            c.send('Q', cstr("select count(*) from system_range(1, 100000) a, system_range(1, 100000) b"));
            RawClient.Msg answer = null;
            for (int i = 0; i < 100 && answer == null; i++) {
                Thread.sleep(100);
                try (RawClient cancel = new RawClient(server.server.port())) {
                    cancel.sendRaw(RawClient.concat(int32(16), int32(80877102), int32(pid), int32(secret)));
                    assertEquals(List.of(), cancel.readUntilClosed()); // no reply to a CancelRequest
                }
                c.socket.setSoTimeout(200);
                try {
                    answer = c.read();
                } catch (java.net.SocketTimeoutException e) {
                    // not cancelled yet
                }
            }
            c.socket.setSoTimeout(20_000);
            assertEquals('E', answer.type());
            assertEquals("57014", answer.field('C'));
            assertEquals("Z", types(c.readUntil('Z')));
        }
    }

    @Test
    void terminateClosesTheConnection() throws Exception {
        try (RawClient c = client()) {
            c.send('X', new byte[0]);
            assertEquals(List.of(), c.readUntilClosed());
        }
    }

    @Test
    void unsupportedProtocolVersionIsRefused() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            byte[] body = RawClient.concat(int32(2 << 16), cstr("user"), cstr("wasmudf"), new byte[] {0});
            c.sendRaw(RawClient.concat(int32(body.length + 4), body));
            List<RawClient.Msg> r = c.readUntilClosed();
            assertEquals("E", types(r));
            assertEquals("0A000", r.get(0).field('C'));
        }
    }

    /** The text of column i of a DataRow. */
    static String cell(RawClient.Msg dataRow, int column) {
        ByteBuffer b = ByteBuffer.wrap(dataRow.body());
        int n = b.getShort();
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            if (i == column) {
                if (len < 0) {
                    return null;
                }
                byte[] v = new byte[len];
                b.get(v);
                return new String(v, StandardCharsets.UTF_8);
            }
            if (len > 0) {
                b.position(b.position() + len);
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }
}
