package io.wasmudf.pg;

import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.Volatility;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A wasm function's {@code SET wasm.…} settings as PostgreSQL keeps function-level SETs in
 * pg_proc.proconfig ({@code name=value}), from the catalog's normalised columns: sizes and
 * durations are shown in the largest unit that divides them, so {@code '16MB'} and {@code '5s'}
 * come back as written. Grants equal to the volatility's default are not a setting (the catalog
 * stores them resolved; docs/WASI.md).
 */
final class FunctionConfig {
    private FunctionConfig() {}

    static List<String> of(String volatility, Long maxMemoryBytes, Long fuel, Long timeoutMs, String grants) {
        List<String> out = new ArrayList<>();
        if (maxMemoryBytes != null) {
            out.add(FunctionLimits.MAX_MEMORY + "=" + size(maxMemoryBytes));
        }
        if (fuel != null) {
            out.add(FunctionLimits.FUEL + "=" + fuel);
        }
        if (timeoutMs != null) {
            out.add(FunctionLimits.TIMEOUT + "=" + duration(timeoutMs));
        }
        if (grants != null && volatility != null && !grants.equals(defaultGrants(volatility))) {
            out.add(FunctionLimits.GRANTS + "=" + grants);
        }
        return out;
    }

    private static String defaultGrants(String volatility) {
        try {
            return FunctionLimits.defaultGrants(Volatility.valueOf(volatility.toUpperCase(Locale.ROOT))).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String size(long bytes) {
        String[] units = {"TB", "GB", "MB", "kB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (4 - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    static String duration(long ms) {
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] names = {"d", "h", "min", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }
}
