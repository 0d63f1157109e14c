package io.wasmudf.engine.internal.decode;

import java.io.ByteArrayOutputStream;

/** Builds small binary modules by hand for decoder tests; byte values are given as ints. */
final class Wasm {
    private Wasm() {}

    static final int[] HEADER = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A module: the header followed by the given sections. */
    static byte[] module(byte[]... sections) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(HEADER));
        for (byte[] s : sections) {
            out.writeBytes(s);
        }
        return out.toByteArray();
    }

    /** A section with its size computed from the contents. */
    static byte[] section(int id, int... contents) {
        return section(id, bytes(contents));
    }

    static byte[] section(int id, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id);
        out.writeBytes(u32(contents.length));
        out.writeBytes(contents);
        return out.toByteArray();
    }

    /** A function body (locals and code) prefixed with its size. */
    static byte[] body(int... localsAndCode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(u32(localsAndCode.length));
        out.writeBytes(bytes(localsAndCode));
        return out.toByteArray();
    }

    /** A code section holding the given bodies. */
    static byte[] code(byte[]... bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(u32(bodies.length));
        for (byte[] b : bodies) {
            out.writeBytes(b);
        }
        return section(10, out.toByteArray());
    }

    /** Type section with one type {@code () -> ()} and a function section declaring {@code n} functions of it. */
    static byte[][] voidFunctions(int n) {
        int[] funcs = new int[n + 1];
        funcs[0] = n;
        return new byte[][] {section(1, 0x01, 0x60, 0x00, 0x00), section(3, funcs)};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] u32(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
        return out.toByteArray();
    }
}
