package io.wasmudf.pg;

import io.wasmudf.sql.SqlStates;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * COPY's text and CSV formats with PostgreSQL 15's options, defaults, checks and escaping rules
 * ({@code copy.c} ProcessCopyOptions, {@code copyto.c} CopyAttributeOut*, {@code copyfromparse.c}
 * CopyReadAttributes*): one row to one line of output, one record of input to its fields.
 *
 * @param csv CSV (else text)
 * @param header a header line is written, or skipped on input
 * @param headerMatch the header line on input must name the columns ({@code HEADER MATCH})
 */
record CopyFormat(boolean csv, char delimiter, String nullString, boolean header, boolean headerMatch, char quote, char escape) {

    /** A field of an input record: its value after de-escaping, null for SQL NULL, and its text as written. */
    record Field(String value, String raw) {
    }

    // ---- output -------------------------------------------------------------------------

    /** Appends one row (null for SQL NULL) and its line end to {@code out}; {@code forceQuote} (null: none) quotes those columns' values in CSV. */
    void appendRow(List<String> values, boolean[] forceQuote, StringBuilder out) {
        for (int k = 0; k < values.size(); k++) {
            if (k > 0) {
                out.append(delimiter);
            }
            String v = values.get(k);
            if (v == null) {
                out.append(nullString);
            } else if (csv) {
                appendCsv(v, forceQuote != null && forceQuote[k], values.size() == 1, out);
            } else {
                appendText(v, out);
            }
        }
        out.append('\n');
    }

