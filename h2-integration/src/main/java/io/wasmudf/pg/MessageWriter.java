package io.wasmudf.pg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds backend messages into a buffer that is written out on flush (or when it grows large). */
final class MessageWriter {
    private static final int AUTO_FLUSH = 64 * 1024;

    private final OutputStream out;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
    private final ByteArrayOutputStream message = new ByteArrayOutputStream(256);
    private char type;

    MessageWriter(OutputStream out) {
        this.out = out;
    }

    MessageWriter begin(char type) {
        this.type = type;
        message.reset();
        return this;
    }

    MessageWriter int8(int v) {
        message.write(v);
        return this;
    }

    MessageWriter int16(int v) {
        message.write(v >>> 8);
        message.write(v);
        return this;
    }

    MessageWriter int32(int v) {
        message.write(v >>> 24);
        message.write(v >>> 16);
        message.write(v >>> 8);
        message.write(v);
        return this;
    }

    MessageWriter bytes(byte[] b) {
        message.write(b, 0, b.length);
        return this;
    }

    MessageWriter cstring(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
        message.write(0);
        return this;
    }

    /** Frames the message under construction into the output buffer. */
    void end() throws IOException {
        int length = message.size() + 4;
        buffer.write(type);
        buffer.write(length >>> 24);
        buffer.write(length >>> 16);
        buffer.write(length >>> 8);
        buffer.write(length);
        message.writeTo(buffer);
        if (buffer.size() >= AUTO_FLUSH) {
            flush();
        }
    }

    void flush() throws IOException {
        if (buffer.size() > 0) {
            buffer.writeTo(out);
            buffer.reset();
        }
        out.flush();
    }

    /** Writes a raw byte with no framing (the answer to SSLRequest/GSSENCRequest). */
    void rawByte(int b) throws IOException {
        buffer.write(b);
        flush();
    }

    // ---- common messages ----------------------------------------------------------------

    void authentication(int code, byte[] data) throws IOException {
        begin('R').int32(code);
        if (data != null) {
            bytes(data);
        }
        end();
    }

    void parameterStatus(String name, String value) throws IOException {
        begin('S').cstring(name).cstring(value).end();
    }

    void readyForQuery(char status) throws IOException {
        begin('Z').int8(status).end();
        flush();
    }

    void commandComplete(String tag) throws IOException {
        begin('C').cstring(tag).end();
    }

    void rowDescription(List<Column> columns, short[] formats) throws IOException {
        begin('T').int16(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            cstring(c.name()).int32(0).int16(0).int32(c.type().oid).int16(c.type().length).int32(c.typmod())
                    .int16(formats == null ? 0 : formats[i]);
        }
        end();
    }

    void dataRow(byte[][] values) throws IOException {
        begin('D').int16(values.length);
        for (byte[] v : values) {
            if (v == null) {
                int32(-1);
            } else {
                int32(v.length).bytes(v);
            }
        }
        end();
    }

    /** ErrorResponse ('E') or NoticeResponse ('N'). */
    void error(char kind, PgError e) throws IOException {
        begin(kind).int8('S').cstring(e.severity()).int8('V').cstring(e.severity()).int8('C').cstring(e.sqlState())
                .int8('M').cstring(e.message());
        if (e.detail() != null) {
            int8('D').cstring(e.detail());
        }
        if (e.hint() != null) {
            int8('H').cstring(e.hint());
        }
        if (e.position() > 0) {
            int8('P').cstring(Integer.toString(e.position()));
        }
        if (e.where() != null) {
            int8('W').cstring(e.where());
        }
        int8(0).end();
    }
}
