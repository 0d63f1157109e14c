package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Cuts the byte stream of COPY FROM STDIN into records as the CopyData messages arrive, without
 * holding more than one record: a record ends at a newline, carriage return or CRLF, except
 * after a backslash (text format) or inside quotes (CSV, where a record spans lines). The line
 * {@code \.} ends the data. Records are decoded as UTF-8; lines count physical lines, as
 * PostgreSQL's CONTEXT lines do.
 */
final class CopyRecords {
    /** Receives each complete record (without its line end). */
    interface Sink {
        void record(String text) throws SQLException;
    }

    private final CopyFormat format;
    private final int maxRecordBytes;
    private byte[] buf = new byte[8192];
    private int len;
    /** Where the current record begins in {@code buf}. */
    private int start;
    /** Where scanning resumes in {@code buf}, and the scanner's state there. */
    private int scan;
    private boolean inQuote;
    private boolean skipNext;
    /** Physical lines ended so far, including the current record's embedded ones. */
    private int line;
    private boolean ended;

    CopyRecords(CopyFormat format, int maxRecordBytes) {
        this.format = format;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The line number of the record handed out last (1-based), for CONTEXT. */
    int line() {
        return line;
    }

    /** The end-of-data marker was read: what follows is ignored. */
    boolean ended() {
        return ended;
    }

    void feed(byte[] data, Sink sink) throws SQLException {
        if (ended) {
            return;
        }
        if (start > 0) {
            // drop the records handed out already, once per message rather than once per record
            System.arraycopy(buf, start, buf, 0, len - start);
            len -= start;
            scan -= start;
            start = 0;
        }
        if (len + data.length > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + data.length));
        }
        System.arraycopy(data, 0, buf, len, data.length);
        len += data.length;
        cut(sink, false);
        if (len - start > maxRecordBytes) {
            line++;
            throw new SQLException("COPY record is longer than " + maxRecordBytes + " bytes (the server's maximum message length)",
                    SqlStates.PROGRAM_LIMIT_EXCEEDED);
        }
    }

    /** CopyDone: a last record without a line end is still a record. */
    void finish(Sink sink) throws SQLException {
        if (!ended) {
            cut(sink, true);
        }
        if (!ended && len > start) {
            emit(len, len, sink);
        }
    }

    private void cut(Sink sink, boolean last) throws SQLException {
        byte quote = (byte) format.quote();
        byte escape = (byte) format.escape();
        int k = scan;
        while (k < len && !ended) {
            byte b = buf[k];
            if (skipNext) {
                skipNext = false;
                if (b == '\n' && inQuote) {
                    line++; // PostgreSQL counts the line ends inside CSV quotes, not the escaped ones of the text format
                }
                k++;
                continue;
            }
            if (format.csv()) {
                if (inQuote) {
                    if (b == escape && escape != quote) {
                        skipNext = true;
                    } else if (b == quote) {
                        inQuote = false;
                    } else if (b == '\n') {
                        line++;
                    }
                    k++;
                    continue;
                }
                if (b == quote) {
                    inQuote = true;
                    k++;
                    continue;
                }
            } else if (b == '\\') {
                int marker = endMarker(k, last);
                if (marker == WAIT) {
                    break;
                }
                if (marker == END) {
                    if (k > start) {
                        emit(k, k, sink);
                    }
                    ended = true;
                    break;
                }
                skipNext = true;
                k++;
                continue;
            }
            if (b == '\n' || b == '\r') {
                int end = k + 1;
                if (b == '\r') {
                    if (end == len && !last) {
                        break; // wait: the next message may begin with the '\n' of this CRLF
                    }
                    if (end < len && buf[end] == '\n') {
                        end++;
                    }
                }
                emit(k, end, sink);
                k = end;
                continue;
            }
            k++;
        }
        scan = k;
    }

    private static final int WAIT = 0;
    private static final int END = 1;
    private static final int DATA = 2;

    /**
     * In the text format a backslash-dot ends the data when a line end (or the end of the data)
     * follows, wherever it is on its line, and is an error anywhere else, as in PostgreSQL 15.
     */
    private int endMarker(int k, boolean last) throws SQLException {
        if (k + 1 == len || buf[k + 1] == '.' && k + 2 == len) {
            return last ? (k + 1 < len ? END : DATA) : WAIT;
        }
        if (buf[k + 1] != '.') {
            return DATA;
        }
        if (buf[k + 2] == '\n' || buf[k + 2] == '\r') {
            return END;
        }
        line++;
        throw new SQLException("end-of-copy marker corrupt", CopyFormat.BAD_COPY_FILE_FORMAT);
    }

    /** Hands out bytes [start, textEnd) as a record; the next one begins at {@code consumed}. */
    private void emit(int textEnd, int consumed, Sink sink) throws SQLException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, start, textEnd - start)).toString();
        } catch (CharacterCodingException e) {
            line++;
            throw new SQLException("invalid byte sequence for encoding \"UTF8\": " + firstInvalid(buf, start, textEnd), SqlStates.CHARACTER_NOT_IN_REPERTOIRE);
        }
        start = consumed;
        scan = consumed;
        inQuote = false;
        skipNext = false;
        if (text.equals("\\.")) {
            ended = true;
            return;
        }
        line++;
        sink.record(text);
    }

    /** The first bytes of {@code buf[from, end)} that are not UTF-8, as PostgreSQL prints them ("0xff" or "0xc3 0x28"). */
    static String firstInvalid(byte[] buf, int from, int end) {
        for (int k = from; k < end; k++) {
            int b = buf[k] & 0xFF;
            int n = b < 0x80 ? 1 : b >= 0xC2 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF5 ? 4 : 0;
            boolean ok = n > 0 && k + n <= end;
            for (int j = 1; ok && j < n; j++) {
                ok = (buf[k + j] & 0xC0) == 0x80;
            }
            if (!ok) {
                StringBuilder sb = new StringBuilder();
                for (int j = k; j < Math.min(end, k + Math.max(n, 1)); j++) {
                    sb.append(sb.length() == 0 ? "0x" : " 0x").append(String.format("%02x", buf[j] & 0xFF));
                }
                return sb.toString();
            }
            k += n - 1;
        }
        return "0x??";
    }
}
