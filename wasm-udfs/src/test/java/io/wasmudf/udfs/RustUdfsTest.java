package io.wasmudf.udfs;

import static io.wasmudf.udfs.guest.Guest.nullText;
import static io.wasmudf.udfs.guest.Guest.some;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.GuestRaisedException;
import io.wasmudf.udfs.guest.Guest;
import io.wasmudf.udfs.guest.Oracles;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Rust UDFs (src/rust/udfs.rs on the Rust SDK), in both builds: wasm32-unknown-unknown
 * ({@code rust-udfs}) and wasm32-wasi ({@code rust-udfs-wasi}), each against an oracle that is not
 * ours: npm's semver, Java's Base64 and BigInteger, PostgreSQL's regular expressions, V8's URL.
 */
class RustUdfsTest {
    @ParameterizedTest
    @ValueSource(strings = {"rust-udfs", "rust-udfs-wasi"})
    void semverCmpAgreesWithNpmSemver(String module) {
        List<String> versions = List.of("1.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "2.0.0", "2.1.0", "2.1.1", "1.0.0+build.5", "1.0.0-alpha+001",
                "0.0.0", "10.20.30", "1.2.3-0", "1.2.3-00a", "1.2.3-a-b", "1.2.3--", "1.2.3-1.2.3", "1.2.3-1.10", "1.2.3-1.9",
                "999999.0.0", "1.10.0", "1.9.0", "1.0.0-x.7.z.92", "1.0.0-0.3.7", "1.0.0-alpha.0valid");
        StringBuilder input = new StringBuilder();
        for (String a : versions) {
            for (String b : versions) {
                input.append(a).append(' ').append(b).append('\n');
            }
        }
        List<String> expected = Oracles.node("semver_cmp", """
                const semver = require('semver');
                const lines = require('fs').readFileSync(0, 'utf8').trim().split('\\n');
                for (const l of lines) { const [a, b] = l.split(' '); console.log(semver.compare(a, b)); }
                """, input.toString());
        try (Guest g = new Guest(module, Grants.DETERMINISTIC)) {
            int i = 0;
            for (String a : versions) {
                for (String b : versions) {
                    assertEquals(Integer.parseInt(expected.get(i++)), g.i32("semver_cmp", a, b), "semver_cmp(" + a + ", " + b + ")");
                }
            }
            List<String> bad = List.of("1.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", "1.0.0-a..b", "", "1.0.0.0", "a.b.c");
            List<String> npm = Oracles.node("semver_cmp", """
                    const semver = require('semver');
                    for (const l of JSON.parse(require('fs').readFileSync(0, 'utf8'))) console.log(semver.valid(l));
                    """, "[\"" + String.join("\",\"", bad) + "\"]");
            for (int k = 0; k < bad.size(); k++) {
                String v = bad.get(k);
                assertEquals("null", npm.get(k), "npm semver refuses " + v);
                GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> g.i32("semver_cmp", v, "1.0.0"), v);
                assertEquals("22P02", e.sqlState());
                assertEquals("invalid semantic version: \"" + v + "\"", e.getMessage());
            }
            // SemVer 2.0.0 has no "v" prefix (npm's parser strips one): refused, as documented
            assertThrows(GuestRaisedException.class, () -> g.i32("semver_cmp", "v1.0.0", "1.0.0"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rust-udfs", "rust-udfs-wasi"})
    void ibanValidAgreesWithTheMod97OfJavaBigInteger(String module) {
        // published example IBANs (ECBS/SWIFT registry examples), then every single-character mutation of two of them
        List<String> ibans = new ArrayList<>(List.of("GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
                "NL91ABNA0417164300", "BE68539007547034", "CH9300762011623852957", "NO9386011117947", "MT84MALT011000012345MTLCAST001S",
                "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432", "GB00WEST12345698765432", "XX", "GB82WEST1234569876543212345678901234"));
        for (String base : List.of("GB82WEST12345698765432", "NO9386011117947")) {
            for (int i = 0; i < base.length(); i++) {
                for (char c : "0123456789ABCZ".toCharArray()) {
                    ibans.add(base.substring(0, i) + c + base.substring(i + 1));
                }
            }
        }
        try (Guest g = new Guest(module, Grants.NONE)) {
            int valid = 0;
            for (String iban : ibans) {
                boolean expected = oracleIban(iban);
                valid += expected ? 1 : 0;
                assertEquals(expected, g.bool("iban_valid", iban), iban);
            }
            assertTrue(valid > 20, valid + " valid ones");
        }
    }

    /** ISO 13616 by the book, with BigInteger for the mod 97. */
    private static boolean oracleIban(String s) {
        if (!s.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")) {
            return false;
        }
        StringBuilder digits = new StringBuilder();
        for (char c : (s.substring(4) + s.substring(0, 4)).toCharArray()) {
            digits.append(Character.digit(c, 36));
        }
        return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rust-udfs", "rust-udfs-wasi"})
    void base64AgreesWithJavaBase64(String module) {
        Random r = new Random(17);
        try (Guest g = new Guest(module, Grants.NONE)) {
            for (int n = 0; n < 300; n++) {
                byte[] data = new byte[n < 70 ? n : r.nextInt(5000)];
                r.nextBytes(data);
                String enc = Base64.getEncoder().encodeToString(data);
                assertEquals(enc, g.text("base64_encode", data), "encode " + data.length + " bytes");
                assertArrayEquals(data, g.optBytes("base64_decode", some(enc)));
            }
            // random strings over the alphabet and '=': the UDF decodes exactly what Java's basic decoder accepts
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ ";
            int accepted = 0;
            for (int n = 0; n < 3000; n++) {
                StringBuilder b = new StringBuilder();
                int len = r.nextInt(13);
                for (int i = 0; i < len; i++) {
                    b.append(r.nextInt(10) == 0 ? '=' : alphabet.charAt(r.nextInt(r.nextInt(8) == 0 ? alphabet.length() : 64)));
                }
                String t = b.toString();
                byte[] expected;
                try {
                    expected = Base64.getDecoder().decode(t);
                    accepted++;
                } catch (IllegalArgumentException e) {
                    expected = null;
                }
                assertArrayEquals(expected, g.optBytes("base64_decode", some(t)), "decode \"" + t + "\"");
            }
            assertTrue(accepted > 300, accepted + " accepted");
            assertNull(g.optBytes("base64_decode", nullText()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rust-udfs", "rust-udfs-wasi"})
    void regexMatchAgreesWithPostgres(String module) throws Exception {
        List<String[]> cases = new ArrayList<>();
        String[] patterns = {"abc", "^abc$", "a.c", "a*b", "a+b", "ab?c", "(ab|cd)+e", "^(a|b)*$", "[a-c]x", "[^a-c]x", "\\d+",
            "\\w+@\\w+\\.com", "^\\s*$", "colou?r", "a{2}", "a{2,}", "^a{1,3}b$", "[0-9]{3}-[0-9]{4}", "x|y|z", "(a|)b",
            "[]a]", "[a-]", "\\.", "^$", "a\\d\\D", "[\\d.]+", "(((a)))", "^[A-Z][a-z]+( [A-Z][a-z]+)*$", "(a*)*b", ".*x.*y"};
        String[] texts = {"", "abc", "xabcx", "ac", "aab", "b", "abcde", "cdabe", "ababab", "bx", "dx", "12345", "me@home.com",
            "   ", "color", "colour", "aa", "aaaa", "aaab", "555-1234", "zz", "]", "-", ".", "a1x", "3.14", "New York City",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", "a\nb", "x\ny"};
        for (String p : patterns) {
            for (String t : texts) {
                cases.add(new String[] {t, p});
            }
        }
        Random r = new Random(5);
        String atoms = "ab.";
        for (int n = 0; n < 400; n++) {
            cases.add(new String[] {randomText(r), randomPattern(r, atoms, 0)});
        }
        List<Boolean> expected = new ArrayList<>();
        try (Connection pg = Oracles.postgres("regex_match");
             PreparedStatement st = pg.prepareStatement("SELECT ? ~ ?")) {
            for (String[] c : cases) {
                st.setString(1, c[0]);
                st.setString(2, c[1]);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    expected.add(rs.getBoolean(1));
                }
            }
            try (Guest g = new Guest(module, Grants.NONE)) {
                for (int i = 0; i < cases.size(); i++) {
                    String[] c = cases.get(i);
                    assertEquals(expected.get(i), g.bool("regex_match", c[0], c[1]), "'" + c[0] + "' ~ '" + c[1] + "'");
                }
                for (String bad : List.of("(", "a)", "[a", "*a", "a{3,2}", "\\q", "a{300}")) {
                    GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> g.bool("regex_match", "x", bad), bad);
                    assertEquals("2201B", e.sqlState(), bad);
                    st.setString(1, "x");
                    st.setString(2, bad);
                    java.sql.SQLException pge = assertThrows(java.sql.SQLException.class, st::executeQuery, "PostgreSQL refuses " + bad);
                    assertEquals("2201B", pge.getSQLState());
                }
                // no backtracking: a pattern that is exponential for backtracking engines takes linear time here
                long t0 = System.nanoTime();
                assertTrue(!g.bool("regex_match", "a".repeat(5000), "^(a|a)*(a*)*b$"));
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            }
        }
    }

    private static String randomText(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            b.append("abc".charAt(r.nextInt(3)));
        }
        return b.toString();
    }

    private static String randomPattern(Random r, String atoms, int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            int k = r.nextInt(10);
            if (k < 5) {
                b.append(atoms.charAt(r.nextInt(atoms.length())));
            } else if (k < 7 && depth < 2) {
                b.append('(').append(randomPattern(r, atoms, depth + 1)).append('|').append(randomPattern(r, atoms, depth + 1)).append(')');
            } else if (k < 8) {
                b.append("[ac]");
            } else {
                b.append('c');
            }
            int q = r.nextInt(6);
            b.append(q == 0 ? "*" : q == 1 ? "+" : q == 2 ? "?" : q == 3 ? "{1,2}" : "");
        }
        if (depth == 0 && r.nextBoolean()) {
            b.insert(0, '^');
        }
        if (depth == 0 && r.nextBoolean()) {
            b.append('$');
        }
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rust-udfs", "rust-udfs-wasi"})
    void urlHostAgreesWithTheWhatwgUrlOfV8(String module) {
        List<String> urls = List.of("https://example.com/path?q=1#f", "http://EXAMPLE.org:8080/", "https://user:pw@host.example.net/x",
                "ftp://files.example.com/pub", "https://[::1]:443/", "http://127.0.0.1/", "https://a.b.c.d.example/",
                "wss://socket.example.com/chat", "https://example.com?x", "https://example.com#top", "http://sub.Domain.COM",
                "https://xn--nxasmq6b.example/", "ws://host:1/p");
        List<String> expected = Oracles.node("url_host", """
                const lines = require('fs').readFileSync(0, 'utf8').trim().split('\\n');
                for (const l of lines) console.log(new URL(l).hostname);
                """, String.join("\n", urls));
        try (Guest g = new Guest(module, Grants.NONE)) {
            for (int i = 0; i < urls.size(); i++) {
                assertEquals(expected.get(i), g.optText("url_host", some(urls.get(i))), urls.get(i));
            }
            for (String none : List.of("mailto:someone@example.com", "not a url", "/relative/path", "https://", "1http://x/")) {
                assertNull(g.optText("url_host", some(none)), none);
            }
            assertNull(g.optText("url_host", nullText()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rust-udfs", "rust-udfs-wasi"})
    void invalidUtf8IsAnErrorNotUndefinedBehaviour(String module) {
        try (Guest g = new Guest(module, Grants.NONE)) {
            // SQL never sends invalid UTF-8, but a host that does gets 22021 from the SDK, not a crash
            GuestRaisedException e = assertThrows(GuestRaisedException.class,
                    () -> g.i32("semver_cmp", new byte[] {(byte) 0xC3, 0x28}, "1.0.0"));
            assertEquals("22021", e.sqlState());
            assertEquals("invalid UTF-8 in a text argument", e.getMessage());
            assertEquals("aGVsbG8=", g.text("base64_encode", "hello".getBytes(StandardCharsets.UTF_8)), "the instance carries on");
        }
    }
}
