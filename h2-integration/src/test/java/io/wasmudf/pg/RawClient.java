package io.wasmudf.pg;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A byte-level protocol client for tests: sends hand-built (or broken) messages, reads raw replies. */
final class RawClient implements AutoCloseable {
    /** One backend message. */
    record Msg(char type, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The value of an ErrorResponse/NoticeResponse field ('C' = SQLSTATE, 'M' = message), or null. */
        String field(char code) {
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char f = (char) body[i];
                int end = i + 1;
                while (body[end] != 0) {
                    end++;
                }
                if (f == code) {
                    return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
                }
                i = end + 1;
            }
            return null;
        }
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] r = new byte[b.length + 1];
        System.arraycopy(b, 0, r, 0, b.length);
        return r;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] int16(int v) {
        return ByteBuffer.allocate(2).putShort((short) v).array();
    }

    static byte[] int32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    /** A framed message: type, length, body. */
    static byte[] message(char type, byte[] body) {
        return concat(new byte[] {(byte) type}, int32(body.length + 4), body);
    }

    static byte[] startupPacket(String user, String db) {
        byte[] body = concat(int32(196608), cstr("user"), cstr(user), cstr("database"), cstr(db), new byte[] {0});
        return concat(int32(body.length + 4), body);
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(char type, byte[] body) throws IOException {
        sendRaw(message(type, body));
    }

    /** Startup with trust authentication; returns the messages up to and including ReadyForQuery. */
    List<Msg> startup(String user, String db) throws IOException {
        sendRaw(startupPacket(user, db));
        return readUntil('Z');
    }

    Msg read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("server closed the connection");
        }
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return new Msg((char) type, body);
    }

    /** Reads messages until one of the given type (inclusive). */
    List<Msg> readUntil(char type) throws IOException {
        List<Msg> msgs = new ArrayList<>();
        while (true) {
            Msg m = read();
            msgs.add(m);
            if (m.type == type) {
                return msgs;
            }
        }
    }

    /** Reads until the server closes the connection; returns what arrived before. */
    List<Msg> readUntilClosed() throws IOException {
        List<Msg> msgs = new ArrayList<>();
        try {
            while (true) {
                msgs.add(read());
            }
        } catch (EOFException | SocketTimeoutException e) {
            return msgs;
        } catch (IOException e) {
            return msgs; // connection reset also counts as closed
        }
    }

    List<Msg> query(String sql) throws IOException {
        send('Q', cstr(sql));
        return readUntil('Z');
    }

    static byte[] parse(String name, String sql, int... oids) {
        byte[] types = new byte[0];
        for (int oid : oids) {
            types = concat(types, int32(oid));
        }
        return concat(cstr(name), cstr(sql), int16(oids.length), types);
    }

    /** Bind with one format code for all parameters and one for all results. */
    static byte[] bind(String portal, String stmt, int paramFormat, List<byte[]> values, int resultFormat) {
        byte[] b = concat(cstr(portal), cstr(stmt), int16(1), int16(paramFormat), int16(values.size()));
        for (byte[] v : values) {
            b = v == null ? concat(b, int32(-1)) : concat(b, int32(v.length), v);
        }
        return concat(b, int16(1), int16(resultFormat));
    }

    static byte[] execute(String portal, int maxRows) {
        return concat(cstr(portal), int32(maxRows));
    }

    static byte[] describe(char kind, String name) {
        return concat(new byte[] {(byte) kind}, cstr(name));
    }

    static String types(List<Msg> msgs) {
        StringBuilder sb = new StringBuilder();
        for (Msg m : msgs) {
            sb.append(m.type);
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
