package io.wasmudf.h2;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.OutputSink;

/**
 * The host environments (WASI preview1, AssemblyScript's {@code env}, {@code wasmudf}; docs/WASI.md)
 * that instances of SQL functions run in: one per instance, with the function's grants and its
 * session's output, so nothing of one session or database is shared with another.
 */
final class GuestHosts {
    private GuestHosts() {}

    /** The environment of an instance serving a session: its output goes to the session's statements. */
    static HostEnvironment forSession(Grants grants, OutputSink output) {
        return HostEnvironment.builder().grants(grants).output(output).build();
    }

    /** The environment of CREATE FUNCTION's trial instantiation: what initialisation writes is dropped. */
    static HostEnvironment trial(Grants grants) {
        return HostEnvironment.builder().grants(grants).build();
    }
}
