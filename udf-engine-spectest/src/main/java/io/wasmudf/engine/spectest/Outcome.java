package io.wasmudf.engine.spectest;

/**
 * The result of one script command: its source line, command type, status and, for failures and
 * skips, the reason. {@code warning} notes a pass that is not exact (e.g. a different error text).
 */
record Outcome(int line, String command, Status status, String reason, String warning) {

    /** Whether a command behaved as the script expects. */
    enum Status { PASSED, FAILED, SKIPPED }

    static Outcome passed(int line, String command) {
        return new Outcome(line, command, Status.PASSED, null, null);
    }

    static Outcome passedWithWarning(int line, String command, String warning) {
        return new Outcome(line, command, Status.PASSED, null, warning);
    }

    static Outcome failed(int line, String command, String reason) {
        return new Outcome(line, command, Status.FAILED, reason, null);
    }

    static Outcome skipped(int line, String command, String reason) {
        return new Outcome(line, command, Status.SKIPPED, reason, null);
    }

    /** One line for reports, e.g. {@code line 42 assert_return: expected i32:1(0x1) but got i32:0(0x0)}. */
    String describe() {
        String text = status == Status.PASSED ? "warning: " + warning : reason;
        return "line " + line + " " + command + ": " + text;
    }
}
