package io.wasmudf.bench.corpus;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ImportInfo;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmFunction;
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

    /** Instantiates {@code module} (sql-wasm.wasm) with the stubs and runs the workload; returns its output. */
    public static String run(CompiledModule module, byte[] wasm) throws Throwable {
        Instance[] self = new Instance[1];
        Map<String, Object> provided = new HashMap<>();
        for (ImportInfo imp : module.imports()) {
            if (imp.funcType() == null) {
                continue;
            }
            FuncType t = imp.funcType();
            // syscalls: ENOSYS; anything else returning nothing does nothing
            provided.put(imp.module() + "." + imp.name(), t.results().equals(List.of(ValType.I32))
                    ? Host.function(t, a -> -52) : StubImports.zeroFunction(t));
        }
        provided.put("a.a", Host.function(type(module, "a"), a -> {
            throw new IllegalStateException("sqlite: assertion failed");
        }));
        provided.put("a.m", Host.function(type(module, "m"), a -> {
            throw new IllegalStateException("sqlite: abort");
        }));
        provided.put("a.c", Host.function(type(module, "c"), a -> 0.0)); // performance.now()
        provided.put("a.d", Host.function(type(module, "d"), a -> 1.7e12)); // Date.now()
        provided.put("a.s", Host.function(type(module, "s"), a -> (int) 2147483648L)); // heap max
        provided.put("a.o", Host.function(type(module, "o"), a -> grow(self[0].memory("M"), (Integer) a[0])));
        provided.put("a.A", Host.function(type(module, "A"), a -> {
            localtime(self[0].memory("M"), (Long) a[0], (Integer) a[1]);
            return null;
        }));
        provided.put("a.B", Host.function(type(module, "B"), a -> {
            Memory m = self[0].memory("M");
            m.writeInt((Integer) a[0], 0);
            m.writeInt((Integer) a[1], 0);
            m.write((Integer) a[2], "UTC\0".getBytes(StandardCharsets.US_ASCII), 0, 4);
            m.write((Integer) a[3], "UTC\0".getBytes(StandardCharsets.US_ASCII), 0, 4);
            return null;
        }));
        provided.put("a.E", Host.function(type(module, "E"), a -> 0)); // environ_get
        provided.put("a.F", Host.function(type(module, "F"), a -> { // environ_sizes_get
            self[0].memory("M").writeInt((Integer) a[0], 0);
            self[0].memory("M").writeInt((Integer) a[1], 0);
            return 0;
        }));
        provided.put("a.l", StubImports.zeroFunction(type(module, "l")));
        try (Instance instance = module.instantiate(StubImports.forModule(wasm, provided),
                module.engine().defaultLimits().withMaxMemoryPages(32767))) {
            self[0] = instance;
            return new Session(instance).runAll(statements());
        }
    }

    private static FuncType type(CompiledModule module, String name) {
        return module.imports().stream().filter(i -> i.module().equals("a") && i.name().equals(name))
                .findFirst().orElseThrow().funcType();
    }

    /** emscripten_resize_heap: grows memory to at least {@code requested} bytes; 1 on success. */
    private static Object grow(Memory m, int requested) {
        long need = Integer.toUnsignedLong(requested);
        long pages = (need + Memory.PAGE_SIZE - 1) / Memory.PAGE_SIZE - m.pages();
        return pages <= 0 || m.grow((int) pages) >= 0 ? 1 : 0;
    }

    /** _localtime_js(time, tm*) in UTC. */
    private static void localtime(Memory m, long seconds, int tm) {
        java.time.ZonedDateTime d = java.time.Instant.ofEpochSecond(seconds).atZone(java.time.ZoneOffset.UTC);
        int[] f = {d.getSecond(), d.getMinute(), d.getHour(), d.getDayOfMonth(), d.getMonthValue() - 1,
            d.getYear() - 1900, d.getDayOfWeek().getValue() % 7, d.getDayOfYear() - 1, 0, 0};
        for (int i = 0; i < f.length; i++) {
            m.writeInt(tm + 4 * i, f[i]);
        }
    }

    /** One database connection through the C API. */
    private static final class Session {
        private final Instance instance;
        private final Memory memory;

        Session(Instance instance) throws Throwable {
            this.instance = instance;
            this.memory = instance.memory("M");
            call("N"); // __wasm_call_ctors
        }

        private int call(String export, Object... args) {
            Object[] r = instance.function(export).call(args);
            return r.length == 0 ? 0 : (Integer) r[0];
        }

        private int string(String s) {
            byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
            int p = call("Da", b.length); // malloc
            memory.write(p, b, 0, b.length);
            return p;
        }

        private String cString(int p) {
            if (p == 0) {
                return "NULL";
            }
            int end = p;
            while (memory.readByte(end) != 0) {
                end++;
            }
            return new String(memory.read(p, end - p), StandardCharsets.UTF_8);
        }

        String runAll(List<String> statements) {
            StringBuilder out = new StringBuilder();
            int pp = call("Da", 4);
            int rc = call("Ca", string(":memory:"), pp); // sqlite3_open
            if (rc != 0) {
                throw new IllegalStateException("sqlite3_open: " + rc);
            }
            int db = memory.readInt(pp);
            for (String sql : statements) {
                int text = string(sql);
                rc = call("R", db, text, -1, pp, 0); // sqlite3_prepare_v2
                if (rc != 0) {
                    out.append("error ").append(rc).append(": ").append(cString(call("Z", db))).append('\n');
                    call("Ea", text);
                    continue;
                }
                int stmt = memory.readInt(pp);
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
