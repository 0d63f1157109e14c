package io.wasmudf.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * What a guest may observe of the world outside its arguments, through WASI's clocks and random
 * numbers (and AssemblyScript's {@code env.seed}): the grant model of {@link HostEnvironment}.
 * Deny-by-default: {@link #NONE} unless the embedder grants more. An SQL layer maps a function's
 * volatility to a grant ({@link #DETERMINISTIC} for {@code IMMUTABLE} and {@code STABLE}, {@link #ALL}
 * for {@code VOLATILE}) and lets a per-function setting override it; {@link #parse} and
 * {@link #toString} are the textual form it stores.
 *
 * @param clock  what {@code clock_time_get}, {@code clock_res_get} and clock subscriptions of {@code poll_oneoff} see
 * @param random what {@code random_get} and {@code env.seed} return
 */
public record Grants(ClockGrant clock, RandomGrant random) {
    /** Nothing granted: clocks and random numbers answer {@code ENOTCAPABLE} ({@code env.seed} traps). */
    public static final Grants NONE = new Grants(ClockGrant.DENIED, RandomGrant.DENIED);
    /** A result that depends only on the arguments: a fixed clock and a fixed-seed random stream. */
    public static final Grants DETERMINISTIC = new Grants(ClockGrant.FIXED, RandomGrant.SEEDED);
    /** The host's real clocks and a cryptographically strong random source. */
    public static final Grants ALL = new Grants(ClockGrant.REAL, RandomGrant.REAL);

    /** The clock grant. */
    public enum ClockGrant {
        /** Clock reads and sleeps fail with {@code ENOTCAPABLE}. */
        DENIED,
        /**
         * Every call starts at time 0 (the Unix epoch for the real-time clock, 0 for the others);
         * time moves only by what the call itself sleeps in {@code poll_oneoff}, without sleeping.
         */
        FIXED,
        /** The host's clocks; sleeps really sleep, bounded by the instance's deadline and interrupt. */
        REAL
    }

    /** The random grant. */
    public enum RandomGrant {
        /** {@code random_get} fails with {@code ENOTCAPABLE}; {@code env.seed} traps. */
        DENIED,
        /** A fixed-seed stream, restarted at each call: the same call gets the same bytes. */
        SEEDED,
        /** {@link java.security.SecureRandom}. */
        REAL
    }

    public Grants {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }

    public Grants withClock(ClockGrant c) {
        return new Grants(c, random);
    }

    public Grants withRandom(RandomGrant r) {
        return new Grants(clock, r);
    }

    /**
     * Parses {@code none}, {@code deterministic}, {@code all}, or a comma-separated list of
     * {@code clock=denied|fixed|real} and {@code random=denied|seeded|real} (either may be left
     * out: it keeps its value in {@code base}). Case and spaces are ignored.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Grants parse(String text, Grants base) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "none": return NONE;
            case "deterministic": return DETERMINISTIC;
            case "all": return ALL;
            default: break;
        }
        Grants g = base;
        for (String part : s.split(",")) {
            String[] kv = part.split("=", -1);
            if (kv.length != 2) {
                throw new IllegalArgumentException("invalid grant \"" + part.trim()
                        + "\": expected none, deterministic, all, or clock=denied|fixed|real,random=denied|seeded|real");
            }
            String key = kv[0].trim();
            String value = kv[1].trim().toUpperCase(Locale.ROOT);
            try {
                if (key.equals("clock")) {
                    g = g.withClock(ClockGrant.valueOf(value));
                } else if (key.equals("random")) {
                    g = g.withRandom(RandomGrant.valueOf(value));
                } else {
                    throw new IllegalArgumentException("unknown grant \"" + key + "\" (known: clock, random)");
                }
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("unknown grant")) {
                    throw e;
                }
                throw new IllegalArgumentException("invalid value \"" + kv[1].trim() + "\" for grant " + key
                        + (key.equals("clock") ? " (denied, fixed, real)" : " (denied, seeded, real)"));
            }
        }
        return g;
    }

    /** The canonical text, e.g. {@code clock=fixed,random=seeded}, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return "clock=" + clock.name().toLowerCase(Locale.ROOT) + ",random=" + random.name().toLowerCase(Locale.ROOT);
    }
}
