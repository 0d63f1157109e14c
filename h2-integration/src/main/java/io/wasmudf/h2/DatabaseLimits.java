package io.wasmudf.h2;

import io.wasmudf.engine.MemoryBudget;
import io.wasmudf.sql.FunctionLimits;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The limits of one database: defaults for its functions' {@code wasm.max_memory},
 * {@code wasm.fuel} and {@code wasm.timeout}, and the {@link MemoryBudget} all its instances
 * share ({@code wasm.memory_budget}). Each setting comes from the connection that first opens
 * the database in this JVM (URL setting {@code ;WASM_MAX_MEMORY=16MB} or a connection property,
 * handed to the database's {@link CatalogService} when it starts), else the system property of the
 * same name ({@code -Dwasm.max_memory=16MB}), else the built-in default.
 */
final class DatabaseLimits {
    /** {@code wasm.memory_budget}: total linear memory of all instances of one database. */
    static final String MEMORY_BUDGET = "wasm.memory_budget";
    static final long DEFAULT_MEMORY_BUDGET = 1L << 30;
    /** Built-in defaults: 64 MiB per instance, unmetered, no timeout beyond the statement's. */
    static final FunctionLimits BUILT_IN = new FunctionLimits(1024, 0L, Duration.ZERO);
    /** Time allowed for instantiation, including a start function (bounds CREATE FUNCTION and first calls). */
    static final Duration INSTANTIATION_TIMEOUT = Duration.ofSeconds(10);

    final FunctionLimits defaults;
    final MemoryBudget budget;

    private DatabaseLimits(FunctionLimits defaults, MemoryBudget budget) {
        this.defaults = defaults;
        this.budget = budget;
    }

    /** The function's effective limits: its own, else this database's defaults. */
    FunctionLimits effective(FunctionLimits function) {
        return function.orElse(defaults);
    }

    /** The limits from {@code settings} (canonical names, see {@link #extract}); 22023 for an invalid value. */
    static DatabaseLimits create(Map<String, String> settings) throws SQLException {
        FunctionLimits l = FunctionLimits.NONE;
        for (String name : new String[] {FunctionLimits.MAX_MEMORY, FunctionLimits.FUEL, FunctionLimits.TIMEOUT}) {
            String v = setting(settings, name);
            if (v != null) {
                l = l.with(name, v);
            }
        }
        String budget = setting(settings, MEMORY_BUDGET);
        long budgetBytes = budget == null ? DEFAULT_MEMORY_BUDGET : FunctionLimits.parseBytes(MEMORY_BUDGET, budget, Long.MAX_VALUE, "8 EiB");
        return new DatabaseLimits(l.orElse(BUILT_IN), new MemoryBudget(budgetBytes));
    }

    private static String setting(Map<String, String> settings, String name) {
        String v = settings.get(name);
        return v != null ? v : System.getProperty(name);
    }

    // ---- settings in URLs and connection properties ------------------------------------------

    /** {@code WASM_MAX_MEMORY} / {@code wasm.max_memory} (any case) → {@code wasm.max_memory}; null for other keys. */
    static String settingName(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        if (k.startsWith("wasm_")) {
            k = "wasm." + k.substring(5);
        }
        // grants are per function (they follow its volatility), not a database default
        return k.equals(MEMORY_BUDGET) || FunctionLimits.isParameter(k) && !k.equals(FunctionLimits.GRANTS) ? k : null;
    }

    /**
     * Removes the wasm settings from {@code url} (H2 refuses settings it does not know) and from
     * {@code info}; returns them by canonical name.
     */
    static Map<String, String> extract(String[] url, Properties info) {
        Map<String, String> out = new LinkedHashMap<>();
        if (info != null) {
            for (Iterator<Map.Entry<Object, Object>> it = info.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Object, Object> e = it.next();
                String name = settingName(String.valueOf(e.getKey()));
                if (name != null) {
                    out.put(name, String.valueOf(e.getValue()));
                    it.remove();
                }
            }
        }
        String[] parts = url[0].split(";", -1);
        StringBuilder kept = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String name = eq < 0 ? null : settingName(parts[i].substring(0, eq));
            if (name != null) {
                out.put(name, parts[i].substring(eq + 1));
            } else {
                kept.append(';').append(parts[i]);
            }
        }
        url[0] = kept.toString();
        return out;
    }
}
