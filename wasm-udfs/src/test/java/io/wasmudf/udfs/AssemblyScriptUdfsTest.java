package io.wasmudf.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Grants;
import io.wasmudf.udfs.guest.Guest;
import io.wasmudf.udfs.guest.Oracles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The AssemblyScript UDFs (src/assemblyscript/udfs.ts, asc's default options: the module imports
 * env.abort) against Java's MessageDigest and Mac, PostgreSQL's earthdistance and initcap, and the
 * WHATWG e-mail regular expression run by java.util.regex.
 */
class AssemblyScriptUdfsTest {
    private final Guest g = new Guest("as-udfs", Grants.NONE);

    @Test
    void sha256AndHmacAgreeWithJavaSecurity() throws Exception {
        Random r = new Random(3);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Mac mac = Mac.getInstance("HmacSHA256");
        HexFormat hex = HexFormat.of();
        for (int n = 0; n < 200; n++) {
            byte[] data = new byte[n < 130 ? n : r.nextInt(10_000)];
            r.nextBytes(data);
            assertEquals(hex.formatHex(sha.digest(data)), g.text("sha256_hex", data), data.length + " bytes");
            byte[] key = new byte[r.nextInt(n % 3 == 0 ? 200 : 40) + 1];
            r.nextBytes(key);
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            assertEquals(hex.formatHex(mac.doFinal(data)), g.text("hmac_sha256_hex", key, data), "key " + key.length + ", data " + data.length);
        }
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", g.text("sha256_hex", new byte[0]));
    }

    @Test
    void sha256AndHmacAgreeWithPostgres() throws Exception {
        try (Connection pg = Oracles.postgres("sha256_hex");
             Statement s = pg.createStatement()) {
            pg.setAutoCommit(false);
            s.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto"); // rolled back below: the test database is left as it was
            try (PreparedStatement st = pg.prepareStatement("SELECT encode(sha256(?), 'hex'), encode(hmac(?, ?, 'sha256'), 'hex')")) {
                for (String text : List.of("", "abc", "The quick brown fox jumps over the lazy dog", "ü".repeat(100))) {
                    byte[] data = text.getBytes(StandardCharsets.UTF_8);
                    byte[] key = ("key-" + text.length()).getBytes(StandardCharsets.UTF_8);
                    st.setBytes(1, data);
                    st.setBytes(2, data);
                    st.setBytes(3, key);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        assertEquals(rs.getString(1), g.text("sha256_hex", data));
                        assertEquals(rs.getString(2), g.text("hmac_sha256_hex", key, data));
                    }
                }
            } finally {
                pg.rollback();
            }
        }
    }

    @Test
    void haversineAgreesWithPostgresEarthdistance() throws Exception {
        Random r = new Random(11);
        List<double[]> points = new ArrayList<>(List.of(new double[] {52.52, 13.405, 48.8566, 2.3522}, new double[] {0, 0, 0, 0},
                new double[] {90, 0, -90, 0}, new double[] {0, 179.9, 0, -179.9}, new double[] {40.7128, -74.006, -33.8688, 151.2093}));
        for (int i = 0; i < 100; i++) {
            points.add(new double[] {r.nextDouble() * 180 - 90, r.nextDouble() * 360 - 180, r.nextDouble() * 180 - 90, r.nextDouble() * 360 - 180});
        }
        try (Connection pg = Oracles.postgres("haversine_km");
             Statement s = pg.createStatement()) {
            pg.setAutoCommit(false);
            s.execute("CREATE EXTENSION IF NOT EXISTS cube");
            s.execute("CREATE EXTENSION IF NOT EXISTS earthdistance");
            try (PreparedStatement st = pg.prepareStatement("SELECT earth_distance(ll_to_earth(?, ?), ll_to_earth(?, ?)) / 1000")) {
                for (double[] p : points) {
                    for (int i = 0; i < 4; i++) {
                        st.setDouble(i + 1, p[i]);
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        double expected = rs.getDouble(1);
                        double got = g.f64("haversine_km", p[0], p[1], p[2], p[3]);
                        assertEquals(expected, got, 1e-6 + expected * 1e-9, java.util.Arrays.toString(p));
                    }
                }
            } finally {
                pg.rollback();
            }
        }
    }

    /** The "valid e-mail address" of the HTML standard, as the standard writes it. */
    private static final Pattern WHATWG_EMAIL = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");

    @Test
    void emailValidAgreesWithTheWhatwgExpression() {
        List<String> emails = new ArrayList<>(List.of("a@b", "user@example.com", "first.last+tag@sub.example.co.uk", "@example.com",
                "user@", "user@@example.com", "us er@example.com", "user@-example.com", "user@example-.com", "user@exa_mple.com",
                "user@example..com", "user@.example.com", "o'brien@example.ie", "x@" + "a".repeat(63) + ".com", "x@" + "a".repeat(64) + ".com",
                "\"quoted\"@example.com", "üser@example.com", "user@exämple.com", "", "@", "a@b.c.d.e.f", ".@x", "{}|~@x-y.z"));
        Random r = new Random(8);
        String alphabet = "ab.@-_+1\"x";
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(9); k > 0; k--) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            emails.add(b.toString());
        }
        int valid = 0;
        for (String e : emails) {
            boolean expected = WHATWG_EMAIL.matcher(e).matches();
            valid += expected ? 1 : 0;
            assertEquals(expected, g.bool("email_valid", e), e);
        }
        assertTrue(valid > 50, valid + " valid");
    }

    @Test
    void titleCaseAgreesWithPostgresInitcapOnAscii() throws Exception {
        List<String> texts = new ArrayList<>(List.of("", "hello world", "HELLO WORLD", "hello-world foo_bar", "o'neil mcdonald",
                "123abc def4GHI", "  leading and trailing  ", "a.b,c;d", "MiXeD CaSe\tTabs\nNewline"));
        Random r = new Random(2);
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(20); k > 0; k--) {
                b.append((char) (32 + r.nextInt(95)));
            }
            texts.add(b.toString());
        }
        try (Connection pg = Oracles.postgres("title_case");
             PreparedStatement st = pg.prepareStatement("SELECT initcap(?)")) {
            for (String t : texts) {
                st.setString(1, t);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertEquals(rs.getString(1), g.text("title_case", t), "initcap('" + t + "')");
                }
            }
        }
    }
}
