package io.wasmudf.bench;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.types.TextType;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Splits the CPU time of the three realistic text rows (issue 21: {@code slugify},
 * {@code levenshtein}, {@code json_get}) into their parts, each timed alone in thread CPU time
 * (the machine is shared, wall time is noise), best of the measured rounds, all in one JVM:
 * the Java alias's method; the guest's export alone on arguments already in memory (the SQL
 * preset engine, {@code untrusted()}, as the SQL functions run; and without checks); encoding
 * the arguments into guest memory; {@code cabi_realloc}; lifting the result text; and the same
 * rows as SQL queries through {@code jdbc:wasm:} against the alias, from which H2's own per-row
 * cost (alias query minus alias method, common to both sides) and the bridge's glue (the rest of
 * ours: bind, the call sites, value conversion) follow; each part's bytes allocated per row too
 * (the fewest of the measured rounds). Run:
 * {@code java -cp <bench classpath> io.wasmudf.bench.TextRowSplit wasm-udfs/modules/strings.wasm}.
 */
public final class TextRowSplit {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int ROWS = 16_384;
    /**
     * Distinct rows, cycled through the {@link #ROWS} of each step as {@code SqlBench} cycles them
     * through its table: a working set the caches hold, so that no step pays for another evicting its data.
     */
    private static final int DISTINCT = 4096;
    private static final int MASK = DISTINCT - 1;
    private static final int WARMUP = 15;
    private static final int ROUNDS = 15;
    /** {@code -Dsplit.sql=false}: leave the SQL queries out (to see whether running them changes the other steps). */
    private static final boolean SKIP_SQL = !Boolean.parseBoolean(System.getProperty("split.sql", "true"));
    /** Where the pre-encoded arguments and results live: past the guest's arena, in pages grown for them. */
    private static final int AREA_PAGES = 96;

    /** The pre-encoded rows of one function: per row its arguments' (ptr, len) and its result's return area. */
    private record Encoded(int[] ptr1, int[] len1, int[] ptr2, int[] len2, int[] retArea) {}

    private TextRowSplit() {}

