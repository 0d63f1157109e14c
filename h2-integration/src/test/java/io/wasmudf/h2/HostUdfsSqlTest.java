package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UDFs of wasm-udfs that import host functions (modules/manifest-host.txt: C with wasi-libc,
 * Rust for wasm32-unknown-unknown and wasm32-wasi, AssemblyScript), created with CREATE FUNCTION
 * and called from SQL over tables of inputs, against outside oracles: PostgreSQL 15's own
 * functions (sha256, hmac, encode, initcap, the regex operator, jsonpath, earthdistance) and Java
 * (BigDecimal, BigInteger, MessageDigest, the HTML standard's e-mail expression), and the
 * freestanding build of the same C source.
 */
class HostUdfsSqlTest {
    /** Function-name prefix per module: the Rust modules, and the C strings built freestanding and with WASI, share names. */
    private static final Map<String, String> PREFIX = new LinkedHashMap<>();

    static {
        PREFIX.put("wasi-udfs", "c_");
        PREFIX.put("wasi-strings", "cw_");
        PREFIX.put("rust-udfs", "r_");
        PREFIX.put("rust-udfs-wasi", "rw_");
        PREFIX.put("as-udfs", "as_");
        PREFIX.put("strings", "cf_");
    }

    private static Connection c;
    private static int functions;

    @BeforeAll
    static void setUp() throws SQLException {
        c = connect(memUrl());
        for (String m : PREFIX.keySet()) {
            upload(c, m, UdfModules.bytes(m));
        }
        List<UdfModules.Entry> entries = new ArrayList<>(UdfModules.hostManifest());
        UdfModules.manifest().stream().filter(e -> e.module().equals("strings")).forEach(entries::add);
        for (UdfModules.Entry e : entries) {
            String prefix = PREFIX.get(e.module());
            if (prefix != null) {
                exec(c, "CREATE FUNCTION " + prefix + e.sqlSignature() + " LANGUAGE wasm IMMUTABLE AS '" + e.module() + "', '" + e.functionName() + "'");
                functions++;
            }
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    /** The real PostgreSQL 15 (PGHOST/PGPORT, default 127.0.0.1:5432, database test): skipped loudly without it, failed in CI. */
    private static Connection postgres() {
        String url = "jdbc:postgresql://" + System.getenv().getOrDefault("PGHOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("PGPORT", "5432") + "/" + System.getenv().getOrDefault("PGDATABASE", "test");
        Properties p = new Properties();
        p.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        if (System.getenv("PGPASSWORD") != null) {
            p.setProperty("password", System.getenv("PGPASSWORD"));
        }
        p.setProperty("connectTimeout", "5");
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            Required.resource(false, "no PostgreSQL at " + url + " to compare with (" + e.getMessage() + ")");
            return null;
        }
    }

    @Test
    void everyHostModuleFunctionIsAcceptedByCreateFunction() throws SQLException {
        assertTrue(functions >= 29, functions + " functions");
        assertEquals((long) functions, TestSupport.count(c, "SELECT COUNT(*) FROM wasm.functions"));
    }

    @Test
    void hashesHmacAndBase64AgreeWithPostgres() throws Exception {
        Random r = new Random(17);
        exec(c, "CREATE TABLE bin(id INT PRIMARY KEY, k VARBINARY, b VARBINARY)");
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bin VALUES (?, ?, ?)")) {
            for (int i = 0; i < 150; i++) {
                byte[] k = new byte[1 + r.nextInt(i % 5 == 0 ? 150 : 40)];
                byte[] b = new byte[i < 70 ? i : r.nextInt(20_000)];
                r.nextBytes(k);
                r.nextBytes(b);
                keys.add(k);
                data.add(b);
                ps.setInt(1, i);
                ps.setBytes(2, k);
                ps.setBytes(3, b);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (Connection pg = postgres(); Statement ps = pg.createStatement()) {
            pg.setAutoCommit(false);
            ps.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto"); // rolled back: the test database is left as it was
            try (PreparedStatement q = pg.prepareStatement("SELECT encode(sha256(?), 'hex'), encode(hmac(?, ?, 'sha256'), 'hex'),"
                    + " translate(encode(?, 'base64'), E'\\n', '')");
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, as_sha256_hex(b), as_hmac_sha256_hex(k, b), r_base64_encode(b), rw_base64_encode(b),"
                         + " r_base64_decode(rw_base64_encode(b)) = b, rw_base64_decode(r_base64_encode(b)) = b FROM bin ORDER BY id")) {
                while (rs.next()) {
                    int i = rs.getInt(1);
                    q.setBytes(1, data.get(i));
                    q.setBytes(2, data.get(i));
                    q.setBytes(3, keys.get(i));
                    q.setBytes(4, data.get(i));
                    try (ResultSet p = q.executeQuery()) {
                        p.next();
                        assertEquals(p.getString(1), rs.getString(2), "sha256 of row " + i);
                        assertEquals(p.getString(2), rs.getString(3), "hmac of row " + i);
                        assertEquals(p.getString(3), rs.getString(4), "base64 (Rust) of row " + i);
                        assertEquals(p.getString(3), rs.getString(5), "base64 (Rust, WASI) of row " + i);
                    }
                    assertTrue(rs.getBoolean(6) && rs.getBoolean(7), "decode(encode(b)) = b, row " + i);
                }
            } finally {
                pg.rollback();
            }
        } finally {
            exec(c, "DROP TABLE bin");
        }
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0])), one(c, "SELECT as_sha256_hex(X'')"));
        assertNull(one(c, "SELECT r_base64_decode(NULL)"));
        assertArrayEquals(Base64.getDecoder().decode("aGVsbG8="), (byte[]) one(c, "SELECT rw_base64_decode('aGVsbG8=')"));
    }

    @Test
    void textFunctionsAgreeWithPostgres() throws Exception {
        Random r = new Random(23);
        List<String> texts = new ArrayList<>(List.of("", "hello world", "HELLO WORLD", "o'neil mcdonald", "123abc def4GHI", "a.b,c;d",
                "MiXeD CaSe\tTabs\nNewline"));
        for (int i = 0; i < 150; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(25); k > 0; k--) {
                b.append((char) (32 + r.nextInt(95)));
            }
            texts.add(b.toString());
        }
        String[] patterns = {"abc", "^abc$", "a.c", "a*b", "(ab|cd)+e", "[a-c]x", "[^a-c]x", "\\d+", "^\\s*$", "colou?r", "a{2,}",
            "[0-9]{3}-[0-9]{4}", "^[A-Z][a-z]+( [A-Z][a-z]+)*$", "(a*)*b", ".*x.*y"};
        try (Connection pg = postgres();
             PreparedStatement initcap = pg.prepareStatement("SELECT initcap(?)");
             PreparedStatement regex = pg.prepareStatement("SELECT ? ~ ?");
             PreparedStatement ours = c.prepareStatement("SELECT as_title_case(?), r_regex_match(?, ?), rw_regex_match(?, ?)")) {
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                String p = patterns[i % patterns.length];
                initcap.setString(1, t);
                regex.setString(1, t);
                regex.setString(2, p);
                ours.setString(1, t);
                ours.setString(2, t);
                ours.setString(3, p);
                ours.setString(4, t);
                ours.setString(5, p);
                try (ResultSet a = initcap.executeQuery(); ResultSet b = regex.executeQuery(); ResultSet o = ours.executeQuery()) {
                    a.next();
                    b.next();
                    o.next();
                    assertEquals(a.getString(1), o.getString(1), "initcap('" + t + "')");
                    assertEquals(b.getBoolean(1), o.getBoolean(2), "'" + t + "' ~ '" + p + "'");
                    assertEquals(b.getBoolean(1), o.getBoolean(3), "'" + t + "' ~ '" + p + "' (WASI build)");
                }
            }
            // jsonpath scalars and the earth distance
            String doc = "{\"name\": \"Ada\", \"age\": 36, \"langs\": [\"en\", {\"x\": [1, 2.5, true]}], \"nested\": {\"k\": \"v\\u00e9\"}, \"nul\": null}";
            try (PreparedStatement jp = pg.prepareStatement("SELECT jsonb_path_query_first(?::jsonb, ('strict ' || ?)::jsonpath, '{}', true) #>> '{}'")) {
                for (String path : List.of("$.name", "$.age", "$.langs[0]", "$.langs[1].x[1]", "$.langs[1].x[2]", "$.nested.k", "$.nul", "$.missing")) {
                    jp.setString(1, doc);
                    jp.setString(2, path);
                    try (ResultSet rs = jp.executeQuery()) {
                        rs.next();
                        assertEquals(rs.getString(1), one(c, "SELECT c_json_path(?, ?)", doc, path), path);
                    }
                }
            }
            pg.setAutoCommit(false);
            try (Statement s = pg.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS cube");
                s.execute("CREATE EXTENSION IF NOT EXISTS earthdistance");
                try (PreparedStatement ed = pg.prepareStatement("SELECT earth_distance(ll_to_earth(?, ?), ll_to_earth(?, ?)) / 1000")) {
                    for (int i = 0; i < 40; i++) {
                        double[] p = {r.nextDouble() * 180 - 90, r.nextDouble() * 360 - 180, r.nextDouble() * 180 - 90, r.nextDouble() * 360 - 180};
                        for (int k = 0; k < 4; k++) {
                            ed.setDouble(k + 1, p[k]);
                        }
                        try (ResultSet rs = ed.executeQuery()) {
                            rs.next();
                            double expected = rs.getDouble(1);
                            double got = (Double) one(c, "SELECT as_haversine_km(?, ?, ?, ?)", p[0], p[1], p[2], p[3]);
                            assertEquals(expected, got, 1e-6 + expected * 1e-9);
                        }
                    }
                }
            } finally {
                pg.rollback();
            }
        }
    }

    @Test
    void theWasiBuildOfTheStringsAgreesWithTheFreestandingOneAndJava() throws SQLException {
        Random r = new Random(29);
        exec(c, "CREATE TABLE txt(id INT PRIMARY KEY, s VARCHAR)");
        List<String> texts = new ArrayList<>(List.of("", "Hello, World!", "Ünïcödé — ok", "日本語テキスト", "🎉 party 🎉", "kitten"));
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(i % 10 == 0 ? 3000 : 30); k > 0; k--) {
                int kind = r.nextInt(10);
                b.appendCodePoint(kind < 6 ? 32 + r.nextInt(95) : kind < 8 ? 0xA0 + r.nextInt(0x700) : kind < 9 ? 0x3040 + r.nextInt(200) : 0x1F600 + r.nextInt(50));
            }
            texts.add(b.toString());
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO txt VALUES (?, ?)")) {
            for (int i = 0; i < texts.size(); i++) {
                ps.setInt(1, i);
                ps.setString(2, texts.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, cw_utf8_length(s), cw_reverse_text(s), cw_levenshtein(s, 'kitten sitting'),"
                     + " cw_slugify(s), cf_slugify(s), cf_reverse_text(s) FROM txt ORDER BY id")) {
            while (rs.next()) {
                String s = texts.get(rs.getInt(1));
                assertEquals(s.codePointCount(0, s.length()), rs.getInt(2), s);
                assertEquals(new StringBuilder(s).reverse().toString(), rs.getString(3), s);
                if (s.length() < 200) {
                    assertEquals(Reference.levenshtein(s, "kitten sitting"), rs.getInt(4), s);
                }
                assertEquals(rs.getString(6), rs.getString(5), "slugify, WASI vs freestanding: " + s);
                assertEquals(rs.getString(7), rs.getString(3), "reverse, WASI vs freestanding");
            }
        } finally {
            exec(c, "DROP TABLE txt");
        }
        assertEquals("hello-world", one(c, "SELECT cw_slugify('Hello, World!')"));
        assertEquals("b", one(c, "SELECT cw_json_get('{\"a\": \"b\"}', 'a')"));
    }

    /** The "valid e-mail address" of the HTML standard. */
    private static final Pattern WHATWG_EMAIL = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");

    @Test
    void validatorsSemverAndFormattingAgreeWithJava() throws SQLException {
        Random r = new Random(31);
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(9); k > 0; k--) {
                b.append("ab.@-_+1\"x".charAt(r.nextInt(10)));
            }
            String e = i == 0 ? "first.last+tag@sub.example.co.uk" : b.toString();
            assertEquals(WHATWG_EMAIL.matcher(e).matches(), one(c, "SELECT as_email_valid(?)", e), e);
        }
        for (int i = 0; i < 200; i++) {
            String iban = i % 2 == 0 ? validIban(r) : "DE" + (10 + r.nextInt(90)) + digits(r, 18);
            boolean expected = mod97(iban) == 1;
            assertEquals(expected, one(c, "SELECT r_iban_valid(?)", iban), iban);
            assertEquals(expected, one(c, "SELECT rw_iban_valid(?)", iban), iban);
        }
        // SemVer 2.0.0's own precedence example, in order
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1");
        for (int i = 0; i < ordered.size(); i++) {
            for (int j = 0; j < ordered.size(); j++) {
                int expected = Integer.signum(Integer.compare(i, j));
                assertEquals(expected, one(c, "SELECT r_semver_cmp(?, ?)", ordered.get(i), ordered.get(j)));
                assertEquals(expected, one(c, "SELECT rw_semver_cmp(?, ?)", ordered.get(i), ordered.get(j)));
            }
        }
        for (String u : List.of("https://Example.COM/path?q=1", "http://user:pw@host.example:8080/x", "ftp://[::1]:21/", "mailto:a@b", "no url")) {
            String host = null;
            if (u.contains("://")) {
                String authority = u.substring(u.indexOf("://") + 3).split("[/?#]", 2)[0];
                authority = authority.substring(authority.lastIndexOf('@') + 1);
                host = authority.startsWith("[") ? authority.substring(0, authority.indexOf(']') + 1) : authority.split(":")[0];
                host = host.toLowerCase(Locale.ROOT);
            }
            assertEquals(host, one(c, "SELECT r_url_host(?)", u), u);
            assertEquals(host, one(c, "SELECT rw_url_host(?)", u), u);
        }
        for (double x : new double[] {0.125, 2.5, -2.5, 1.005, 123456.789, 1e21, r.nextDouble() * 1e6}) {
            for (int d : new int[] {0, 2, 6}) {
                String expected = new BigDecimal(x).setScale(d, RoundingMode.HALF_EVEN).toPlainString();
                assertEquals(expected, one(c, "SELECT c_format_fixed(?, ?)", x, d), x + ", " + d);
            }
        }
    }

    private static String digits(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    private static String validIban(Random r) {
        String bban = digits(r, 18);
        int check = 98 - mod97(bban + "DE00");
        return "DE" + String.format("%02d", check) + bban;
    }

    /** ISO 13616's check: the country and check digits moved to the end, letters as 10..35, mod 97. */
    private static int mod97(String iban) {
        String moved = iban.length() < 4 ? iban : iban.substring(4) + iban.substring(0, 4);
        StringBuilder n = new StringBuilder();
        for (char ch : moved.toCharArray()) {
            n.append(Character.isLetter(ch) ? String.valueOf(ch - 'A' + 10) : String.valueOf(ch));
        }
        return new BigInteger(n.toString()).mod(BigInteger.valueOf(97)).intValue();
    }

    @Test
    void guestRaisedErrorsNameTheFunctionAndLeaveTheConnectionUsable() throws SQLException {
        SQLException e = fails("22P02", () -> one(c, "SELECT r_semver_cmp('1.0', '1.0.0')"));
        assertTrue(e.getMessage().startsWith("function r_semver_cmp: invalid semantic version: \"1.0\""), e.getMessage());
        e = fails("22P02", () -> one(c, "SELECT rw_semver_cmp('01.0.0', '1.0.0')"));
        assertTrue(e.getMessage().startsWith("function rw_semver_cmp: invalid semantic version: \"01.0.0\""), e.getMessage());
        e = fails("2201B", () -> one(c, "SELECT r_regex_match('x', '(')"));
        assertTrue(e.getMessage().startsWith("function r_regex_match: "), e.getMessage());
        e = fails("22023", () -> one(c, "SELECT c_format_fixed(1.0, 41)"));
        assertTrue(e.getMessage().startsWith("function c_format_fixed: format_fixed: digits must be between 0 and 40"), e.getMessage());
        e = fails("42601", () -> one(c, "SELECT c_json_path('{}', 'a.b')"));
        assertTrue(e.getMessage().startsWith("function c_json_path: "), e.getMessage());
        assertEquals(-1, one(c, "SELECT r_semver_cmp('1.0.0', '2.0.0')"));
        assertEquals("1.00", one(c, "SELECT c_format_fixed(1.0, 2)"));
    }

    @Test
    void utf8ArgumentsBiggerThanTheFirstAllocationGoThroughTheWasiLibcAllocator() throws SQLException {
        String big = "é".repeat(300_000);
        assertEquals(300_000, one(c, "SELECT cw_utf8_length(?)", big));
        assertEquals(big.getBytes(StandardCharsets.UTF_8).length / 2, 300_000);
    }
}
