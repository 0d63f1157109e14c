package io.wasmudf.sql;

import io.wasmudf.engine.Grants;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource limits of one function, from {@code SET wasm.… = value} clauses of CREATE FUNCTION (or,
 * for database and global defaults, from connection and system properties). A null component is
 * not set and inherits the next level's value; 0 fuel or a zero timeout means "off".
 *
 * @param maxMemoryPages cap on the instance's linear memory, in 64 KiB pages ({@code wasm.max_memory})
 * @param fuel           instructions per call, 0 for unmetered ({@code wasm.fuel})
 * @param timeout        guest time per statement, zero for none ({@code wasm.timeout})
 * @param grants         what the guest may see of clocks and random numbers ({@code wasm.grants}, docs/WASI.md);
 *                       unset, it follows the function's volatility ({@link #defaultGrants})
 */
public record FunctionLimits(Integer maxMemoryPages, Long fuel, Duration timeout, Grants grants) {
    /** Nothing set: every limit inherits. */
    public static final FunctionLimits NONE = new FunctionLimits(null, null, null, null);
    /** The parameter names {@code CREATE FUNCTION … SET name = value} accepts. */
    public static final String MAX_MEMORY = "wasm.max_memory";
    public static final String FUEL = "wasm.fuel";
    public static final String TIMEOUT = "wasm.timeout";
    public static final String GRANTS = "wasm.grants";
    /** 64 KiB, the Wasm page size. */
    public static final long PAGE_BYTES = 65536;
    /** The most pages a memory can have here (2 GiB − 64 KiB). */
    public static final int MAX_PAGES = 32767;

    public FunctionLimits {
        if (maxMemoryPages != null && (maxMemoryPages < 0 || maxMemoryPages > MAX_PAGES)) {
            throw new IllegalArgumentException("maxMemoryPages out of range: " + maxMemoryPages);
        }
        if (fuel != null && fuel < 0) {
            throw new IllegalArgumentException("fuel must not be negative");
        }
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
    }

    /** Resource limits only, grants unset. */
    public FunctionLimits(Integer maxMemoryPages, Long fuel, Duration timeout) {
        this(maxMemoryPages, fuel, timeout, null);
    }

    /** True when no limit is set. */
    public boolean isEmpty() {
        return maxMemoryPages == null && fuel == null && timeout == null && grants == null;
    }

    /** These limits, with unset ones taken from {@code defaults}. */
    public FunctionLimits orElse(FunctionLimits defaults) {
        return new FunctionLimits(maxMemoryPages != null ? maxMemoryPages : defaults.maxMemoryPages,
                fuel != null ? fuel : defaults.fuel, timeout != null ? timeout : defaults.timeout,
                grants != null ? grants : defaults.grants);
    }

    /**
     * The grants of a function without {@code SET wasm.grants}: {@code IMMUTABLE} and {@code STABLE}
     * ones see a fixed clock and a seeded random stream, so their result depends only on their
     * arguments; {@code VOLATILE} ones see the real clocks and random numbers (docs/WASI.md).
     */
    public static Grants defaultGrants(Volatility volatility) {
        return volatility == Volatility.VOLATILE ? Grants.ALL : Grants.DETERMINISTIC;
    }

    /** These limits with the grants set: their own, else {@link #defaultGrants} of {@code volatility}. */
    public FunctionLimits withGrantsFor(Volatility volatility) {
        return grants != null ? this : new FunctionLimits(maxMemoryPages, fuel, timeout, defaultGrants(volatility));
    }

    /** This record with parameter {@code name} (one of {@link #MAX_MEMORY}, {@link #FUEL}, {@link #TIMEOUT}) set from {@code value}. */
    public FunctionLimits with(String name, String value) throws SQLException {
        switch (name.toLowerCase(Locale.ROOT)) {
            case MAX_MEMORY: return new FunctionLimits(parseMemoryPages(name, value), fuel, timeout, grants);
            case FUEL: return new FunctionLimits(maxMemoryPages, parseFuel(name, value), timeout, grants);
            case TIMEOUT: return new FunctionLimits(maxMemoryPages, fuel, parseDuration(name, value), grants);
            case GRANTS: return new FunctionLimits(maxMemoryPages, fuel, timeout, parseGrants(name, value));
            default:
                throw SqlStates.error(SqlStates.INVALID_PARAMETER_VALUE, "unrecognized configuration parameter \"" + name
                        + "\" (wasm functions accept " + MAX_MEMORY + ", " + FUEL + ", " + TIMEOUT + " and " + GRANTS + ")");
        }
    }

    /** This record with parameter {@code name} unset again (it inherits), as {@code RESET name} does. */
    public FunctionLimits reset(String name) throws SQLException {
        switch (name.toLowerCase(Locale.ROOT)) {
            case MAX_MEMORY: return new FunctionLimits(null, fuel, timeout, grants);
            case FUEL: return new FunctionLimits(maxMemoryPages, null, timeout, grants);
            case TIMEOUT: return new FunctionLimits(maxMemoryPages, fuel, null, grants);
            case GRANTS: return new FunctionLimits(maxMemoryPages, fuel, timeout, null);
            default: return with(name, null); // the one message for an unknown parameter
        }
    }