    public static void main(String[] args) throws Throwable {
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        List<RealisticText.Row> distinct = RealisticText.rows(DISTINCT, 42);
        List<RealisticText.Row> rows = java.util.stream.IntStream.range(0, ROWS).mapToObj(i -> distinct.get(i & MASK)).toList();
        String[] titles = rows.stream().map(RealisticText.Row::title).toArray(String[]::new);
        String[] n1 = rows.stream().map(RealisticText.Row::name1).toArray(String[]::new);
        String[] n2 = rows.stream().map(RealisticText.Row::name2).toArray(String[]::new);
        String[] docs = rows.stream().map(RealisticText.Row::doc).toArray(String[]::new);

        Guest sqlPreset = new Guest(Engine.builder().untrusted().build().compile(bytes));
        Guest plain = new Guest(Engine.create().compile(bytes));
        int area = sqlPreset.g.memory().byteSize();
        sqlPreset.g.memory().grow(AREA_PAGES);
        plain.g.memory().grow(AREA_PAGES);
        int areaEnd = sqlPreset.g.memory().byteSize();
        String[] slugs = new String[DISTINCT];
        String[] names = new String[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            slugs[i] = TextAliases.slugify(titles[i]);
            names[i] = TextAliases.jsonGet(docs[i], "name");
        }
        int[] at = {area};
        Encoded slugE = encode(new Guest[] {sqlPreset, plain}, at, titles, null, slugs);
        Encoded levE = encode(new Guest[] {sqlPreset, plain}, at, n1, n2, null);
        Encoded jsonE = encode(new Guest[] {sqlPreset, plain}, at, docs, null, names);
        int keyPtr = at[0];
        for (Guest x : new Guest[] {sqlPreset, plain}) {
            x.g.memory().write(keyPtr, "name".getBytes(StandardCharsets.UTF_8), 0, 4);
        }
        int scratch = keyPtr + 16;
        if (scratch + 8192 > areaEnd) {
            throw new IllegalStateException("the rows need more than " + AREA_PAGES + " pages");
        }
        // check: the guest on the pre-encoded arguments gives the alias's answers
        for (int i = 0; i < DISTINCT; i++) {
            int r = sqlPreset.slugify(slugE, i);
            String s = TextType.lift(sqlPreset.g, r);
            int d = sqlPreset.levenshtein(levE, i);
            String j = TextType.liftOptional(sqlPreset.g, sqlPreset.jsonGet(jsonE, i, keyPtr));
            if (!s.equals(slugs[i]) || d != TextAliases.levenshtein(n1[i], n2[i]) || !java.util.Objects.equals(j, names[i])) {
                throw new IllegalStateException("row " + i + " differs: " + s + " / " + d + " / " + j);
            }
        }

        Connection c = sql(rows, bytes);
        String[] labels = {
            "slugify: Java alias method", "slugify: guest export (SQL preset)", "slugify: guest export (no checks)",
            "slugify: encode argument (plan+write)", "slugify: cabi_realloc", "slugify: lift result",
            "slugify: whole, no SQL (realloc+write+call+lift)",
            "slugify: SQL, ours", "slugify: SQL, Java alias", "slugify: SQL, no function (LENGTH(title))",
            "slugify: SQL, Java alias with a Connection parameter",
            "levenshtein: Java alias method", "levenshtein: guest export (SQL preset)", "levenshtein: guest export (no checks)",
            "levenshtein: encode arguments (2x plan+write)", "levenshtein: cabi_realloc (2x)", "levenshtein: lift result",
            "levenshtein: whole, no SQL",
            "levenshtein: SQL, ours", "levenshtein: SQL, Java alias", "levenshtein: SQL, no function (LENGTH(name1)+LENGTH(name2))",
            "json_get: Java alias method", "json_get: guest export (SQL preset)", "json_get: guest export (no checks)",
            "json_get: encode arguments (2x plan+write)", "json_get: cabi_realloc (2x)", "json_get: lift result",
            "json_get: whole, no SQL",
            "json_get: SQL, ours", "json_get: SQL, Java alias", "json_get: SQL, no function (LENGTH(doc))",
        };
        String[] queries = {
            "SELECT SUM(LENGTH(slugify(title))) FROM r", "SELECT SUM(LENGTH(slugify_java(title))) FROM r", "SELECT SUM(LENGTH(title)) FROM r",
            "SELECT SUM(LENGTH(slugify_javac(title))) FROM r",
            "SELECT SUM(levenshtein(name1, name2)) FROM r", "SELECT SUM(levenshtein_java(name1, name2)) FROM r",
            "SELECT SUM(LENGTH(name1) + LENGTH(name2)) FROM r",
            "SELECT SUM(LENGTH(json_get(doc, 'name'))) FROM r", "SELECT SUM(LENGTH(json_get_java(doc, 'name'))) FROM r",
            "SELECT SUM(LENGTH(doc)) FROM r",
        };
        Statement st = c.createStatement();
        Step[] steps = {
            () -> javaSlugify(titles),
            () -> sqlPreset.slugifyAll(slugE),
            () -> plain.slugifyAll(slugE),
            () -> encodeAll(sqlPreset.g, titles, null, scratch),
            () -> reallocAll(sqlPreset, ROWS),
            () -> liftAll(sqlPreset.g, slugE, false),
            () -> sqlPreset.slugifyWhole(titles),
            () -> query(st, queries[0]), () -> query(st, queries[1]), () -> query(st, queries[2]), () -> query(st, queries[3]),
            () -> javaLevenshtein(n1, n2),
            () -> sqlPreset.levenshteinAll(levE),
            () -> plain.levenshteinAll(levE),
            () -> encodeAll(sqlPreset.g, n1, n2, scratch),
            () -> reallocAll(sqlPreset, 2 * ROWS),
            () -> 0L, // levenshtein returns an integer: nothing to lift
            () -> sqlPreset.levenshteinWhole(n1, n2),
            () -> query(st, queries[4]), () -> query(st, queries[5]), () -> query(st, queries[6]),
            () -> javaJsonGet(docs),
            () -> sqlPreset.jsonGetAll(jsonE, keyPtr),
            () -> plain.jsonGetAll(jsonE, keyPtr),
            () -> encodeAll(sqlPreset.g, docs, "name", scratch),
            () -> reallocAll(sqlPreset, 2 * ROWS),
            () -> liftAll(sqlPreset.g, jsonE, true),
            () -> sqlPreset.jsonGetWhole(docs),
            () -> query(st, queries[7]), () -> query(st, queries[8]), () -> query(st, queries[9]),
        };
        double[] best = new double[labels.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        double[] allocs = new double[labels.length];
        java.util.Arrays.fill(allocs, Double.MAX_VALUE);
        long sink = 0;
        for (int round = 0; round < WARMUP + ROUNDS; round++) {
            for (int i = 0; i < steps.length; i++) {
                if (SKIP_SQL && labels[i].contains(": SQL")) {
                    continue;
                }
                for (int rep = 0; rep < 2; rep++) { // the second run of a step on data the first left in the caches
                    long b0 = allocated();
                    long t0 = cpu();
                    sink += steps[i].run();
                    long t1 = cpu();
                    long b1 = allocated();
                    if (round >= WARMUP) {
                        best[i] = Math.min(best[i], (t1 - t0) / (double) ROWS);
                        allocs[i] = Math.min(allocs[i], (b1 - b0) / (double) ROWS);
                    }
                }
            }
        }
        for (int f = 0; f < 3; f++) {
            int b = f == 0 ? 0 : f * 10 + 1;
            for (int i = b; i < b + (f == 0 ? 11 : 10); i++) {
                System.out.printf("%-62s %7.1f ns/row (CPU) %7.1f B/row allocated%n", labels[i], best[i], allocs[i]);
            }
            double h2 = best[b + 8] - best[b];
            double parts = best[b + 1] + best[b + 3] + best[b + 4] + best[b + 5];
            double glue = best[b + 7] - h2 - parts;
            System.out.printf("%-62s %7.1f%n", "  => H2's own per-row cost (SQL Java - Java method)", h2);
            System.out.printf("%-62s %7.1f%n", "  => ours' parts (guest + encode + realloc + lift)", parts);
            System.out.printf("%-62s %7.1f%n", "  => bridge glue (SQL ours - H2 - parts)", glue);
            System.out.printf("%-62s %7.2f%n", "  => SQL ratio ours/Java (CPU)", best[b + 7] / best[b + 8]);
            if (f == 0) {
                System.out.printf("%-62s %7.1f%n", "  => of the glue: H2 passing a Connection (alias with one - without)", best[10] - best[8]);
            }
        }
        System.out.println("(checksum " + sink + ")");
        c.close();
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Bytes this thread allocated so far (HotSpot's per-thread counter), -1 where unsupported. */
    private static long allocated() {
        return THREADS instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : -1;
    }

    /** One instance with the handles the bridges use (no per-call boundary; calls begun once). */
    private static final class Guest {
        final GuestInstance g;
        final MethodHandle slugify;
        final MethodHandle levenshtein;
        final MethodHandle jsonGet;
        final MethodHandle realloc;
        final Instance instance;

        Guest(CompiledModule m) {
            g = GuestInstance.instantiate(m);
            instance = g.instance();
            slugify = m.exportHandleForCalls("slugify");
            levenshtein = m.exportHandleForCalls("levenshtein");
            jsonGet = m.exportHandleForCalls("json_get");
            realloc = m.exportHandleForCalls("cabi_realloc");
            instance.beginCalls();
        }

        int slugify(Encoded e, int i) throws Throwable {
            return (int) slugify.invokeExact(e.ptr1[i & MASK], e.len1[i & MASK], instance);
        }

        int levenshtein(Encoded e, int i) throws Throwable {
            return (int) levenshtein.invokeExact(e.ptr1[i & MASK], e.len1[i & MASK], e.ptr2[i & MASK], e.len2[i & MASK], instance);
        }

        int jsonGet(Encoded e, int i, int keyPtr) throws Throwable {
            return (int) jsonGet.invokeExact(1, e.ptr1[i & MASK], e.len1[i & MASK], 1, keyPtr, 4, instance);
        }

        long slugifyAll(Encoded e) throws Throwable {
            long sink = 0;
            for (int i = 0; i < ROWS; i++) {
                sink += slugify(e, i);
            }
            return sink;
        }

        long levenshteinAll(Encoded e) throws Throwable {
            long sink = 0;
            for (int i = 0; i < ROWS; i++) {
                sink += levenshtein(e, i);
            }
            return sink;
        }

        long jsonGetAll(Encoded e, int keyPtr) throws Throwable {
            long sink = 0;
            for (int i = 0; i < ROWS; i++) {
                sink += jsonGet(e, i, keyPtr);
            }
            return sink;
        }

        private long arg(String s) throws Throwable {
            long plan = TextType.plan(g, s);
            int ptr = (int) realloc.invokeExact(0, 0, TextType.align(plan), TextType.allocation(plan), instance);
            return TextType.write(g, s, plan, ptr);
        }

        long slugifyWhole(String[] titles) throws Throwable {
            long sink = 0;
            for (String s : titles) {
                long a = arg(s);
                int retptr = (int) slugify.invokeExact((int) (a >>> 32), (int) a, instance);
                sink += TextType.lift(g, retptr).length();
            }
            return sink;
        }

        long levenshteinWhole(String[] a, String[] b) throws Throwable {
            long sink = 0;
            for (int i = 0; i < a.length; i++) {
                long x = arg(a[i]);
                long y = arg(b[i]);
                sink += (int) levenshtein.invokeExact((int) (x >>> 32), (int) x, (int) (y >>> 32), (int) y, instance);
            }
            return sink;
        }

        long jsonGetWhole(String[] docs) throws Throwable {
            long sink = 0;
            for (String d : docs) {
                long x = arg(d);
                long y = arg("name");
                String v = TextType.liftOptional(g, (int) jsonGet.invokeExact(1, (int) (x >>> 32), (int) x, 1, (int) (y >>> 32), (int) y, instance));
                sink += v == null ? 0 : v.length();
            }
            return sink;
        }
    }

    /**
     * Writes each row's arguments (and, when {@code results} is given, a return area pointing at
     * the expected result's UTF-8: what the lift step reads) into every guest's memory from {@code at[0]}.
     */
    private static Encoded encode(Guest[] guests, int[] at, String[] first, String[] second, String[] results) {
        int[] p1 = new int[DISTINCT];
        int[] l1 = new int[DISTINCT];
        int[] p2 = new int[DISTINCT];
        int[] l2 = new int[DISTINCT];
        int[] ret = new int[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            byte[] a = first[i].getBytes(StandardCharsets.UTF_8);
            p1[i] = put(guests, at, a);
            l1[i] = a.length;
            if (second != null) {
                byte[] b = second[i].getBytes(StandardCharsets.UTF_8);
                p2[i] = put(guests, at, b);
                l2[i] = b.length;
            }
            if (results != null) {
                byte[] r = results[i] == null ? new byte[0] : results[i].getBytes(StandardCharsets.UTF_8);
                int rp = put(guests, at, r);
                at[0] = (at[0] + 3) & ~3;
                ret[i] = at[0];
                for (Guest g : guests) {
                    // json_get's return area: a discriminant word, then (ptr, len); slugify's: (ptr, len)
                    g.g.memory().writeInt(ret[i], results[i] == null ? 0 : 1);
                    g.g.memory().writeInt(ret[i] + 4, rp);
                    g.g.memory().writeInt(ret[i] + 8, r.length);
                }
                at[0] += 12;
            }
        }
        return new Encoded(p1, l1, p2, l2, ret);
    }

    private static int put(Guest[] guests, int[] at, byte[] b) {
        int p = at[0];
        for (Guest g : guests) {
            g.g.memory().write(p, b, 0, b.length);
        }
        at[0] += b.length;
        return p;
    }

    private static long encodeAll(GuestInstance g, String[] first, Object second, int scratch) {
        long sink = 0;
        for (int i = 0; i < first.length; i++) {
            sink += TextType.write(g, first[i], TextType.plan(g, first[i]), scratch);
            String b = second instanceof String[] s ? s[i] : (String) second;
            if (b != null) {
                sink += TextType.write(g, b, TextType.plan(g, b), scratch + 4096);
            }
        }
        return sink;
    }

    private static long reallocAll(Guest x, int n) throws Throwable {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            sink += (int) x.realloc.invokeExact(0, 0, 1, 150, x.instance);
        }
        return sink;
    }

    private static long liftAll(GuestInstance g, Encoded e, boolean optional) {
        long sink = 0;
        for (int i = 0; i < ROWS; i++) {
            String s = optional ? TextType.liftOptional(g, e.retArea[i & MASK]) : TextType.lift(g, e.retArea[i & MASK] + 4);
            sink += s == null ? 0 : s.length();
        }
        return sink;
    }

    /**
     * The slugify alias with a leading {@link Connection}, as our bridges are declared (to be handed
     * the session): what H2's creating a connection object per call costs.
     */
    public static String slugifyWithConnection(Connection c, String s) {
        return TextAliases.slugify(s);
    }

    /** One step of a round: its rows, returning a checksum. */
    private interface Step {
        long run() throws Throwable;
    }

    private static long javaSlugify(String[] titles) {
        long sink = 0;
        for (String s : titles) {
            sink += TextAliases.slugify(s).length();
        }
        return sink;
    }

    private static long javaLevenshtein(String[] a, String[] b) {
        long sink = 0;
        for (int i = 0; i < a.length; i++) {
            sink += TextAliases.levenshtein(a[i], b[i]);
        }
        return sink;
    }

    private static long javaJsonGet(String[] docs) {
        long sink = 0;
        for (String d : docs) {
            String v = TextAliases.jsonGet(d, "name");
            sink += v == null ? 0 : v.length();
        }
        return sink;
    }

    /** A new statement each time: H2 reuses a prepared deterministic query's last result. */
    private static long query(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A jdbc:wasm: database with table r of the rows, the wasm functions and the Java aliases, as SqlBench has them. */
    private static Connection sql(List<RealisticText.Row> rows, byte[] module) throws Exception {
        Class.forName("io.wasmudf.h2.WasmDriver");
        Connection c = DriverManager.getConnection("jdbc:wasm:mem:textsplit_" + System.nanoTime() + ";QUERY_CACHE_SIZE=0");
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE r(id INT PRIMARY KEY, title VARCHAR(400), name1 VARCHAR(100), name2 VARCHAR(100), doc VARCHAR(1000))");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO r VALUES (?, ?, ?, ?, ?)")) {
                int k = 0;
                for (RealisticText.Row row : rows) {
                    p.setInt(1, k++);
                    p.setString(2, row.title());
                    p.setString(3, row.name1());
                    p.setString(4, row.name2());
                    p.setString(5, row.doc());
                    p.execute();
                }
            }
            for (String[] alias : new String[][] {
                    {"slugify_java", "slugify"}, {"levenshtein_java", "levenshtein"}, {"json_get_java", "jsonGet"}}) {
                st.execute("CREATE ALIAS " + alias[0] + " DETERMINISTIC FOR '" + TextAliases.class.getName() + "." + alias[1] + "'");
            }
            st.execute("CREATE ALIAS slugify_javac DETERMINISTIC FOR '" + TextRowSplit.class.getName() + ".slugifyWithConnection'");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO wasm.modules(name, bytes) VALUES ('strings', ?)")) {
                p.setBytes(1, module);
                p.execute();
            }
            st.execute("CREATE FUNCTION slugify(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'strings', 'slugify'");
            st.execute("CREATE FUNCTION levenshtein(a text, b text) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS 'strings', 'levenshtein'");
            st.execute("CREATE FUNCTION json_get(doc text, key text) RETURNS text LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT"
                    + " AS 'strings', 'json_get'");
        }
        return c;
    }
}
