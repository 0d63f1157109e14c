package io.wasmudf.h2;

import io.wasmudf.engine.OutputSink;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * What the guests of one session wrote (WASI stdout/stderr, AssemblyScript's {@code trace},
 * {@code wasmudf.notice}/{@code warning}) since the statement that collects it began. The wrapped
 * statement ({@link JdbcWrappers}) turns it into {@link SQLWarning}s: SQLSTATE 00000 for what
 * PostgreSQL would send as a NOTICE, 01000 for a WARNING; the wire server sends those as
 * NoticeResponses. Bounded on its own (the host bounds each instance per statement; this bounds
 * a session that nobody collects from, e.g. calls through H2's own tools).
 */
final class GuestOutput {
    /** Characters kept between collections; the rest is dropped with one note. */
    static final int MAX_CHARS = 1 << 20;
    /** SQLSTATE of a NOTICE line (successful_completion, as PostgreSQL's NOTICEs carry). */
    static final String NOTICE_STATE = "00000";
    /** SQLSTATE of a WARNING line (warning). */
    static final String WARNING_STATE = "01000";

    private final List<SQLWarning> lines = new ArrayList<>();
    private int chars;
    private boolean dropped;

    /**
     * The sink of one instance: it names the function that was called last, since an instance
     * serves every function of its module (for output written during initialisation: the one
     * whose first call instantiated it).
     */
    final class Source implements OutputSink {
        private String function;

        Source(String function) {
            this.function = function;
        }

        /** The function the following lines are written by; on the session's thread. */
        void calling(String function) {
            this.function = function;
        }

        @Override
        public void line(Kind kind, String text) {
            GuestOutput.this.line(function, kind, text);
        }
    }

    /** A sink for a new instance, first serving {@code function} (its name as messages show it). */
    Source source(String function) {
        return new Source(function);
    }

    private synchronized void line(String function, OutputSink.Kind kind, String text) {
        if (chars + text.length() > MAX_CHARS) {
            if (!dropped) {
                dropped = true;
                lines.add(new SQLWarning("guest output truncated: more than " + MAX_CHARS + " characters were not collected", WARNING_STATE));
            }
            return;
        }
        chars += text.length();
        lines.add(new SQLWarning(prefix(function, kind) + text, warning(kind) ? WARNING_STATE : NOTICE_STATE));
    }

    /**
     * Where a line came from, as the user reads it: notices and warnings the guest raised
     * ({@code wasmudf.notice}) go as written, like PL/pgSQL's RAISE NOTICE; the rest names the
     * function and the stream.
     */
    private static String prefix(String function, OutputSink.Kind kind) {
        switch (kind) {
            case STDOUT: return "function " + function + ": stdout: ";
            case STDERR: return "function " + function + ": stderr: ";
            case TRACE: case TRUNCATED: return "function " + function + ": ";
            default: return "";
        }
    }

    private static boolean warning(OutputSink.Kind kind) {
        return kind == OutputSink.Kind.WARNING || kind == OutputSink.Kind.TRUNCATED;
    }

    /** The lines collected so far, in order, and forgets them. */
    synchronized List<SQLWarning> take() {
        if (lines.isEmpty()) {
            return List.of();
        }
        List<SQLWarning> out = new ArrayList<>(lines);
        lines.clear();
        chars = 0;
        dropped = false;
        return out;
    }
}
