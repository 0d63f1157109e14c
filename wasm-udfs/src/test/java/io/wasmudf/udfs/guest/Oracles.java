package io.wasmudf.udfs.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The independent oracles the UDF tests compare with: the real PostgreSQL 15 and Node.js (V8, npm packages). */
public final class Oracles {
    private Oracles() {}

    /**
     * A connection to the PostgreSQL at PGHOST/PGPORT (default 127.0.0.1:5432, user postgres,
     * database test); skips the test, loudly, when there is none.
     */
    public static Connection postgres(String test) {
        String url = "jdbc:postgresql://" + System.getenv().getOrDefault("PGHOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("PGPORT", "5432") + "/" + System.getenv().getOrDefault("PGDATABASE", "test");
        Properties p = new Properties();
        p.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        if (System.getenv("PGPASSWORD") != null) {
            p.setProperty("password", System.getenv("PGPASSWORD"));
        }
        p.setProperty("connectTimeout", "5");
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            System.err.println(test + ": SKIPPED, no PostgreSQL at " + url + " to compare with (" + e.getMessage() + ")");
            Assumptions.abort("no PostgreSQL at " + url);
            return null;
        }
    }

    /** The wasm-udfs directory (tests run with it as the working directory). */
    public static Path moduleDir() {
        return Path.of("").toAbsolutePath();
    }

    /**
     * Runs {@code script} under node with {@code input} on stdin and returns its output lines;
     * skips loudly when node is missing. The script may {@code require} packages of
     * assemblyscript/node_modules (installed by build.sh or {@code npm ci}).
     */
    public static List<String> node(String test, String script, String input) {
        Path dir = moduleDir().resolve("assemblyscript");
        try {
            Path file = Files.createTempFile("oracle", ".cjs");
            Files.writeString(file, script);
            ProcessBuilder pb = new ProcessBuilder("node", file.toString()).directory(dir.toFile());
            pb.environment().put("NODE_PATH", dir.resolve("node_modules").toString());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                System.err.println(test + ": SKIPPED, 'node' is not on the PATH (install Node.js for the V8 oracle)");
                Assumptions.abort("node is not on the PATH");
                return null;
            }
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("node oracle did not finish");
            }
            Files.deleteIfExists(file);
            if (p.exitValue() != 0 && err.contains("Cannot find module")) {
                System.err.println(test + ": SKIPPED, the oracle's npm package is not installed (cd wasm-udfs/assemblyscript && npm ci): " + err.lines().findFirst().orElse(""));
                Assumptions.abort("npm package missing");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("node oracle failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
