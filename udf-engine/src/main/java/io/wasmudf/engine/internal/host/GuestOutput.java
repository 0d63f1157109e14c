package io.wasmudf.engine.internal.host;

import io.wasmudf.engine.OutputSink;
import io.wasmudf.engine.OutputSink.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A guest's output on its way to the {@link OutputSink}: cut into lines per stream and bounded per
 * call and per unit. Bytes past a limit are counted as written (so a guest does not retry them
 * forever) but dropped, and one {@link Kind#TRUNCATED} line says so. Nothing is buffered beyond the
 * limits, so a flood costs time (bounded by the call's deadline), not memory.
 */
final class GuestOutput {
    private final OutputSink sink;
    private final long perCall;
    private final long perUnit;
    private long callBytes;
    private long unitBytes;
    /** Whether the call's, and the unit's, truncation was reported (once each). */
    private boolean callReported;
    private boolean unitReported;
    /** The unfinished line of each stream. */
    private final ByteArrayOutputStream[] partial = new ByteArrayOutputStream[Kind.values().length];

    GuestOutput(OutputSink sink, long perCall, long perUnit) {
        this.sink = sink;
        this.perCall = perCall;
        this.perUnit = perUnit;
    }

    /** A new call: its own budget again; unfinished lines of the previous one are delivered. */
    void beginCall() {
        flush();
        callBytes = 0;
        callReported = unitReported;
    }

    /** A new unit (statement): both budgets again. */
    void beginUnit() {
        flush();
        callBytes = 0;
        unitBytes = 0;
        callReported = false;
        unitReported = false;
    }

    /** Delivers unfinished lines. */
    void flush() {
        for (Kind k : Kind.values()) {
            ByteArrayOutputStream p = partial[k.ordinal()];
            if (p != null && p.size() > 0) {
                deliver(k, p);
            }
        }
    }

    /** Takes {@code len} bytes of {@code buf} at {@code off} written to stream {@code kind}. */
    void write(Kind kind, byte[] buf, int off, int len) {
        int taken = (int) Math.min(len, Math.min(perCall - callBytes, perUnit - unitBytes));
        if (taken > 0) {
            callBytes += taken;
            unitBytes += taken;
            ByteArrayOutputStream p = partial[kind.ordinal()];
            if (p == null) {
                p = partial[kind.ordinal()] = new ByteArrayOutputStream();
            }
            int start = off;
            for (int i = off; i < off + taken; i++) {
                if (buf[i] == '\n') {
                    p.write(buf, start, i - start);
                    deliver(kind, p);
                    start = i + 1;
                }
            }
            p.write(buf, start, off + taken - start);
        }
        if (taken < len) {
            boolean unit = unitBytes >= perUnit;
            if (unit ? !unitReported : !callReported) {
                callReported = true;
                unitReported |= unit;
                flush();
                sink.line(Kind.TRUNCATED, "output truncated: more than " + (unit ? perUnit + " bytes in this statement" : perCall + " bytes in one call")
                        + "; the rest is dropped");
            }
        }
    }

    /** A whole line (trace, notice, warning): counted like written bytes. */
    void line(Kind kind, String text) {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        write(kind, b, 0, b.length);
    }

    private void deliver(Kind kind, ByteArrayOutputStream p) {
        String text = new String(p.toByteArray(), StandardCharsets.UTF_8);
        p.reset();
        sink.line(kind, text);
    }
}
