package io.wasmudf.engine.internal.host;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.OutputSink;

/**
 * What a {@code HostEnvironment} was built with, as the host functions read it.
 *
 * @param maxOutputPerCall  bytes of output one call may produce before the rest is dropped
 * @param maxOutputPerUnit  bytes of output one unit (an SQL statement) may produce
 * @param maxMessageBytes   bytes of a {@code wasmudf.raise_error} message or an AssemblyScript abort string kept
 */
public record HostSettings(Grants grants, OutputSink sink, long maxOutputPerCall, long maxOutputPerUnit, int maxMessageBytes) {}
