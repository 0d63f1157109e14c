package io.wasmudf.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** The wasmudf command line run in-process with captured output, on a fresh file database under target/ per test. */
abstract class CliFixture {
    private final String dbPrefix;
    /** This test's database (not created yet: the first command creates it). */
    Path db;
    /** What the last {@link #run} printed on stdout and stderr. */
    String out;
    String err;

    CliFixture(String dbPrefix) {
        this.dbPrefix = dbPrefix;
    }

    @BeforeEach
    void freshDb() throws IOException {
        Path dir = Path.of("target", "test-dbs").toAbsolutePath();
        Files.createDirectories(dir);
        db = dir.resolve(dbPrefix + UUID.randomUUID().toString().replace("-", ""));
    }

    /** Runs {@code wasmudf args...}; returns its exit status. */
    int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8)).run(args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }
}
