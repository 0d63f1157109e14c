package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.withFunctions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL types beyond numbers and text (date, time, timestamp(tz), interval, uuid, numeric, json,
 * character, arrays) through real H2 calls of test-types.wasm (wasm-udfs/src/test-modules/types.c,
 * built with the C SDK's helpers), compared with the real PostgreSQL 15's built-ins where one can
 * serve as oracle (date + n, to_char, make_date, extract, casts, round, unnest, array_to_string,
 * json input), and the guest's bad values: each a precise SQLSTATE naming the function.
 */
class SqlTypesTest {
    private static Connection c;
    private static Connection pg;
    private static final Random RANDOM = new Random(18);

    @BeforeAll
    static void setUp() throws SQLException {
        c = withFunctions("types", UdfModules.bytes("test-types"),
                "date_add(d date, n integer) RETURNS date STRICT",
                "date_text(d date) RETURNS text STRICT",
                "make_date(y integer, m integer, d integer) RETURNS date STRICT",
                "date_dow(d date) RETURNS integer STRICT",
                "date_infinity() RETURNS date STRICT",
                "ts_add_us(t timestamp, us bigint) RETURNS timestamp STRICT",
                "ts_date(t timestamp) RETURNS date STRICT",
                "ts_time(t timestamp) RETURNS time STRICT",
                "ts_infinity() RETURNS timestamp STRICT",
                "time_add_us(t time(6), us bigint) RETURNS time without time zone STRICT",
                "interval_twice(i interval) RETURNS interval STRICT",
                "interval_months(n integer) RETURNS interval STRICT",
                "interval_micros(i interval) RETURNS bigint STRICT",
                "uuid_text(u uuid) RETURNS text STRICT",
                "uuid_swap(u uuid) RETURNS uuid STRICT",
                "opt_uuid(u uuid) RETURNS uuid CALLED ON NULL INPUT",
                "numeric_scaled(n numeric(30, 10)) RETURNS decimal STRICT",
                "int_array_sum(a integer[]) RETURNS bigint STRICT",
                "array_len(a int4[]) RETURNS integer STRICT",
                "int_array_inc(a integer[]) RETURNS integer ARRAY STRICT",
                "text_array_upper(a text[]) RETURNS text[] STRICT",
                "text_array_join(a varchar(20)[]) RETURNS text STRICT",
                "opt_array_len(a integer[]) RETURNS integer CALLED ON NULL INPUT",
                "array_nulls4(a integer[]) RETURNS integer STRICT",
                "array_huge() RETURNS integer[] STRICT",
                "array_wild() RETURNS text[] STRICT",
                "array_misaligned() RETURNS bigint[] STRICT");
        String[] byExport = {
            "tstz_add_us(t timestamp with time zone, us bigint) RETURNS timestamptz STRICT AS 'types', 'ts_add_us'",
            "numeric_text(n numeric) RETURNS text STRICT AS 'types', 'text_echo'",
            "text_numeric(s text) RETURNS numeric STRICT AS 'types', 'text_echo'",
            "text_json(s text) RETURNS json STRICT AS 'types', 'text_echo'",
            "json_echo(j json) RETURNS json STRICT AS 'types', 'text_echo'",
            "jsonb_echo(j jsonb) RETURNS jsonb STRICT AS 'types', 'text_echo'",
            "char_len(c char(5)) RETURNS integer STRICT AS 'types', 'text_len'",
            "char_echo(c character(5)) RETURNS bpchar STRICT AS 'types', 'text_echo'",
            "opt_interval_micros(i interval) RETURNS bigint CALLED ON NULL INPUT AS 'types'",
            "opt_numeric(n numeric) RETURNS numeric CALLED ON NULL INPUT AS 'types', 'opt_text_echo'",
            "opt_jsonb(j jsonb) RETURNS jsonb CALLED ON NULL INPUT AS 'types', 'opt_text_echo'",
            "opt_texts(a text[]) RETURNS text[] CALLED ON NULL INPUT AS 'types', 'opt_text_echo'",
            "opt_date_add(d date, n integer) RETURNS date CALLED ON NULL INPUT AS 'types'",
        };
        for (String f : byExport) {
            exec(c, "CREATE FUNCTION " + f + " LANGUAGE wasm IMMUTABLE");
        }
        Properties p = new Properties();
        p.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        p.setProperty("connectTimeout", "5");
        try {
            pg = DriverManager.getConnection("jdbc:postgresql://" + System.getenv().getOrDefault("PGHOST", "127.0.0.1") + ":"
                    + System.getenv().getOrDefault("PGPORT", "5432") + "/" + System.getenv().getOrDefault("PGDATABASE", "test"), p);
        } catch (SQLException e) {
            pg = null;
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
        if (pg != null) {
            pg.close();
        }
    }

    private static void requirePg() {
        Required.resource(pg != null, "SqlTypesTest: no PostgreSQL at 127.0.0.1:5432 to compare with");
    }

    private static Object query(Connection conn, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Object[] arr && conn == pg) {
                    ps.setArray(i + 1, pg.createArrayOf(arr instanceof Integer[] ? "integer" : "text", arr));
                } else {
                    ps.setObject(i + 1, a);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                Object o = rs.getObject(1);
                if (o instanceof Array a) {
                    return a.getArray();
                }
                // java.sql dates are Julian before 1582; PostgreSQL and H2 are proleptic Gregorian
                if (o instanceof java.sql.Date) {
                    return rs.getObject(1, LocalDate.class);
                }
                if (o instanceof java.sql.Timestamp) {
                    return rs.getObject(1, LocalDateTime.class);
                }
                if (o instanceof java.sql.Time) {
                    return rs.getObject(1, LocalTime.class);
                }
                if (o != null && o.getClass().getName().equals("org.h2.api.Interval")) {
                    return rs.getObject(1, Duration.class);
                }
                return o;
            }
        }
    }

    private static LocalDate randomDate() {
        return LocalDate.ofEpochDay(RANDOM.nextInt(2_000_000) - 700_000);
    }

    @Test
    void datesAgreeWithPostgres() throws SQLException {
        requirePg();
        for (int i = 0; i < 150; i++) {
            LocalDate d = randomDate();
            int n = RANDOM.nextInt(20_000) - 10_000;
            assertEquals(query(pg, "select ?::date + ?::int", d, n), query(c, "select date_add(?, ?)", d, n), d + " + " + n);
            assertEquals(query(pg, "select extract(dow from ?::date)::int", d), query(c, "select date_dow(?)", d), "dow " + d);
            assertEquals(query(pg, "select to_char(?::date, 'YYYY-MM-DD')", d), query(c, "select date_text(?)", d), "text " + d);
            assertEquals(query(pg, "select make_date(?, ?, ?)", d.getYear(), d.getMonthValue(), d.getDayOfMonth()),
                    query(c, "select make_date(?, ?, ?)", d.getYear(), d.getMonthValue(), d.getDayOfMonth()), "make_date " + d);
        }
        // the ends of PostgreSQL's range (pgJDBC cannot read 4714-11-24 BC back, so H2 alone there), and the epoch
        for (LocalDate d : List.of(LocalDate.of(2000, 1, 1), LocalDate.of(5874897, 12, 31))) {
            assertEquals(query(pg, "select ?::date + 0", d), query(c, "select date_add(?, 0)", d), d.toString());
        }
        assertEquals(LocalDate.of(-4713, 11, 24), query(c, "select date_add(?, 0)", LocalDate.of(-4713, 11, 25).minusDays(1)));
        fails("22008", () -> one(c, "select date_add(?, -1)", LocalDate.of(-4713, 11, 24)));
    }

    @Test
    void timestampsAgreeWithPostgres() throws SQLException {
        requirePg();
        for (int i = 0; i < 150; i++) {
            LocalDateTime t = LocalDateTime.of(randomDate(), LocalTime.ofNanoOfDay(RANDOM.nextLong(86_400_000_000L) * 1000));
            long us = RANDOM.nextLong(400_000_000_000_000L) - 200_000_000_000_000L;
            assertEquals(query(pg, "select ?::timestamp + ? * interval '1 microsecond'", t, us), query(c, "select ts_add_us(?, ?)", t, us),
                    t + " + " + us);
            assertEquals(query(pg, "select ?::timestamp::date", t), query(c, "select ts_date(?)", t), "date of " + t);
            assertEquals(query(pg, "select ?::timestamp::time", t), query(c, "select ts_time(?)", t), "time of " + t);
        }
    }

    @Test
    void timesAndTimestamptz() throws SQLException {
        assertEquals(LocalTime.of(12, 0, 1), query(c, "select time_add_us(TIME '12:00:00', 1000000)"));
        assertEquals(LocalTime.of(0, 0, 0, 1000), query(c, "select time_add_us(TIME '00:00:00', 1)"));
        OffsetDateTime tz = OffsetDateTime.of(2024, 2, 29, 23, 30, 0, 0, ZoneOffset.ofHours(2));
        Object r = one(c, "select tstz_add_us(?, 3600000000)", tz);
        assertEquals(tz.plusHours(1).toInstant(), ((OffsetDateTime) r).toInstant());
        // nanoseconds round to PostgreSQL's microseconds, half up
        assertEquals(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 2000), query(c, "select ts_add_us(TIMESTAMP '2000-01-01 00:00:00.0000015', 0)"));
    }

    @Test
    void intervalsAndUuids() throws SQLException {
        Duration d = Duration.ofDays(3).plusHours(5).plusNanos(250_000_000);
        assertEquals(d.multipliedBy(2), query(c, "select interval_twice(?)", d));
        assertEquals(Duration.ofHours(-26).multipliedBy(2), query(c, "select interval_twice(INTERVAL '-26' HOUR)"));
        // -1 day -2 hours: whole days in days, the rest in micros, as PostgreSQL keeps it
        assertEquals(-7_200_000_000L, one(c, "select interval_micros(INTERVAL '-1 02:00:00' DAY TO SECOND)"));
        for (int i = 0; i < 50; i++) {
            UUID u = new UUID(RANDOM.nextLong(), RANDOM.nextLong());
            assertEquals(u.toString(), one(c, "select uuid_text(?)", u));
            assertEquals(new UUID(u.getLeastSignificantBits(), u.getMostSignificantBits()), one(c, "select uuid_swap(?)", u));
            assertEquals(u, one(c, "select opt_uuid(?)", u));
        }
        assertNull(one(c, "select opt_uuid(CAST(NULL AS UUID))"));
        assertNull(one(c, "select uuid_swap(CAST(NULL AS UUID))"));
        assertNull(one(c, "select interval_twice(CAST(NULL AS INTERVAL DAY TO SECOND))"));
    }

    @Test
    void uuidTextAgreesWithPostgres() throws SQLException {
        requirePg();
        for (int i = 0; i < 20; i++) {
            UUID u = new UUID(RANDOM.nextLong(), RANDOM.nextLong());
            assertEquals(query(pg, "select ?::uuid::text", u.toString()), one(c, "select uuid_text(?)", u));
        }
    }

    @Test
    void numericsAgreeWithPostgres() throws SQLException {
        requirePg();
        List<BigDecimal> values = new ArrayList<>(List.of(new BigDecimal("0"), new BigDecimal("-0.005"), new BigDecimal("0.005"),
                new BigDecimal("12.345"), new BigDecimal("-12.345"), new BigDecimal("1E+3"), new BigDecimal("0.0000001"),
                new BigDecimal("123456789012345.675")));
        for (int i = 0; i < 100; i++) {
            values.add(BigDecimal.valueOf(RANDOM.nextLong() / 1000, RANDOM.nextInt(12)));
        }
        for (BigDecimal v : values) {
            assertEquals(query(pg, "select round(?::numeric, 2)", v), one(c, "select numeric_scaled(?)", v), "round " + v);
            assertEquals(query(pg, "select ?::numeric::text", v), one(c, "select numeric_text(?)", v), "text of " + v);
            BigDecimal back = (BigDecimal) one(c, "select text_numeric(?)", v.toPlainString());
            assertEquals(0, v.compareTo(back), v.toString());
        }
        // numeric input as numeric_in reads it
        for (String s : List.of(" 1.5e3 ", "-.5", "+7", "1E-2")) {
            assertEquals(0, ((BigDecimal) query(pg, "select ?::numeric", s)).compareTo((BigDecimal) one(c, "select text_numeric(?)", s)), s);
        }
    }

    @Test
    void jsonValidityAgreesWithPostgres() throws SQLException {
        requirePg();
        String[] docs = {"{\"a\": [1, 2.5e3, true, null, \"x\\u00e9\"]}", "[]", " 42 ", "\"s\"", "{\"a\":}", "[1,]", "01", "tru",
            "{\"k\": \"tab\there\"}", "-0.0E+1", "{} x", "", "[[[[]]]]", "\"\\q\""};
        for (String doc : docs) {
            boolean pgOk;
            try {
                query(pg, "select ?::json", doc);
                pgOk = true;
            } catch (SQLException e) {
                pgOk = false;
            }
            if (pgOk) {
                assertEquals(doc, one(c, "select text_json(?)", doc), doc);
            } else {
                SQLException e = fails("22P02", () -> one(c, "select text_json(?)", doc));
                assertTrue(e.getMessage().contains("text_json") && e.getMessage().contains("json"), e.getMessage());
            }
        }
        assertEquals("{\"a\":1}", one(c, "select json_echo(JSON '{\"a\":1}')"));
        // jsonb results print as PostgreSQL prints jsonb
        assertEquals(query(pg, "select CAST(? AS JSONB)::text", "{\"b\":[1,2], \"a\": 1.50}"),
                one(c, "select jsonb_echo(JSON '{\"b\":[1,2], \"a\": 1.50}')"));
    }

    /** CALLED ON NULL INPUT: option<T> arguments and results of the new types, NULL both ways. */
    @Test
    void nullsBothWays() throws SQLException {
        assertEquals(-7_200_000_000L, one(c, "select opt_interval_micros(INTERVAL '-1 02:00:00' DAY TO SECOND)"));
        assertNull(one(c, "select opt_interval_micros(NULL)"));
        assertEquals(new BigDecimal("-1.50"), one(c, "select opt_numeric(CAST(-1.50 AS NUMERIC(5,2)))"));
        assertNull(one(c, "select opt_numeric(NULL)"));
        assertEquals("{\"a\": 1}", one(c, "select opt_jsonb(JSON '{\"a\":1}')"));
        assertNull(one(c, "select opt_jsonb(NULL)"));
        assertArrayEquals(new Object[] {"x", null}, (Object[]) query(c, "select opt_texts(ARRAY['x', NULL])"));
        assertNull(one(c, "select opt_texts(NULL)"));
        assertEquals(LocalDate.of(2000, 1, 3), query(c, "select opt_date_add(DATE '2000-01-01', 2)"));
        assertNull(one(c, "select opt_date_add(NULL, 2)"));
        assertNull(one(c, "select opt_date_add(DATE '2000-01-01', NULL)"));
    }

    @Test
    void characterIsPaddedAsTheColumnHoldsIt() throws SQLException {
        assertEquals(5, one(c, "select char_len(CAST('ab' AS CHAR(5)))"));
        assertEquals("ab   ", one(c, "select char_echo(CAST('ab' AS CHAR(5)))"));
    }

    private static Integer[] randomInts() {
        Integer[] a = new Integer[RANDOM.nextInt(40)];
        for (int i = 0; i < a.length; i++) {
            a[i] = RANDOM.nextInt(5) == 0 ? null : RANDOM.nextInt(2_000_000) - 1_000_000;
        }
        return a;
    }

    private static String[] randomTexts() {
        String[] a = new String[RANDOM.nextInt(20)];
        for (int i = 0; i < a.length; i++) {
            a[i] = RANDOM.nextInt(5) == 0 ? null : List.of("", "abc", "Grüße", "x,y", "✓ ok", "ZZ").get(RANDOM.nextInt(6));
        }
        return a;
    }

    @Test
    void arraysAgreeWithPostgres() throws SQLException {
        requirePg();
        for (int i = 0; i < 100; i++) {
            Integer[] a = randomInts();
            assertEquals(query(pg, "select coalesce((select sum(x) from unnest(?::int[]) x), 0)", (Object) a) + "",
                    one(c, "select int_array_sum(?)", (Object) a) + "");
            assertEquals(query(pg, "select cardinality(?::int[])", (Object) a), one(c, "select array_len(?)", (Object) a));
            assertArrayEquals((Object[]) query(pg, "select array(select x + 1 from unnest(?::int[]) with ordinality t(x, o) order by o)",
                    (Object) a), (Object[]) query(c, "select int_array_inc(?)", (Object) a));
            String[] t = randomTexts();
            assertArrayEquals((Object[]) query(pg, "select array(select upper(x collate \"C\") from unnest(?::text[]) with ordinality t(x, o) order by o)",
                    (Object) t), (Object[]) query(c, "select text_array_upper(?)", (Object) t));
            assertEquals(query(pg, "select array_to_string(?::text[], ',')", (Object) t), query(c, "select text_array_join(?)", (Object) t));
        }
    }

    @Test
    void arraysOfEveryTypeRoundTripWithNulls() throws SQLException {
        Object[][] samples = {
            new Boolean[] {true, null, false}, new Short[] {-3, null}, new Integer[] {1, null, Integer.MIN_VALUE}, new Long[] {Long.MAX_VALUE, null, 0L},
            new Float[] {1.5f, null}, new Double[] {-2.25, null, Double.MAX_VALUE},
            new BigDecimal[] {new BigDecimal("-1.50"), null, new BigDecimal("12345678901234567890.123")},
            new String[] {"a", null, "Grüße ✓", ""}, new byte[][] {{1, 2}, null, {}}, new LocalDate[] {LocalDate.of(-4000, 12, 31), null},
            new LocalTime[] {LocalTime.of(23, 59, 59, 999_999_000), null}, new LocalDateTime[] {LocalDateTime.of(1, 1, 1, 0, 0, 0, 1000), null},
            new Duration[] {Duration.ofDays(-2).plusSeconds(1), null}, new UUID[] {UUID.randomUUID(), null}, new Integer[0],
            new String[] {null, null, null, null, null, null, null, null, null},
            new OffsetDateTime[] {OffsetDateTime.of(2020, 5, 6, 7, 8, 9, 0, ZoneOffset.UTC), null},
        };
        String[] types = {"boolean", "smallint", "integer", "bigint", "real", "double precision", "numeric", "text", "bytea", "date",
            "time", "timestamp", "interval", "uuid", "integer", "text", "timestamptz"};
        String[] sqlCasts = {"BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "NUMERIC(40,3)", "VARCHAR", "VARBINARY",
            "DATE", "TIME(9)", "TIMESTAMP", "INTERVAL DAY TO SECOND", "UUID", "INTEGER", "VARCHAR", "TIMESTAMP WITH TIME ZONE"};
        for (int i = 0; i < samples.length; i++) {
            String name = "echo_" + i;
            exec(c, "CREATE FUNCTION " + name + "(a " + types[i] + "[]) RETURNS " + types[i] + "[] LANGUAGE wasm STRICT AS 'types', 'array_echo'");
            try (PreparedStatement ps = c.prepareStatement("select " + name + "(CAST(? AS " + sqlCasts[i] + " ARRAY))")) {
                ps.setObject(1, samples[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    Object[] back = (Object[]) rs.getObject(1, samples[i].getClass());
                    assertEquals(samples[i].length, back.length, types[i]);
                    for (int k = 0; k < back.length; k++) {
                        if (samples[i][k] instanceof byte[] b) {
                            assertArrayEquals(b, (byte[]) back[k]);
                        } else if (samples[i][k] instanceof BigDecimal b) {
                            assertEquals(0, b.compareTo((BigDecimal) back[k]));
                        } else if (samples[i][k] instanceof OffsetDateTime t) {
                            assertEquals(t.toInstant(), ((OffsetDateTime) back[k]).toInstant());
                        } else {
                            assertEquals(samples[i][k], back[k], types[i] + "[" + k + "]");
                        }
                    }
                }
            }
            assertNull(one(c, "select " + name + "(NULL)"));
        }
        assertEquals(9, one(c, "select array_nulls4(ARRAY[NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1])"));
        assertEquals(3, one(c, "select opt_array_len(ARRAY[1, NULL, 3])"));
        assertNull(one(c, "select opt_array_len(NULL)"));
        assertEquals(0, one(c, "select array_len(ARRAY[])"));
    }

    /** Every bad value a guest can return (or H2 can pass) is a precise SQLSTATE naming the function, and the connection goes on. */
    @Test
    void badValuesArePreciseErrors() throws SQLException {
        String[][] cases = {
            {"select date_infinity()", "22008", "date_infinity", "infinity"},
            {"select ts_infinity()", "22008", "ts_infinity", "infinity"},
            {"select time_add_us(TIME '23:59:59', 1000000)", "22008", "time_add_us", "time out of range"},
            {"select date_add(DATE '5874897-12-31', 1)", "22008", "date_add", "date out of range"},
            {"select date_add(DATE '9999999-01-01', 0)", "22008", "date_add", "date out of range"},
            {"select interval_months(1)", "22008", "interval_months", "months"},
            {"select text_numeric('abc')", "22P02", "text_numeric", "invalid input syntax for type numeric"},
            {"select text_numeric('NaN')", "22003", "text_numeric", "NaN"},
            {"select text_numeric('1e-20000')", "22003", "text_numeric", "overflows numeric format"},
            {"select text_numeric('1e999999999999')", "22003", "text_numeric", "overflows numeric format"},
            {"select text_json('{\"a\":}')", "22P02", "text_json", "json"},
            {"select array_huge()", "54000", "array_huge", "array size exceeds"},
            {"select array_wild()", "2202E", "array_wild", "outside memory"},
            {"select array_misaligned()", "2202E", "array_misaligned", "aligned"},
        };
        for (String[] k : cases) {
            SQLException e = fails(k[1], () -> one(c, k[0]));
            assertTrue(e.getMessage().contains(k[2]) && e.getMessage().contains(k[3]), k[0] + ": " + e.getMessage());
            assertTrue(!e.getMessage().contains("java.") && !e.getMessage().contains("Exception"), e.getMessage());
            assertEquals(1, one(c, "select 1"));
        }
    }
}
