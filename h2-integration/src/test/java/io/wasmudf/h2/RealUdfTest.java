package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The C UDFs of wasm-udfs, created from their manifest through real SQL on real H2, checked against
 * Java reference implementations over many generated inputs (NULL, empty, non-ASCII, large).
 */
class RealUdfTest {
    private static final int N = 400;
    private static Connection c;

    @BeforeAll
    static void setUp() throws SQLException {
        c = connect(memUrl());
        Set<String> modules = new LinkedHashSet<>();
        for (UdfModules.Entry e : UdfModules.manifest()) {
            if (!e.module().startsWith("test-")) {
                modules.add(e.module());
            }
        }
        for (String m : modules) {
            upload(c, m, UdfModules.bytes(m));
        }
        for (UdfModules.Entry e : UdfModules.manifest()) {
            if (!e.module().startsWith("test-")) {
                String create = "CREATE FUNCTION " + e.sqlSignature() + " LANGUAGE wasm IMMUTABLE AS '" + e.module() + "', '" + e.functionName() + "'";
                try {
                    exec(c, create);
                } catch (SQLException ex) {
                    // names H2 already has as built-ins (e.g. gcd) are refused; such functions get a wasm_ prefix
                    assertEquals("42723", ex.getSQLState(), ex.getMessage());
                    assertTrue(ex.getMessage().contains("built-in"), ex.getMessage());
                    exec(c, create.replaceFirst("CREATE FUNCTION ", "CREATE FUNCTION wasm_"));
                }
            }
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    // ---- input generators --------------------------------------------------------------------

    private static String randomText(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            return "";
        }
        int len = kind == 1 ? 1000 + r.nextInt(70_000) : r.nextInt(40);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
            switch (r.nextInt(7)) {
                case 0: case 1: case 2: sb.append((char) ('a' + r.nextInt(26))); break;
                case 3: sb.append(" -_.,!?0123456789ABCXYZ".charAt(r.nextInt(23))); break;
                case 4: sb.append("αβγδεΩж日本語中文한국".charAt(r.nextInt(14))); break;
                case 5: sb.appendCodePoint(0x1F600 + r.nextInt(80)); break;
                default: sb.append((char) (0x400 + r.nextInt(0x300))); break;
            }
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random r) {
        int kind = r.nextInt(8);
        byte[] b = new byte[kind == 0 ? 0 : kind == 1 ? 100_000 + r.nextInt(400_000) : r.nextInt(64)];
        r.nextBytes(b);
        return b;
    }

    /** Calls {@code sql} with each input and compares with {@code reference}; NULL inputs included. */
    private static <T> void check(String sql, List<T> inputs, Function<T, Object> reference) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T in : inputs) {
                Object[] args = in instanceof Object[] a ? a : new Object[] {in};
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Object actual = rs.getObject(1);
                    Object expected = reference.apply(in);
                    if (expected instanceof byte[] eb) {
                        assertTrue(java.util.Arrays.equals(eb, (byte[]) actual), sql);
                    } else if (!Objects.equals(expected, actual)) {
                        throw new AssertionError(sql + " with " + describe(args) + ": expected " + shorten(expected) + " but got " + shorten(actual));
                    }
                }
            }
        }
    }

    private static String describe(Object[] args) {
        List<String> out = new ArrayList<>();
        for (Object a : args) {
            out.add(shorten(a));
        }
        return out.toString();
    }

    private static String shorten(Object o) {
        String s = o instanceof byte[] b ? "bytes[" + b.length + "]" : String.valueOf(o);
        return s.length() > 80 ? s.substring(0, 80) + "…(" + s.length() + ")" : s;
    }

    private static List<String> texts(long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        out.add(null);
        out.add("");
        out.add("Hello, World!");
        out.add("x".repeat(200_000));
        for (int i = 0; i < N; i++) {
            out.add(randomText(r));
        }
        return out;
    }

    // ---- strings ------------------------------------------------------------------------------

    @Test
    void utf8Length() throws SQLException {
        check("SELECT utf8_length(?)", texts(1), s -> s == null ? null : s.codePointCount(0, s.length()));
    }

    @Test
    void reverseText() throws SQLException {
        check("SELECT reverse_text(?)", texts(2), s -> s == null ? null : new StringBuilder(s).reverse().toString());
    }

    @Test
    void levenshtein() throws SQLException {
        Random r = new Random(3);
        List<Object[]> inputs = new ArrayList<>();
        inputs.add(new Object[] {null, "a"});
        inputs.add(new Object[] {"a", null});
        inputs.add(new Object[] {"", ""});
        inputs.add(new Object[] {"kitten", "sitting"});
        inputs.add(new Object[] {"日本語", "日本人"});
        for (int i = 0; i < N; i++) {
            String a = randomText(r);
            String b = r.nextBoolean() ? mutate(a, r) : randomText(r);
            if (a.length() > 3000 || b.length() > 3000) {
                a = a.substring(0, Math.min(a.length(), 300));
                b = mutate(a, r);
            }
            inputs.add(new Object[] {a, b});
        }
        check("SELECT levenshtein(?, ?)", inputs, in -> in[0] == null || in[1] == null ? null : Reference.levenshtein((String) in[0], (String) in[1]));
    }

    private static String mutate(String s, Random r) {
        StringBuilder sb = new StringBuilder(s);
        for (int k = r.nextInt(4); k > 0 && sb.length() > 0; k--) {
            int at = r.nextInt(sb.length());
            if (Character.isSurrogate(sb.charAt(at))) {
                continue;
            }
            switch (r.nextInt(3)) {
                case 0: sb.deleteCharAt(at); break;
                case 1: sb.insert(at, 'é'); break;
                default: sb.setCharAt(at, 'z');
            }
        }
        return sb.toString();
    }

    @Test
    void slugify() throws SQLException {
        // generated inputs avoid U+00C0..U+017F, whose transliteration table is checked by examples below
        check("SELECT slugify(?)", texts(4), s -> s == null ? null : Reference.slugifyWithoutLatinLetters(s));
        assertEquals("aeroskobing-naive-cafe", TestSupport.one(c, "SELECT slugify(?)", "Ærøskøbing — naïve café 🎉"));
        assertEquals("strasse-lodz-oeuvre-thorn", TestSupport.one(c, "SELECT slugify(?)", "Straße Łódź Œuvre Þorn"));
        assertEquals("", TestSupport.one(c, "SELECT slugify(?)", " — 🎉 "));
    }

    @Test
    void jsonGet() throws SQLException {
        Random r = new Random(5);
        List<Object[]> inputs = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        Object[][] fixed = {
            {null, "a", null}, {"{\"a\":1}", null, null}, {"{\"a\": 42}", "a", "42"}, {"{\"a\": \"x\\u00e9\\n\"}", "a", "xé\n"},
            {"{\"a\": null}", "a", null}, {"[1, 2]", "a", null}, {"{\"a\": {\"b\": [1, 2]}}", "a", "{\"b\": [1, 2]}"},
            {"{\"a\": 1, \"a\": 2}", "a", "2"}, {"{\"a\": \"\\ud83d\\ude00\"}", "a", "😀"}, {"{}", "", null}, {"{\"\": true}", "", "true"},
            {"not json", "a", null},
        };
        for (Object[] f : fixed) {
            inputs.add(new Object[] {f[0], f[1]});
            expected.add(f[2]);
        }
        for (int i = 0; i < N; i++) {
            StringBuilder doc = new StringBuilder("{");
            int fields = r.nextInt(5);
            String key = null;
            Object value = null;
            for (int f = 0; f < fields; f++) {
                String k = "k" + r.nextInt(6);
                String plain = randomText(r);
                if (plain.length() > 500) {
                    plain = plain.substring(0, 500);
                }
                plain = plain.replaceAll("[\\uD800-\\uDFFF]", "");
                String json;
                Object v;
                switch (r.nextInt(3)) {
                    case 0: json = Reference.jsonString(plain); v = plain; break;
                    case 1: long n = r.nextLong(); json = Long.toString(n); v = json; break;
                    default: json = "[1, {\"x\": " + Reference.jsonString(plain) + "}]"; v = json;
                }
                doc.append(f == 0 ? "" : ", ").append(Reference.jsonString(k)).append(": ").append(json);
                if (r.nextInt(fields) == 0 || key == null || key.equals(k)) {
                    key = k;
                }
                if (k.equals(key)) {
                    value = v;
                }
            }
            doc.append('}');
            if (key == null || r.nextInt(6) == 0) {
                key = "missing";
                value = null;
            }
            // value tracks the last occurrence of key: duplicates resolve to the last one
            inputs.add(new Object[] {doc.toString(), key});
            expected.add(value);
        }
        int[] i = {0};
        check("SELECT json_get(?, ?)", inputs, in -> expected.get(i[0]++));
    }

    // ---- hash ---------------------------------------------------------------------------------

    private static List<byte[]> blobs(long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        out.add(null);
        out.add(new byte[0]);
        out.add("123456789".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < N; i++) {
            out.add(randomBytes(r));
        }
        return out;
    }

    @Test
    void fnv1a64() throws SQLException {
        check("SELECT fnv1a64(?)", blobs(6), b -> {
            if (b == null) {
                return null;
            }
            long h = 0xcbf29ce484222325L;
            for (byte x : b) {
                h ^= x & 0xFF;
                h *= 0x100000001b3L;
            }
            return h;
        });
    }

    @Test
    void crc32() throws SQLException {
        check("SELECT crc32(?)", blobs(7), b -> {
            if (b == null) {
                return null;
            }
            CRC32 crc = new CRC32();
            crc.update(b);
            return (int) crc.getValue();
        });
        assertEquals(-873187034, TestSupport.one(c, "SELECT crc32(CAST('123456789' AS VARBINARY))"));
    }

    @Test
    void hexEncode() throws SQLException {
        check("SELECT hex_encode(?)", blobs(8), b -> b == null ? null : hex(b));
    }

    // ---- math ---------------------------------------------------------------------------------

    @Test
    void addI32() throws SQLException {
        Random r = new Random(9);
        List<Object[]> in = new ArrayList<>();
        in.add(new Object[] {null, 1});
        in.add(new Object[] {Integer.MAX_VALUE, 1});
        for (int i = 0; i < N; i++) {
            in.add(new Object[] {r.nextInt(), r.nextInt()});
        }
        check("SELECT add_i32(?, ?)", in, a -> a[0] == null || a[1] == null ? null : (Integer) a[0] + (Integer) a[1]);
    }

    @Test
    void isPrime() throws SQLException {
        Random r = new Random(10);
        List<Long> in = new ArrayList<>(List.of(-7L, 0L, 1L, 2L, 3L, 4L, 561L, 7919L, 2147483647L, 9223372036854775783L, Long.MAX_VALUE, 3215031751L));
        for (int i = 0; i < N; i++) {
            in.add(r.nextBoolean() ? (long) r.nextInt(100_000) : r.nextLong());
        }
        check("SELECT is_prime(?)", in, n -> n < 2 ? false : BigInteger.valueOf(n).isProbablePrime(64));
        assertEquals(null, TestSupport.one(c, "SELECT is_prime(NULL)"));
    }

    @Test
    void gcd() throws SQLException {
        Random r = new Random(11);
        List<Object[]> in = new ArrayList<>();
        in.add(new Object[] {0L, 0L});
        in.add(new Object[] {12L, -18L});
        in.add(new Object[] {Long.MIN_VALUE, 6L});
        for (int i = 0; i < N; i++) {
            long k = r.nextInt(1000) + 1;
            in.add(new Object[] {k * r.nextInt(), k * (r.nextInt() | 1)});
        }
        check("SELECT wasm_gcd(?, ?)", in, a -> BigInteger.valueOf((Long) a[0]).gcd(BigInteger.valueOf((Long) a[1])).longValueExact());
        fails("38000", () -> TestSupport.one(c, "SELECT wasm_gcd(-9223372036854775808, 0)"));
        assertEquals(4L, TestSupport.one(c, "SELECT wasm_gcd(8, 12)"), "the connection is still usable after the trap");
    }

    @Test
    void hypot() throws SQLException {
        Random r = new Random(12);
        try (PreparedStatement ps = c.prepareStatement("SELECT hypot(?, ?)")) {
            double[][] fixed = {{3, 4}, {1e300, 1e300}, {Double.POSITIVE_INFINITY, Double.NaN}, {Double.NaN, 1}, {0, -0.0}, {-5, 12}};
            List<double[]> in = new ArrayList<>(List.of(fixed));
            for (int i = 0; i < N; i++) {
                in.add(new double[] {r.nextGaussian() * Math.pow(10, r.nextInt(600) - 300), r.nextGaussian() * Math.pow(10, r.nextInt(600) - 300)});
            }
            for (double[] xy : in) {
                ps.setDouble(1, xy[0]);
                ps.setDouble(2, xy[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    double actual = rs.getDouble(1);
                    double expected = StrictMath.hypot(xy[0], xy[1]);
                    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
                        assertEquals(expected, actual, "hypot" + java.util.Arrays.toString(xy));
                    } else {
                        assertTrue(Math.abs(actual - expected) <= Math.ulp(expected), "hypot" + java.util.Arrays.toString(xy) + " = " + actual + " vs " + expected);
                    }
                }
            }
        }
    }

    @Test
    void clampReal() throws SQLException {
        Random r = new Random(13);
        List<Object[]> in = new ArrayList<>();
        in.add(new Object[] {null, 0f, 1f});
        for (int i = 0; i < N; i++) {
            float lo = r.nextFloat() * 100 - 50;
            in.add(new Object[] {r.nextFloat() * 200 - 100, lo, lo + r.nextFloat() * 50});
        }
        check("SELECT clamp_real(?, ?, ?)", in, a -> {
            if (a[0] == null) {
                return null;
            }
            float x = (Float) a[0];
            float lo = (Float) a[1];
            float hi = (Float) a[2];
            return x < lo ? lo : x > hi ? hi : x;
        });
    }

    @Test
    void coalesceAdd() throws SQLException {
        Random r = new Random(14);
        List<Object[]> in = new ArrayList<>();
        in.add(new Object[] {null, null});
        in.add(new Object[] {null, 5});
        in.add(new Object[] {7, null});
        for (int i = 0; i < N; i++) {
            in.add(new Object[] {r.nextInt(4) == 0 ? null : r.nextInt(), r.nextInt(4) == 0 ? null : r.nextInt()});
        }
        check("SELECT coalesce_add(?, ?)", in, a -> a[0] == null && a[1] == null ? null
                : (a[0] == null ? 0 : (Integer) a[0]) + (a[1] == null ? 0 : (Integer) a[1]));
    }

    // ---- hostile modules ----------------------------------------------------------------------

    @Test
    void hostileModulesFailClearly() throws SQLException {
        try (Connection t = connect(memUrl())) {
            for (String m : List.of("test-traps", "test-badabi", "test-bad-realloc", "test-no-realloc")) {
                upload(t, m, UdfModules.bytes(m));
            }
            exec(t, "CREATE FUNCTION div_by(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'");
            exec(t, "CREATE FUNCTION unreachable_trap() RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'");
            exec(t, "CREATE FUNCTION read_at(addr integer) RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'");
            exec(t, "CREATE FUNCTION text_ptr_oob() RETURNS text LANGUAGE wasm STRICT AS 'test-badabi'");
            exec(t, "CREATE FUNCTION bad_utf8() RETURNS text LANGUAGE wasm STRICT AS 'test-badabi'");
            exec(t, "CREATE FUNCTION text_len_huge() RETURNS text LANGUAGE wasm STRICT AS 'test-badabi'");
            exec(t, "CREATE FUNCTION retptr_oob() RETURNS text LANGUAGE wasm STRICT AS 'test-badabi'");
            exec(t, "CREATE FUNCTION bad_option() RETURNS integer LANGUAGE wasm CALLED ON NULL INPUT AS 'test-badabi'");
            exec(t, "CREATE FUNCTION text_len(s text) RETURNS integer LANGUAGE wasm STRICT AS 'test-bad-realloc'");
            assertTrue(fails("38000", () -> TestSupport.one(t, "SELECT div_by(1, 0)")).getMessage().contains("integer divide by zero"));
            assertTrue(fails("38000", () -> TestSupport.one(t, "SELECT unreachable_trap()")).getMessage().contains("unreachable"));
            assertTrue(fails("38000", () -> TestSupport.one(t, "SELECT read_at(-16)")).getMessage().contains("out of bounds"));
            fails("38000", () -> TestSupport.one(t, "SELECT text_ptr_oob()"));
            fails("22021", () -> TestSupport.one(t, "SELECT bad_utf8()"));
            assertTrue(fails("38000", () -> TestSupport.one(t, "SELECT text_len_huge()")).getMessage().contains("outside memory"));
            fails("38000", () -> TestSupport.one(t, "SELECT retptr_oob()"));
            fails("38000", () -> TestSupport.one(t, "SELECT bad_option()"));
            assertEquals(5, TestSupport.one(t, "SELECT text_len('hello')"));
            // the guest gets the encoded length, whether the host measured the string (over 1,024
            // chars) or allocated 3 bytes per char without measuring
            assertEquals(9, TestSupport.one(t, "SELECT text_len('日本語')"));
            assertEquals(1000, TestSupport.one(t, "SELECT text_len(REPEAT('a', 1000))"));
            assertEquals(4000, TestSupport.one(t, "SELECT text_len(REPEAT('é', 2000))"));
            // a block outside memory from cabi_realloc is the allocator failing: 53200 naming the function
            SQLException oom = fails("53200", () -> TestSupport.one(t, "SELECT text_len('thirteen char')"));
            assertTrue(oom.getMessage().startsWith("function text_len: out of memory: the module's cabi_realloc returned 4294967280 for 39"
                    + " bytes of argument, a block outside its 131072 bytes of memory"), oom.getMessage());
            oom = fails("53200", () -> TestSupport.one(t, "SELECT text_len('fourteen chars')"));
            assertTrue(oom.getMessage().startsWith("function text_len: out of memory: the module's cabi_realloc returned "), oom.getMessage());
            fails("38000", () -> TestSupport.one(t, "SELECT text_len('fifteen chars!!')"));
            assertEquals(3, TestSupport.one(t, "SELECT div_by(7, 2)"), "still usable");
            SQLException e = fails("42P13", () -> exec(t, "CREATE FUNCTION text_len2(s text) RETURNS integer LANGUAGE wasm STRICT AS 'test-no-realloc', 'text_len'"));
            assertTrue(e.getMessage().contains("cabi_realloc"), e.getMessage());
            exec(t, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS 'test-no-realloc'");
            assertEquals(42, TestSupport.one(t, "SELECT answer()"));
            upload(t, "test-imports", UdfModules.bytes("test-imports"));
            e = fails("42P13", () -> exec(t, "CREATE FUNCTION logged(x integer) RETURNS integer LANGUAGE wasm STRICT AS 'test-imports'"));
            assertTrue(e.getMessage().contains("env.host_log"), e.getMessage());
        }
    }
}
