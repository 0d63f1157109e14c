package io.wasmudf.pg;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads framed frontend messages, refusing lengths outside sane limits before allocating. */
final class MessageReader {
    /** PostgreSQL refuses startup packets above this size too. */
    static final int MAX_STARTUP_LENGTH = 10_000;

    private final DataInputStream in;
    private volatile int maxMessageLength;

    MessageReader(InputStream in, int maxMessageLength) {
        this.in = new DataInputStream(in);
        this.maxMessageLength = maxMessageLength;
    }

    /** Raises (after authentication) or lowers the longest message accepted. */
    void setMaxMessageLength(int bytes) {
        this.maxMessageLength = bytes;
    }

    /** The untyped startup-phase packet (StartupMessage, SSLRequest, CancelRequest...), or null at EOF. */
    MessageBody readStartup() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        if (length < 8 || length > MAX_STARTUP_LENGTH) {
            throw new ProtocolException("invalid length of startup packet: " + length);
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new MessageBody('\0', body);
    }

    /** The next typed message; EOFException when the client went away. */
    MessageBody read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException();
        }
        int length = in.readInt();
        if (length < 4) {
            throw new ProtocolException("invalid message length " + length + " for message type '" + printable(type) + "'");
        }
        if (length - 4 > maxMessageLength) {
            throw new ProtocolException("message of type '" + printable(type) + "' is too long: " + length + " bytes (limit " + maxMessageLength + ")");
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new MessageBody((char) type, body);
    }

    private static String printable(int type) {
        return type >= 32 && type < 127 ? String.valueOf((char) type) : String.format("\\x%02x", type);
    }
}
