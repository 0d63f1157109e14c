package io.wasmudf.pg;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Array parameters as clients send them: the text form {@code {1,NULL,"a b"}} (array_in) and the
 * binary form (ndim, has-nulls, element OID, dimensions, elements), one-dimensional only, each
 * element decoded as its type's parameters are.
 */
final class PgArrayInput {
    private PgArrayInput() {}

    /** The elements of {@code s}, an array literal of {@code element}s. */
    static Object[] fromText(PgType element, String s) {
        String t = s.strip();
        if (t.startsWith("[")) {
            // optional dimension decoration, e.g. [1:3]={1,2,3}
            int eq = t.indexOf('=');
            t = eq < 0 ? t : t.substring(eq + 1).strip();
        }
        if (!t.startsWith("{") || !t.endsWith("}")) {
            throw new IllegalArgumentException("malformed array literal: \"" + s + "\"");
        }
        List<Object> out = new ArrayList<>();
        String body = t.substring(1, t.length() - 1);
        int i = 0;
        if (body.isBlank()) {
            return new Object[0];
        }
        while (true) {
            while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            StringBuilder sb = new StringBuilder();
            boolean quoted = false;
            if (i < body.length() && body.charAt(i) == '"') {
                quoted = true;
                i++;
                while (i < body.length() && body.charAt(i) != '"') {
                    char c = body.charAt(i++);
                    if (c == '\\' && i < body.length()) {
                        c = body.charAt(i++);
                    }
                    sb.append(c);
                }
                if (i >= body.length()) {
                    throw new IllegalArgumentException("malformed array literal: \"" + s + "\"");
                }
                i++;
            } else {
                while (i < body.length() && body.charAt(i) != ',') {
                    char c = body.charAt(i++);
                    if (c == '{' || c == '}' || c == '"') {
                        throw new IllegalArgumentException("malformed array literal: \"" + s + "\" (only one-dimensional arrays)");
                    }
                    if (c == '\\' && i < body.length()) {
                        c = body.charAt(i++);
                    }
                    sb.append(c);
                }
            }
            String v = quoted ? sb.toString() : sb.toString().strip();
            out.add(!quoted && v.equalsIgnoreCase("NULL") ? null : PgCodec.fromText(element, v));
            while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            if (i >= body.length()) {
                return out.toArray();
            }
            if (body.charAt(i) != ',') {
                throw new IllegalArgumentException("malformed array literal: \"" + s + "\"");
            }
            i++;
        }
    }

    /** The elements of a binary array of {@code element}s. */
    static Object[] fromBinary(PgType element, byte[] data) throws SQLException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        int ndim = buf.getInt();
        buf.getInt(); // has-nulls flag: the lengths say it
        buf.getInt(); // element OID: the parameter's type says it
        if (ndim == 0) {
            return new Object[0];
        }
        if (ndim != 1) {
            throw new SQLException("only one-dimensional arrays are supported (parameter has " + ndim + ")", "0A000");
        }
        int n = buf.getInt();
        buf.getInt(); // lower bound
        if (n < 0 || n > data.length) {
            throw new SQLException("invalid array length " + n + " in binary parameter", "22P03");
        }
        Object[] out = new Object[n];
        for (int k = 0; k < n; k++) {
            int len = buf.getInt();
            if (len >= 0) {
                byte[] b = new byte[len];
                buf.get(b);
                out[k] = PgCodec.fromBinary(element, b);
            }
        }
        return out;
    }
}