    /** Whether {@code name} is one of the parameters {@link #with} accepts. */
    public static boolean isParameter(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals(MAX_MEMORY) || n.equals(FUEL) || n.equals(TIMEOUT) || n.equals(GRANTS);
    }

    /**
     * {@code none}, {@code deterministic}, {@code all}, or {@code clock=denied|fixed|real} and/or
     * {@code random=denied|seeded|real} (a part left out is denied: nothing is granted implicitly).
     */
    public static Grants parseGrants(String name, String value) throws SQLException {
        try {
            return Grants.parse(value, Grants.NONE);
        } catch (IllegalArgumentException e) {
            throw invalid(name, value, "none, deterministic, all, or clock=denied|fixed|real,random=denied|seeded|real: " + e.getMessage());
        }
    }

    private static final Pattern QUANTITY = Pattern.compile("\\s*(\\d{1,18})\\s*([A-Za-z]*)\\s*");

    /**
     * A memory size in PostgreSQL's notation: bytes without a unit, or {@code kB}, {@code MB},
     * {@code GB} (powers of 1024; {@code KiB}, {@code MiB}, {@code GiB} too), rounded down to whole
     * 64 KiB pages.
     */
    public static int parseMemoryPages(String name, String value) throws SQLException {
        return (int) (parseBytes(name, value, MAX_PAGES * PAGE_BYTES, "2 GiB - 64 KiB") / PAGE_BYTES);
    }

    /**
     * A size in bytes in PostgreSQL's notation — bytes without a unit, or {@code B}, {@code kB},
     * {@code MB}, {@code GB}, {@code TB} (powers of 1024, any case; {@code KiB} … {@code TiB} too) —
     * at most {@code max} ({@code maxText} says it in words). The one parser of sizes: function
     * limits, database settings and system properties all go through it.
     */
    public static long parseBytes(String name, String value, long max, String maxText) throws SQLException {
        Matcher m = QUANTITY.matcher(value);
        if (!m.matches()) {
            throw invalid(name, value, "a size such as '16MB', '1GB' or a number of bytes");
        }
        long n = Long.parseLong(m.group(1));
        long unit;
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "": case "b": unit = 1; break;
            case "kb": case "kib": unit = 1L << 10; break;
            case "mb": case "mib": unit = 1L << 20; break;
            case "gb": case "gib": unit = 1L << 30; break;
            case "tb": case "tib": unit = 1L << 40; break;
            default: throw invalid(name, value, "a size with unit B, kB, MB, GB or TB");
        }
        if (n > max / unit) {
            throw invalid(name, value, "at most " + max + " bytes (" + maxText + ")");
        }
        return n * unit;
    }

    /** A non-negative instruction count; 0 is off. */
    public static long parseFuel(String name, String value) throws SQLException {
        Matcher m = QUANTITY.matcher(value);
        if (!m.matches() || !m.group(2).isEmpty()) {
            throw invalid(name, value, "a non-negative number of instructions (0 = unmetered)");
        }
        return Long.parseLong(m.group(1));
    }

    /** A duration as in PostgreSQL's {@code statement_timeout}: milliseconds without a unit, or {@code us ms s min h d}. */
    public static Duration parseDuration(String name, String value) throws SQLException {
        Matcher m = QUANTITY.matcher(value);
        if (!m.matches()) {
            throw invalid(name, value, "a duration such as '500ms', '2s' or a number of milliseconds (0 = none)");
        }
        long n = Long.parseLong(m.group(1));
        try {
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "us": return Duration.ofNanos(Math.multiplyExact(n, 1000L));
                case "": case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "min": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                case "d": return Duration.ofDays(n);
                default: throw invalid(name, value, "a duration with unit us, ms, s, min, h or d");
            }
        } catch (ArithmeticException e) {
            throw invalid(name, value, "a shorter duration");
        }
    }

    private static SQLException invalid(String name, String value, String expected) {
        return SqlStates.error(SqlStates.INVALID_PARAMETER_VALUE, "invalid value for parameter \"" + name + "\": \"" + value + "\" (expected " + expected + ")");
    }

    /** The clauses that recreate these limits, e.g. {@code SET wasm.max_memory = '16MB'} (empty when none is set). */
    public String toSql() {
        StringBuilder sb = new StringBuilder();
        if (maxMemoryPages != null) {
            sb.append(" SET ").append(MAX_MEMORY).append(" = '").append(maxMemoryPages * (PAGE_BYTES >> 10)).append("kB'");
        }
        if (fuel != null) {
            sb.append(" SET ").append(FUEL).append(" = ").append(fuel);
        }
        if (timeout != null) {
            sb.append(" SET ").append(TIMEOUT).append(" = '").append(timeout.toMillis()).append("ms'");
        }
        if (grants != null) {
            sb.append(" SET ").append(GRANTS).append(" = '").append(grants).append('\'');
        }
        return sb.toString().trim();
    }
}
