package io.wasmudf.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * What a COMMIT acknowledged through {@code jdbc:wasm:} survives. H2 2.4 by default writes
 * committed transactions to the file up to 500 ms later (WRITE_DELAY), so a killed process loses
 * the last half second of acknowledged commits. The driver opens every persistent database with
 * PostgreSQL's default instead: {@code WASM_SYNCHRONOUS_COMMIT=ON}, each commit is written to the
 * file before it returns, so it survives the process being killed ({@code kill -9}); OFF restores
 * H2's delay (faster, like PostgreSQL's synchronous_commit = off). The written file may still sit
 * in the operating system's cache: {@code WASM_FSYNC=ON} also forces it to disk at every commit
 * (PostgreSQL's fsync), so commits survive a power loss too. Both are URL settings or connection
 * properties; the connection that opens the database in this JVM decides, as for the limits (its
 * {@link CatalogService} keeps them, so nothing here is JVM-wide). An explicit H2
 * {@code WRITE_DELAY} in the URL is left to H2.
 */
final class Durability {
    static final String SYNCHRONOUS_COMMIT = "WASM_SYNCHRONOUS_COMMIT";
    static final String FSYNC = "WASM_FSYNC";
    /** H2's own default write delay, for WASM_SYNCHRONOUS_COMMIT=OFF. */
    private static final int H2_DEFAULT_WRITE_DELAY = 500;

    private final boolean synchronousCommit;
    private final boolean fsync;
    private final boolean h2WriteDelay;

    private Durability(boolean synchronousCommit, boolean fsync, boolean h2WriteDelay) {
        this.synchronousCommit = synchronousCommit;
        this.fsync = fsync;
        this.h2WriteDelay = h2WriteDelay;
    }

    /** Takes the two settings out of the URL and the properties (H2 does not know them); 22023 for a bad value. */
    static Durability extract(String[] url, Properties info) throws SQLException {
        Boolean sync = null;
        Boolean fsync = null;
        if (info != null) {
            sync = bool(SYNCHRONOUS_COMMIT, info.remove(SYNCHRONOUS_COMMIT), sync);
            fsync = bool(FSYNC, info.remove(FSYNC), fsync);
        }
        String[] parts = url[0].split(";", -1);
        StringBuilder kept = new StringBuilder(parts[0]);
        boolean writeDelay = false;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String name = eq < 0 ? "" : parts[i].substring(0, eq).trim().toUpperCase(Locale.ROOT);
            if (name.equals(SYNCHRONOUS_COMMIT)) {
                sync = bool(name, parts[i].substring(eq + 1), sync);
            } else if (name.equals(FSYNC)) {
                fsync = bool(name, parts[i].substring(eq + 1), fsync);
            } else {
                writeDelay |= name.equals("WRITE_DELAY");
                kept.append(';').append(parts[i]);
            }
        }
        url[0] = kept.toString();
        return new Durability(sync == null || sync, fsync != null && fsync, writeDelay);
    }

    private static Boolean bool(String name, Object value, Boolean previous) throws SQLException {
        if (value == null) {
            return previous;
        }
        switch (String.valueOf(value).trim().toUpperCase(Locale.ROOT)) {
            case "ON": case "TRUE": case "YES": case "1":
                return true;
            case "OFF": case "FALSE": case "NO": case "0":
                return false;
            default:
                throw new SQLException("invalid value for " + name + ": \"" + value + "\" (ON or OFF)", "22023");
        }
    }

    /** Applies the write delay to the database of {@code raw}, which is being opened in this JVM (by its catalog service). */
    void apply(Connection raw) {
        Database db = database(raw);
        if (db != null && db.isPersistent() && !h2WriteDelay) {
            db.setWriteDelay(synchronousCommit ? 0 : H2_DEFAULT_WRITE_DELAY);
        }
    }

    /** After a commit in {@code database} (H2's): forces the file to disk when it runs with WASM_FSYNC=ON. */
    void afterCommit(Object database) {
        Database db = (Database) database;
        if (fsync && db.isPersistent() && !db.isClosing()) {
            db.getStore().sync();
        }
    }

    private static Database database(Connection raw) {
        return raw instanceof JdbcConnection j && j.getSession() instanceof SessionLocal s ? s.getDatabase() : null;
    }
}
