package io.wasmudf.bench.corpus;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.ValType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQLite (sql.js 1.13.0's {@code sql-wasm.wasm}) driven through its C API with stub emscripten
 * imports: opens an in-memory database and runs {@code sqlite-workload.sql} (a 5,000-row insert,
 * aggregates, an index, JSON, dates, blobs, a window function, an error), one statement a line,
 * printing each row's columns. {@code corpus/sqlite-workload.mjs} runs the same module bytes with
 * the same stubs in V8; the two outputs must be identical.
 *
 * <p>The export and import names are sql.js's minified ones, mapped in its {@code sql-wasm.js}
 * ({@code _sqlite3_open} is export {@code Ca} …). The stubs are deterministic: the clock is fixed,
 * the time zone is UTC, every syscall fails with ENOSYS (an in-memory database makes none).
 */
public final class SqliteWorkload {
    private SqliteWorkload() {}

    /** The workload's statements. */
    public static List<String> statements() {
        try (InputStream in = SqliteWorkload.class.getResourceAsStream("sqlite-workload.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the workload on the engine: instantiates {@code module} (sql-wasm.wasm) with the stubs; returns its output. */
    public static String run(CompiledModule module, byte[] wasm) {
        try (EngineGuest guest = new EngineGuest(module, wasm, stubs(), SqliteWorkload::fallback, "M")) {
            return run(guest);
        }
    }

    /** Runs the workload on an instance of sql-wasm.wasm made with {@link #stubs()} and {@link #fallback}. */
    public static String run(GuestRuntime guest) {
        return new Session(guest).runAll(statements());
    }

    /** Imports not in {@link #stubs()}: emscripten's syscalls, which fail with ENOSYS (-52); the rest do nothing. */
    public static GuestRuntime.HostCall fallback(FuncType type) {
        return type.results().equals(List.of(ValType.I32)) ? (g, a) -> -52 : (g, a) -> 0;
    }

    /** The emscripten imports the workload implements, by sql.js 1.13.0's minified names. */
    public static Map<String, GuestRuntime.HostCall> stubs() {
        Map<String, GuestRuntime.HostCall> m = new HashMap<>();
        m.put("a.a", (g, a) -> {
            throw new IllegalStateException("sqlite: assertion failed");
        });
        m.put("a.m", (g, a) -> {
            throw new IllegalStateException("sqlite: abort");
        });
        m.put("a.c", (g, a) -> Double.doubleToRawLongBits(0.0)); // performance.now()
        m.put("a.d", (g, a) -> Double.doubleToRawLongBits(1.7e12)); // Date.now()
        m.put("a.s", (g, a) -> (int) 2147483648L); // emscripten_get_heap_max
        m.put("a.o", (g, a) -> grow(g, (int) a[0])); // emscripten_resize_heap
        m.put("a.A", (g, a) -> { // _localtime_js(time, tm*) in UTC
            localtime(g, a[0], (int) a[1]);
            return 0;
        });
        m.put("a.B", (g, a) -> { // _tzset_js(timezone*, daylight*, std_name*, dst_name*)
            g.writeInt((int) a[0], 0);
            g.writeInt((int) a[1], 0);
            g.write((int) a[2], "UTC\0".getBytes(StandardCharsets.US_ASCII));
            g.write((int) a[3], "UTC\0".getBytes(StandardCharsets.US_ASCII));
            return 0;
        });
        m.put("a.E", (g, a) -> 0); // environ_get
        m.put("a.F", (g, a) -> { // environ_sizes_get
            g.writeInt((int) a[0], 0);
            g.writeInt((int) a[1], 0);
            return 0;
        });
        m.put("a.l", (g, a) -> 0);
        return m;
    }

    /** emscripten_resize_heap: grows memory to at least {@code requested} bytes; 1 on success. */
    private static long grow(GuestRuntime g, int requested) {
        long need = Integer.toUnsignedLong(requested);
        long pages = (need + Memory.PAGE_SIZE - 1) / Memory.PAGE_SIZE - g.pages();
        return pages <= 0 || g.grow((int) pages) >= 0 ? 1 : 0;
    }

    private static void localtime(GuestRuntime g, long seconds, int tm) {
        java.time.ZonedDateTime d = java.time.Instant.ofEpochSecond(seconds).atZone(java.time.ZoneOffset.UTC);
        int[] f = {d.getSecond(), d.getMinute(), d.getHour(), d.getDayOfMonth(), d.getMonthValue() - 1,
            d.getYear() - 1900, d.getDayOfWeek().getValue() % 7, d.getDayOfYear() - 1, 0, 0};
        for (int i = 0; i < f.length; i++) {
            g.writeInt(tm + 4 * i, f[i]);
        }
    }

    /** One database connection through the C API. */
    private static final class Session {
        private final GuestRuntime g;

        Session(GuestRuntime g) {
            this.g = g;
            call("N"); // __wasm_call_ctors
        }

        private int call(String export, int... args) {
            return g.call(export, args);
        }

        private int string(String s) {
            byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
            int p = call("Da", b.length); // malloc
            g.write(p, b);
            return p;
        }

        private String cString(int p) {
            if (p == 0) {
                return "NULL";
            }
            int end = p;
            while (g.readByte(end) != 0) {
                end++;
            }
            return new String(g.read(p, end - p), StandardCharsets.UTF_8);
        }

        String runAll(List<String> statements) {
            StringBuilder out = new StringBuilder();
            int pp = call("Da", 4);
            int rc = call("Ca", string(":memory:"), pp); // sqlite3_open
            if (rc != 0) {
                throw new IllegalStateException("sqlite3_open: " + rc);
            }
            int db = g.readInt(pp);
            for (String sql : statements) {
                int text = string(sql);
                rc = call("R", db, text, -1, pp, 0); // sqlite3_prepare_v2
                if (rc != 0) {
                    out.append("error ").append(rc).append(": ").append(cString(call("Z", db))).append('\n');
                    call("Ea", text);
                    continue;
                }
                int stmt = g.readInt(pp);
                int columns = call("ma", stmt); // sqlite3_column_count
                while ((rc = call("S", stmt)) == 100) { // sqlite3_step: SQLITE_ROW
                    for (int c = 0; c < columns; c++) {
                        out.append(c == 0 ? "" : "|").append(cString(call("X", stmt, c))); // sqlite3_column_text
                    }
                    out.append('\n');
                }
                if (rc != 101) {
                    out.append("error ").append(rc).append(": ").append(cString(call("Z", db))).append('\n');
                }
                call("V", stmt); // sqlite3_finalize
                call("Ea", text); // free
                out.append("--\n");
            }
            call("za", db); // sqlite3_close_v2
            return out.toString();
        }
    }
}
