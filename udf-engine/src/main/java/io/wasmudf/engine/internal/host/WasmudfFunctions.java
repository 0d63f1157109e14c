package io.wasmudf.engine.internal.host;

import io.wasmudf.engine.GuestRaisedException;
import io.wasmudf.engine.OutputSink;

/**
 * The {@code wasmudf} import module, WasmUDF's own host functions: raise an SQL error with an
 * SQLSTATE of the guest's choice, and send a notice or a warning. Strings are UTF-8
 * {@code (ptr, len)}; one outside memory traps (these functions have no errno).
 */
final class WasmudfFunctions {
    private WasmudfFunctions() {}

    @HostFunction
    static void raise_error(HostState h, int sqlStatePtr, int sqlStateLen, int messagePtr, int messageLen) {
        String state = text(h, "raise_error", "the SQLSTATE", sqlStatePtr, sqlStateLen, 16);
        String message = text(h, "raise_error", "the message", messagePtr, messageLen, h.settings.maxMessageBytes());
        h.flushOutput();
        String why = invalidSqlState(state);
        if (why != null) {
            throw new GuestRaisedException("38000", "invalid SQLSTATE \"" + state + "\" passed to wasmudf.raise_error (" + why + "): " + message);
        }
        throw new GuestRaisedException(state, message);
    }

    @HostFunction
    static void notice(HostState h, int messagePtr, int messageLen) {
        h.enter();
        h.output.line(OutputSink.Kind.NOTICE, text(h, "notice", "the message", messagePtr, messageLen, h.settings.maxMessageBytes()));
    }

    @HostFunction
    static void warning(HostState h, int messagePtr, int messageLen) {
        h.enter();
        h.output.line(OutputSink.Kind.WARNING, text(h, "warning", "the message", messagePtr, messageLen, h.settings.maxMessageBytes()));
    }

    /** Why {@code s} is not an error SQLSTATE, or null when it is one. */
    static String invalidSqlState(String s) {
        if (s.length() != 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'A' && c <= 'Z')) {
            return "five digits or upper-case letters expected";
        }
        if (s.startsWith("00") || s.startsWith("01") || s.startsWith("02")) {
            return "class " + s.substring(0, 2) + " is not an error";
        }
        return null;
    }

    private static String text(HostState h, String function, String what, int ptr, int len, int max) {
        try {
            return h.utf8(ptr, len, max);
        } catch (Fault f) {
            throw HostState.outOfBounds("wasmudf." + function, what + " (" + Integer.toUnsignedString(ptr) + ", "
                    + Integer.toUnsignedString(len) + ")");
        }
    }
}
