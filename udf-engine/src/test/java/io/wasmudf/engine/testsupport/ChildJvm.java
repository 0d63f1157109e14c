package io.wasmudf.engine.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's class run in a new JVM, for what a JVM fixes once: settings read when a class loads,
 * JVM options (-XX, --add-modules), a restart between writing and reading a cache.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * The tests' class path as a plain class path: surefire may run the tests on the module path,
     * the child takes everything as a class path.
     */
    public static String classPath() {
        return String.join(File.pathSeparator, List.of(System.getProperty("jdk.module.path", ""),
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
    }

    /** {@link #run(List, String, Class, String...)} on the tests' class path. */
    public static String run(List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        return run(jvmOptions, classPath(), main, args);
    }

    /**
     * The output (standard output and error together) of {@code main} run with {@code args} in a
     * JVM with {@code jvmOptions} on {@code classPath}; asserts that it ended within two minutes
     * and with exit code 0.
     */
    public static String run(List<String> jvmOptions, String classPath, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        // into a file, not a pipe: a chatty child (class-loading logs) cannot block on a full pipe
        // while the timeout still bounds a child that hangs
        Path log = Files.createTempFile("child-jvm", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "the child JVM did not finish: " + out);
            assertEquals(0, p.exitValue(), "the child JVM failed: " + out);
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
