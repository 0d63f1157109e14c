package io.wasmudf.udfs.guest;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Grants;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.OutputSink;
import io.wasmudf.udfs.UdfModules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A module of this jar instantiated in the engine's {@link HostEnvironment}, called the way the
 * SQL layer will call it: the canonical ABI of docs/ABI.md (text and bytea copied in through
 * {@code cabi_realloc}, results read from return areas). The test tree's stand-in for the SQL
 * bridges, so the UDFs are tested end to end through the engine API.
 */
public final class Guest implements AutoCloseable {
    /** The engine the SQL layer uses: interruptible, bounded call depth, capped memory. */
    public static final Engine ENGINE = Engine.builder().untrusted().build();

    private final HostedInstance hosted;
    /** Every line of output, "KIND: text". */
    public final List<String> output = new ArrayList<>();

    public Guest(String module, Grants grants) {
        this(UdfModules.bytes(module), grants);
    }

    public Guest(byte[] bytes, Grants grants) {
        OutputSink sink = (kind, line) -> output.add(kind + ": " + line);
        HostEnvironment env = HostEnvironment.builder().grants(grants).output(sink).build();
        this.hosted = env.instantiate(ENGINE.compile(bytes), ENGINE.defaultLimits());
    }

    public HostedInstance hosted() {
        return hosted;
    }

    private Memory memory() {
        return hosted.instance().memory("memory");
    }

    // ---- arguments -------------------------------------------------------------------------

    /** The flat core values of one argument. */
    public record Flat(Object... values) {}

    /** A non-NULL option argument: discriminant 1, then the value's flat values. */
    public static Flat some(Object v) {
        return new Flat(1, v);
    }

    /** A NULL text or bytea argument: discriminant 0 and (0, 0). */
    public static Flat nullText() {
        return new Flat(0, 0, 0);
    }

    /** A NULL 32-bit argument. */
    public static Flat nullI32() {
        return new Flat(0, 0);
    }

    private void lower(Object a, List<Object> out) {
        if (a instanceof Flat f) {
            for (Object v : f.values()) {
                lower(v, out);
            }
        } else if (a instanceof String s) {
            lowerBytes(s.getBytes(StandardCharsets.UTF_8), out);
        } else if (a instanceof byte[] b) {
            lowerBytes(b, out);
        } else if (a instanceof Boolean b) {
            out.add(b ? 1 : 0);
        } else {
            out.add(a);
        }
    }

    private void lowerBytes(byte[] b, List<Object> out) {
        int ptr = (Integer) hosted.instance().function("cabi_realloc").call(0, 0, 1, b.length)[0];
        memory().write(ptr, b, 0, b.length);
        out.add(ptr);
        out.add(b.length);
    }

    /** Calls {@code name} with arguments lowered (String as UTF-8 text, byte[] as bytea, {@link Flat} for options). */
    public Object call(String name, Object... args) {
        List<Object> flat = new ArrayList<>();
        hosted.beginCall();
        for (Object a : args) {
            lower(a, flat);
        }
        Object[] r = hosted.call(name, flat.toArray());
        return r.length == 0 ? null : r[0];
    }

    // ---- results -----------------------------------------------------------------------------

    public int i32(String name, Object... args) {
        return (Integer) call(name, args);
    }

    public long i64(String name, Object... args) {
        return (Long) call(name, args);
    }

    public double f64(String name, Object... args) {
        return (Double) call(name, args);
    }

    public boolean bool(String name, Object... args) {
        return i32(name, args) != 0;
    }

    public byte[] bytes(String name, Object... args) {
        int area = i32(name, args);
        return memory().read(memory().readInt(area), memory().readInt(area + 4));
    }

    public String text(String name, Object... args) {
        return new String(bytes(name, args), StandardCharsets.UTF_8);
    }

    /** An option&lt;text/bytea&gt; result: null for none. */
    public byte[] optBytes(String name, Object... args) {
        int area = i32(name, args);
        int disc = memory().readByte(area);
        if (disc == 0) {
            return null;
        }
        if (disc != 1) {
            throw new AssertionError("option discriminant " + disc);
        }
        return memory().read(memory().readInt(area + 4), memory().readInt(area + 8));
    }

    public String optText(String name, Object... args) {
        byte[] b = optBytes(name, args);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A packed option&lt;i32&gt; result: null for none. */
    public Integer packed32(String name, Object... args) {
        long v = i64(name, args);
        if (v >>> 32 == 0) {
            return null;
        }
        if (v >>> 32 != 1) {
            throw new AssertionError("packed discriminant " + (v >>> 32));
        }
        return (int) v;
    }

    @Override
    public void close() {
        hosted.close();
    }
}
