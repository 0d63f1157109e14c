package io.wasmudf.sql;

/** PostgreSQL's function volatility; only {@link #IMMUTABLE} lets H2 fold calls with constant arguments. */
public enum Volatility {
    IMMUTABLE, STABLE, VOLATILE
}
