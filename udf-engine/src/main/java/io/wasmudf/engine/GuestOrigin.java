package io.wasmudf.engine;

/**
 * Tells whether a JVM exception thrown inside a guest call was raised by the guest: by compiled
 * guest code itself (an array bounds check on linear memory, an integer division) or by one of the
 * runtime helpers that act for it (memory, table and arithmetic helpers). Decided by the first
 * stack frame outside the JDK, once, when a call fails; the hot path pays nothing.
 */
final class GuestOrigin {
    /** Generated module classes ({@code io.wasmudf.gen.WasmModuleN} and their parts). */
    private static final String GENERATED = "io.wasmudf.gen.";
    /** Runtime helpers that compiled code calls and that raise JVM exceptions on the guest's behalf. */
    private static final String[] HELPERS = {
        "io.wasmudf.engine.internal.runtime.Mem",
        "io.wasmudf.engine.internal.runtime.Ops",
        "io.wasmudf.engine.internal.runtime.Tables",
    };

    private GuestOrigin() {}

    /**
     * True if {@code t} was raised by guest code or a helper acting for it. An exception without a
     * stack trace counts as the guest's: HotSpot drops the trace of implicit exceptions that
     * compiled code throws repeatedly ({@code -XX:+OmitStackTraceInFastThrow}, on by default),
     * which happens to a guest trapping row after row, while the engine's own code raises none
     * on a path that hot.
     */
    static boolean isGuest(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        if (trace.length == 0) {
            return true;
        }
        for (StackTraceElement frame : trace) {
            String c = frame.getClassName();
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                continue; // array view VarHandles, System.arraycopy, Arrays.fill, Preconditions…
            }
            if (c.startsWith(GENERATED)) {
                return true;
            }
            for (String helper : HELPERS) {
                if (c.equals(helper)) {
                    return true;
                }
            }
            return false;
        }
        return false;
    }

    /** {@code t} as the engine defect it is. */
    static EngineBugException bug(Throwable t) {
        return new EngineBugException("the engine failed during a guest call: " + t, t);
    }
}
