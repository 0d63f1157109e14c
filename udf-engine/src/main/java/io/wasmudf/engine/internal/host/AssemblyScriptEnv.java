package io.wasmudf.engine.internal.host;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.OutputSink;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;

/**
 * The {@code env} imports AssemblyScript's default build makes: {@code abort} traps with the
 * decoded message and location, {@code trace} goes to the output sink, {@code seed} follows the
 * random grant. Strings are AssemblyScript's: UTF-16LE at the pointer, their byte length in the
 * object header's {@code rtSize} four bytes before it.
 */
final class AssemblyScriptEnv {
    private AssemblyScriptEnv() {}

    @HostFunction
    static void abort(HostState h, int message, int fileName, int line, int column) {
        String msg = string(h, message);
        String file = string(h, fileName);
        throw new Trap(TrapKind.ABORT, (msg == null ? "(no message)" : msg) + " at " + (file == null ? "(unknown)" : file)
                + ":" + Integer.toUnsignedString(line) + ":" + Integer.toUnsignedString(column));
    }

    @HostFunction
    static void trace(HostState h, int message, int n, double a0, double a1, double a2, double a3, double a4) {
        h.enter();
        StringBuilder b = new StringBuilder("trace: ").append(string(h, message));
        double[] args = {a0, a1, a2, a3, a4};
        for (int i = 0; i < Math.min(Math.max(n, 0), 5); i++) {
            b.append(i == 0 ? " " : ", ").append(jsNumber(args[i]));
        }
        h.output.line(OutputSink.Kind.TRACE, b.toString());
    }

    @HostFunction
    static double seed(HostState h) {
        if (h.grants.random() == Grants.RandomGrant.DENIED) {
            throw new Trap(TrapKind.HOST_ERROR, "env.seed: random numbers are not granted to this function");
        }
        h.enter();
        return h.randomDouble();
    }

    /** An AssemblyScript string, null for a null pointer; a header or length outside memory traps. */
    static String string(HostState h, int ptr) {
        if (ptr == 0) {
            return null;
        }
        try {
            int bytes = h.readI32(ptr - 4);
            long len = Integer.toUnsignedLong(bytes) & ~1L;
            byte[] mem = h.memory();
            int at = h.check(mem, ptr, len);
            int keep = (int) Math.min(len, h.settings.maxMessageBytes()) & ~1;
            char[] chars = new char[keep / 2];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) ((mem[at + 2 * i] & 0xFF) | (mem[at + 2 * i + 1] & 0xFF) << 8);
            }
            return keep < len ? new String(chars) + "…" : new String(chars);
        } catch (Fault f) {
            throw HostState.outOfBounds("env.abort/trace", "an AssemblyScript string at " + Integer.toUnsignedString(ptr));
        }
    }

    /** How JavaScript prints a number (what AssemblyScript's own loader shows): 1, not 1.0. */
    private static String jsNumber(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
            return d == 0 && 1 / d < 0 ? "0" : Long.toString((long) d);
        }
        return Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : Double.toString(d);
    }
}