    private void appendText(String v, StringBuilder out) {
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c < 0x20) {
                char e = switch (c) {
                    case '\b' -> 'b';
                    case '\f' -> 'f';
                    case '\n' -> 'n';
                    case '\r' -> 'r';
                    case '\t' -> 't';
                    case 0x0B -> 'v';
                    default -> 0;
                };
                if (e != 0) {
                    out.append('\\').append(e);
                } else {
                    if (c == delimiter) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            } else {
                if (c == '\\' || c == delimiter) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
    }

    private void appendCsv(String v, boolean force, boolean singleColumn, StringBuilder out) {
        // a value equal to the NULL string, or that would read back as the end-of-data marker, is quoted
        boolean quoted = force || v.equals(nullString) || singleColumn && v.equals("\\.");
        for (int k = 0; k < v.length() && !quoted; k++) {
            char c = v.charAt(k);
            quoted = c == delimiter || c == quote || c == '\n' || c == '\r';
        }
        if (!quoted) {
            out.append(v);
            return;
        }
        out.append(quote);
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == quote || c == escape) {
                out.append(escape);
            }
            out.append(c);
        }
        out.append(quote);
    }

    // ---- input --------------------------------------------------------------------------

    /** Splits one input record (without its line end) into fields. */
    List<Field> fields(String record) throws SQLException {
        return csv ? csvFields(record) : textFields(record);
    }

    /**
     * Backslash escapes give bytes ({@code \\xc3\\xa9} is one character), so a field is de-escaped
     * into UTF-8 and must decode, as PostgreSQL checks it ({@code \\0} is refused like a NUL byte).
     */
    private List<Field> textFields(String line) throws SQLException {
        List<Field> out = new ArrayList<>();
        int start = 0;
        java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream();
        int k = 0;
        while (true) {
            if (k == line.length() || line.charAt(k) == delimiter) {
                String raw = line.substring(start, k);
                // the NULL string is matched before backslash processing, as PostgreSQL does
                out.add(new Field(raw.equals(nullString) ? null : utf8(value.toByteArray()), raw));
                if (k == line.length()) {
                    return out;
                }
                value.reset();
                start = ++k;
                continue;
            }
            char c = line.charAt(k++);
            if (c != '\\' || k == line.length()) {
                append(value, c);
                continue;
            }
            char e = line.charAt(k++);
            switch (e) {
                case 'b' -> value.write('\b');
                case 'f' -> value.write('\f');
                case 'n' -> value.write('\n');
                case 'r' -> value.write('\r');
                case 't' -> value.write('\t');
                case 'v' -> value.write(0x0B);
                case 'x' -> {
                    int n = 0;
                    int digits = 0;
                    while (digits < 2 && k < line.length() && Character.digit(line.charAt(k), 16) >= 0) {
                        n = n * 16 + Character.digit(line.charAt(k++), 16);
                        digits++;
                    }
                    value.write(digits == 0 ? 'x' : n);
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int n = e - '0';
                        for (int d = 0; d < 2 && k < line.length() && line.charAt(k) >= '0' && line.charAt(k) <= '7'; d++) {
                            n = n * 8 + (line.charAt(k++) - '0');
                        }
                        value.write(n & 0xFF);
                    } else {
                        append(value, e);
                    }
                }
            }
        }
    }

    private static void append(java.io.ByteArrayOutputStream out, char c) {
        if (c < 0x80) {
            out.write(c);
        } else {
            out.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static String utf8(byte[] bytes) throws SQLException {
        for (int k = 0; k < bytes.length; k++) {
            if (bytes[k] == 0) {
                throw new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", SqlStates.CHARACTER_NOT_IN_REPERTOIRE);
            }
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SQLException("invalid byte sequence for encoding \"UTF8\": " + CopyRecords.firstInvalid(bytes, 0, bytes.length),
                    SqlStates.CHARACTER_NOT_IN_REPERTOIRE);
        }
    }

    private List<Field> csvFields(String line) throws SQLException {
        List<Field> out = new ArrayList<>();
        int k = 0;
        while (true) {
            int start = k;
            StringBuilder value = new StringBuilder();
            boolean sawQuote = false;
            boolean inQuote = false;
            while (k < line.length()) {
                char c = line.charAt(k);
                if (inQuote) {
                    if (c == escape && k + 1 < line.length() && (line.charAt(k + 1) == quote || line.charAt(k + 1) == escape)) {
                        value.append(line.charAt(k + 1));
                        k += 2;
                    } else if (c == quote) {
                        inQuote = false;
                        k++;
                    } else {
                        value.append(c);
                        k++;
                    }
                } else if (c == delimiter) {
                    break;
                } else if (c == quote) {
                    inQuote = true;
                    sawQuote = true;
                    k++;
                } else {
                    value.append(c);
                    k++;
                }
            }
            if (inQuote) {
                throw new SQLException("unterminated CSV quoted field", BAD_COPY_FILE_FORMAT);
            }
            String raw = line.substring(start, k);
            out.add(new Field(!sawQuote && raw.equals(nullString) ? null : value.toString(), raw));
            if (k == line.length()) {
                return out;
            }
            k++; // the delimiter
        }
    }

    static final String BAD_COPY_FILE_FORMAT = "22P04";

    // ---- options ------------------------------------------------------------------------

    /** Collects options by name as PostgreSQL's DefElem list names them, then checks them as ProcessCopyOptions does. */
    static final class Builder {
        private final boolean from;
        private String format = "text";
        private String delimiter;
        private String nullString;
        private String header;
        private String quote;
        private String escape;
        private java.util.Set<String> forced = java.util.Set.of();

        Builder(boolean from) {
            this.from = from;
        }

        /** The FORCE_* options given (their column lists are resolved when the COPY runs). */
        void forced(java.util.Set<String> names) {
            forced = names;
        }

        /**
         * Sets one option (value null when absent); false when the name is not a COPY option.
         * {@code position} (1-based, 0: none) is where the option is written, for PostgreSQL's error position.
         */
        boolean set(String name, String value, int position) throws SQLException {
            switch (name) {
                case "format" -> {
                    format = value == null ? "" : value.toLowerCase(Locale.ROOT);
                    if (!format.equals("text") && !format.equals("csv") && !format.equals("binary")) {
                        throw new ReportedException(new PgError("ERROR", SqlStates.INVALID_PARAMETER_VALUE, "COPY format \"" + format
                                + "\" not recognized", null, null, position));
                    }
                }
                case "delimiter" -> delimiter = value == null ? "" : value;
                case "null" -> nullString = value == null ? "" : value;
                case "header" -> header = value == null ? "true" : value.toLowerCase(Locale.ROOT);
                case "quote" -> quote = value == null ? "" : value;
                case "escape" -> escape = value == null ? "" : value;
                case "encoding" -> {
                    String e = value == null ? "" : value.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
                    if (!e.equals("utf8") && !e.equals("unicode")) {
                        throw CopyStatement.unsupported("COPY ENCODING \"" + value + "\" is not supported: the server reads and writes UTF8 only");
                    }
                }
                case "freeze", "oids" ->
                    throw CopyStatement.unsupported("COPY option " + name.toUpperCase(Locale.ROOT) + " is not supported");
                default -> {
                    return false;
                }
            }
            return true;
        }

        CopyFormat build() throws SQLException {
            boolean csv;
            switch (format) {
                case "text" -> csv = false;
                case "csv" -> csv = true;
                case "binary" -> throw CopyStatement.unsupported("COPY format binary is not supported: use FORMAT text or csv");
                default -> throw new SQLException("COPY format \"" + format + "\" not recognized", SqlStates.INVALID_PARAMETER_VALUE);
            }
            boolean head = false;
            boolean match = false;
            if (header != null) {
                switch (header) {
                    case "true", "on", "1" -> head = true;
                    case "false", "off", "0" -> head = false;
                    case "match" -> {
                        if (!from) {
                            throw CopyStatement.unsupported("cannot use \"match\" with HEADER in COPY TO");
                        }
                        head = true;
                        match = true;
                    }
                    default -> throw new SQLException("header requires a Boolean value or \"match\"", SqlStates.SYNTAX_ERROR);
                }
            }
            String delim = delimiter != null ? delimiter : csv ? "," : "\t";
            String nul = nullString != null ? nullString : csv ? "" : "\\N";
            if (delim.length() != 1 || delim.charAt(0) > 0x7F) {
                throw CopyStatement.unsupported("COPY delimiter must be a single one-byte character");
            }
            char d = delim.charAt(0);
            if (d == '\n' || d == '\r') {
                throw new SQLException("COPY delimiter cannot be newline or carriage return", SqlStates.INVALID_PARAMETER_VALUE);
            }
            if (nul.indexOf('\n') >= 0 || nul.indexOf('\r') >= 0) {
                throw new SQLException("COPY null representation cannot use newline or carriage return", SqlStates.INVALID_PARAMETER_VALUE);
            }
            if (!csv && "\\.abcdefghijklmnopqrstuvwxyz0123456789".indexOf(d) >= 0) {
                throw new SQLException("COPY delimiter cannot be \"" + d + "\"", SqlStates.INVALID_PARAMETER_VALUE);
            }
            if (!csv && quote != null) {
                throw CopyStatement.unsupported("COPY quote available only in CSV mode");
            }
            String q = quote != null ? quote : "\"";
            if (csv && (q.length() != 1 || q.charAt(0) > 0x7F)) {
                throw CopyStatement.unsupported("COPY quote must be a single one-byte character");
            }
            if (csv && d == q.charAt(0)) {
                throw new SQLException("COPY delimiter and quote must be different", SqlStates.INVALID_PARAMETER_VALUE);
            }
            if (!csv && escape != null) {
                throw CopyStatement.unsupported("COPY escape available only in CSV mode");
            }
            String esc = escape != null ? escape : q;
            if (csv && (esc.length() != 1 || esc.charAt(0) > 0x7F)) {
                throw CopyStatement.unsupported("COPY escape must be a single one-byte character");
            }
            checkForce("force_quote", "force quote", csv, !from, "COPY TO");
            checkForce("force_not_null", "force not null", csv, from, "COPY FROM");
            checkForce("force_null", "force null", csv, from, "COPY FROM");
            if (nul.indexOf(d) >= 0) {
                throw CopyStatement.unsupported("COPY delimiter must not appear in the NULL specification");
            }
            if (csv && nul.indexOf(q.charAt(0)) >= 0) {
                throw CopyStatement.unsupported("CSV quote character must not appear in the NULL specification");
            }
            return new CopyFormat(csv, d, nul, head, match, q.charAt(0), esc.charAt(0));
        }

        private void checkForce(String option, String words, boolean csv, boolean rightDirection, String direction) throws SQLException {
            if (!forced.contains(option)) {
                return;
            }
            if (!csv) {
                throw CopyStatement.unsupported("COPY " + words + " available only in CSV mode");
            }
            if (!rightDirection) {
                throw CopyStatement.unsupported("COPY " + words + " only available using " + direction);
            }
        }
    }
}
