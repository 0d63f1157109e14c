package io.wasmudf.engine.host;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Grants;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The test modules under {@code host/} and a sink that records lines. */
final class HostTestSupport {
    static final Engine UNTRUSTED = Engine.builder().untrusted().build();

    private HostTestSupport() {}

    static byte[] bytes(String name) {
        try (InputStream in = HostTestSupport.class.getResourceAsStream("/io/wasmudf/engine/host/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CompiledModule module(String name) {
        return UNTRUSTED.compile(bytes(name));
    }

    /** Records every line the guest outputs as "KIND: text". */
    static final class Lines implements OutputSink {
        final List<String> lines = new ArrayList<>();

        @Override
        public void line(Kind kind, String text) {
            lines.add(kind + ": " + text);
        }
    }

    /** The probe module ({@code probe.wat}: every host function re-exported) under {@code grants}. */
    static HostedInstance probe(Grants grants, OutputSink sink) {
        HostEnvironment env = HostEnvironment.builder().grants(grants).output(sink).build();
        return env.instantiate(module("probe.wasm"), UNTRUSTED.defaultLimits());
    }

    static int call(HostedInstance h, String name, Object... args) {
        return (Integer) h.call(name, args)[0];
    }

    static Memory memory(HostedInstance h) {
        return h.instance().memory("memory");
    }

    /** Writes {@code s} at {@code addr}; returns its byte length. */
    static int put(HostedInstance h, int addr, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        memory(h).write(addr, b, 0, b.length);
        return b.length;
    }

    /** Writes one iovec {@code (buf, len)} at {@code at}. */
    static void iovec(HostedInstance h, int at, int buf, int len) {
        memory(h).writeInt(at, buf);
        memory(h).writeInt(at + 4, len);
    }
}
