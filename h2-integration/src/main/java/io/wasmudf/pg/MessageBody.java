package io.wasmudf.pg;

import java.nio.charset.StandardCharsets;

/** Bounds-checked reader over one message's payload; any overrun is a protocol violation. */
final class MessageBody {
    final char type;
    private final byte[] data;
    private int pos;

    MessageBody(char type, byte[] data) {
        this.type = type;
        this.data = data;
    }

    int remaining() {
        return data.length - pos;
    }

    private void need(int n) throws ProtocolException {
        if (n < 0 || data.length - pos < n) {
            throw new ProtocolException("invalid message format: message '" + type + "' is too short");
        }
    }

    byte int8() throws ProtocolException {
        need(1);
        return data[pos++];
    }

    short int16() throws ProtocolException {
        need(2);
        short v = (short) (((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF));
        pos += 2;
        return v;
    }

    int int32() throws ProtocolException {
        need(4);
        int v = ((data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    byte[] bytes(int n) throws ProtocolException {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    /** A NUL-terminated UTF-8 string. */
    String cstring() throws ProtocolException {
        for (int i = pos; i < data.length; i++) {
            if (data[i] == 0) {
                String s = new String(data, pos, i - pos, StandardCharsets.UTF_8);
                pos = i + 1;
                return s;
            }
        }
        throw new ProtocolException("invalid string in message '" + type + "': missing terminator");
    }

    /** Fails unless the whole payload was consumed, as PostgreSQL does. */
    void end() throws ProtocolException {
        if (pos != data.length) {
            throw new ProtocolException("invalid message format: " + (data.length - pos) + " unexpected bytes in message '" + type + "'");
        }
    }
}
