package io.wasmudf.engine;

/**
 * Receives what a guest writes for people to read: WASI {@code fd_write} to stdout and stderr,
 * AssemblyScript's {@code env.trace}, and the {@code wasmudf} notices and warnings, one line at
 * a time (without its newline, decoded as UTF-8), on the thread that runs the guest. The volume is
 * bounded by {@link HostEnvironment}: past the limit a single {@link Kind#TRUNCATED} line says
 * what was dropped. An SQL layer turns the lines into NOTICEs or warnings.
 */
@FunctionalInterface
public interface OutputSink {
    /** Drops everything. */
    OutputSink DISCARD = (kind, line) -> { };

    /** Where a line came from. */
    enum Kind {
        /** WASI fd 1. */
        STDOUT,
        /** WASI fd 2. */
        STDERR,
        /** AssemblyScript's {@code env.trace}. */
        TRACE,
        /** {@code wasmudf.notice}. */
        NOTICE,
        /** {@code wasmudf.warning}. */
        WARNING,
        /** The host's own line: output was dropped because a limit was reached. */
        TRUNCATED
    }

    /** One line of guest output. */
    void line(Kind kind, String text);
}
