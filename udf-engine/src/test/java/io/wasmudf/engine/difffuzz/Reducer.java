package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A quick in-process reduction before binaryen's {@code wasm-reduce} (which restarts the JVM and
 * node for every candidate, seconds each): function bodies are replaced by {@code unreachable},
 * one at a time from the last, keeping each replacement under which the module still fails the
 * same way. What is left is usually the one function that shows the bug, which {@code wasm-reduce}
 * then shrinks in minutes instead of hours.
 */
final class Reducer {
    private static final byte[] STUB = {0, 0x00, 0x0B}; // no locals, unreachable, end

    private Reducer() {}

    /** The failure classes of {@code wasm} (e.g. {@code outlined200 | compile: ...}), empty when it agrees with V8. */
    static Set<String> classes(DiffFuzz fuzz, byte[] wasm, long seed) {
        DiffFuzz.Report report = new DiffFuzz.Report();
        try {
            fuzz.check(wasm, seed, "candidate", report);
        } catch (Exception e) {
            return Set.of("harness: " + e);
        }
        java.util.TreeSet<String> classes = new java.util.TreeSet<>();
        report.failures.forEach(f -> classes.add(f.config() + " | " + f.failureClass()));
        return classes;
    }

    /** {@code wasm} with as many bodies stubbed as {@code stillFails} allows. */
    static byte[] stubBodies(byte[] wasm, Predicate<byte[]> stillFails) {
        List<byte[]> bodies = bodies(wasm);
        for (int i = bodies.size() - 1; i >= 0; i--) {
            if (java.util.Arrays.equals(bodies.get(i), STUB)) {
                continue;
            }
            List<byte[]> candidate = new ArrayList<>(bodies);
            candidate.set(i, STUB);
            byte[] module = withBodies(wasm, candidate);
            if (stillFails.test(module)) {
                bodies = candidate;
                wasm = module;
            }
        }
        return wasm;
    }

    private static List<byte[]> bodies(byte[] wasm) {
        List<byte[]> bodies = new ArrayList<>();
        int[] code = codeSection(wasm);
        if (code == null) {
            return bodies;
        }
        int[] pos = {code[0]};
        int count = u32(wasm, pos);
        for (int i = 0; i < count; i++) {
            int size = u32(wasm, pos);
            bodies.add(java.util.Arrays.copyOfRange(wasm, pos[0], pos[0] + size));
            pos[0] += size;
        }
        return bodies;
    }

    private static byte[] withBodies(byte[] wasm, List<byte[]> bodies) {
        int[] code = codeSection(wasm);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        ModuleBytes.writeU32(content, bodies.size());
        for (byte[] b : bodies) {
            ModuleBytes.writeU32(content, b.length);
            content.writeBytes(b);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(wasm, 0, code[2]);
        ModuleBytes.section(out, 10, content);
        out.write(wasm, code[1], wasm.length - code[1]);
        return out.toByteArray();
    }

    /** {content start, section end, section start} of the code section, or null. */
    private static int[] codeSection(byte[] wasm) {
        int[] pos = {8};
        while (pos[0] < wasm.length) {
            int start = pos[0];
            int id = wasm[pos[0]++] & 0xFF;
            int size = u32(wasm, pos);
            if (id == 10) {
                return new int[] {pos[0], pos[0] + size, start};
            }
            pos[0] += size;
        }
        return null;
    }

    private static int u32(byte[] b, int[] pos) {
        int v = 0;
        int shift = 0;
        while (true) {
            int x = b[pos[0]++] & 0xFF;
            v |= (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
            shift += 7;
        }
    }
}
