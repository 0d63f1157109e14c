package io.wasmudf.pg;

import static io.wasmudf.pg.RawClient.bind;
import static io.wasmudf.pg.RawClient.cstr;
import static io.wasmudf.pg.RawClient.execute;
import static io.wasmudf.pg.RawClient.int32;
import static io.wasmudf.pg.RawClient.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Garbage, truncated and oversized input, clients vanishing mid-query, and a small protocol fuzzer:
 * the server drops the offending connection and keeps serving everyone else.
 */
class PgBadInputTest {
    private static PgTestServer server;
    /** A well-behaved session that stays open through all the abuse. */
    private static Connection bystander;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer();
        bystander = server.connect();
    }

    @AfterAll
    static void stop() throws Exception {
        bystander.close();
        server.close();
    }

    private static void assertServerHealthy() throws Exception {
        try (Statement st = bystander.createStatement(); ResultSet rs = st.executeQuery("select 40 + 2")) {
            rs.next();
            assertEquals(42, rs.getInt(1));
        }
        try (Connection c = server.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    private static RawClient loggedIn() throws Exception {
        RawClient c = new RawClient(server.server.port());
        c.startup("wasmudf", "wasmudf");
        return c;
    }

    @Test
    void garbageInsteadOfStartupPacket() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            c.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            List<RawClient.Msg> r = c.readUntilClosed();
            assertEquals(1, r.size());
            assertEquals("08P01", r.get(0).field('C'));
        }
        assertServerHealthy();
    }

    @Test
    void oversizedStartupAndMessageLengthsAreRefusedWithoutAllocating() throws Exception {
        try (RawClient c = new RawClient(server.server.port())) {
            c.sendRaw(int32(Integer.MAX_VALUE));
            assertEquals("08P01", c.readUntilClosed().get(0).field('C'));
        }
        try (RawClient c = loggedIn()) {
            c.sendRaw(RawClient.concat(new byte[] {'Q'}, int32(Integer.MAX_VALUE), "select 1".getBytes()));
            List<RawClient.Msg> r = c.readUntilClosed();
            assertEquals("08P01", r.get(0).field('C'));
            assertEquals("FATAL", r.get(0).field('S'));
        }
        try (RawClient c = loggedIn()) {
            c.sendRaw(RawClient.concat(new byte[] {'Q'}, int32(2)));
            assertEquals("08P01", c.readUntilClosed().get(0).field('C'));
        }
        assertServerHealthy();
    }

    @Test
    void truncatedMessagesAndInconsistentBodies() throws Exception {
        try (RawClient c = loggedIn()) {
            // announces 100 bytes, sends 10, then half-closes: the server sees EOF mid-message
            c.sendRaw(RawClient.concat(new byte[] {'Q'}, int32(104), "select 1; ".getBytes()));
            c.socket.shutdownOutput();
            assertEquals(List.of(), c.readUntilClosed());
        }
        try (RawClient c = loggedIn()) {
            // a Bind whose parameter claims more bytes than the message holds
            c.send('P', parse("", "select $1::int", 23));
            c.send('B', RawClient.concat(cstr(""), cstr(""), RawClient.int16(0), RawClient.int16(1), int32(1000), new byte[] {1, 2}));
            List<RawClient.Msg> r = c.readUntilClosed();
            assertEquals("08P01", r.get(r.size() - 1).field('C'));
        }
        try (RawClient c = loggedIn()) {
            c.send('Q', "select 1".getBytes()); // missing NUL terminator
            assertEquals("08P01", c.readUntilClosed().get(0).field('C'));
        }
        try (RawClient c = loggedIn()) {
            c.send('\u0007', new byte[] {1, 2, 3});
            assertEquals("08P01", c.readUntilClosed().get(0).field('C'));
        }
        assertServerHealthy();
    }

    @Test
    void clientDisconnectingMidQueryFreesItsSession() throws Exception {
        int before = server.server.activeConnections();
        RawClient c = loggedIn();
        c.send('Q', cstr("select count(*) from system_range(1, 3000) a, system_range(1, 3000) b"));
        c.close();
        long deadline = System.currentTimeMillis() + 30_000;
        while (server.server.activeConnections() > before && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before, server.server.activeConnections());
        assertServerHealthy();
    }

    @Test
    void randomlyMutatedMessageStreams() throws Exception {
        int iterations = Math.min(300, Integer.getInteger("wasmudf.fuzz.iterations", 3000) / 10);
        long seed = Long.getLong("wasmudf.fuzz.seed", 20261124L);
        Random random = new Random(seed);
        byte[] valid = RawClient.concat(RawClient.message('P', parse("s", "select $1::int + 1, 'x'", 23)),
                RawClient.message('B', bind("", "s", 0, List.of("41".getBytes()), 0)),
                RawClient.message('D', RawClient.describe('P', "")), RawClient.message('E', execute("", 0)),
                RawClient.message('S', new byte[0]), RawClient.message('Q', cstr("select 1; select 'a' || 'b'")),
                RawClient.message('C', RawClient.describe('S', "s")), RawClient.message('S', new byte[0]));
        for (int i = 0; i < iterations; i++) {
            byte[] input = valid.clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations && input.length > 0; m++) {
                int pos = random.nextInt(input.length);
                switch (random.nextInt(3)) {
                    case 0 -> input[pos] = (byte) random.nextInt(256);
                    case 1 -> input[pos] ^= (byte) (1 << random.nextInt(8));
                    default -> input = java.util.Arrays.copyOf(input, pos); // truncate
                }
            }
            try (RawClient c = loggedIn()) {
                c.sendRaw(input);
                c.socket.shutdownOutput();
                c.readUntilClosed(); // whatever the answer, the server must end this connection
            } catch (java.net.SocketException e) {
                // the server may reset a connection it dropped while we were still writing
            }
        }
        assertServerHealthy();
        long deadline = System.currentTimeMillis() + 30_000;
        while (server.server.activeConnections() > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(server.server.activeConnections() <= 1, "leaked sessions: " + server.server.activeConnections() + " (seed " + seed + ")");
    }
}
