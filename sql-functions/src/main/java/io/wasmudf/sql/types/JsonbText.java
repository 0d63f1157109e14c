package io.wasmudf.sql.types;

import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.SqlStates;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document as PostgreSQL's jsonb prints it: object keys unique (the last one wins) and
 * ordered by length, then bytes; {@code ": "} and {@code ", "} as separators; numbers as numeric
 * prints them ({@code 1e2} is {@code 100}); strings with escapes decoded and re-escaped as
 * PostgreSQL escapes them. The input has passed {@link JsonType#check}.
 */
final class JsonbText {
    private final String s;
    private int i;

    private JsonbText(String s) {
        this.s = s;
    }

    /** {@code json} (valid JSON) in jsonb's canonical text. */
    static String normalize(String json) {
        JsonbText p = new JsonbText(json);
        StringBuilder out = new StringBuilder(json.length());
        p.ws();
        p.value(out);
        return out.toString();
    }

    private void ws() {
        while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void value(StringBuilder out) {
        char c = s.charAt(i);
        if (c == '{') {
            i++;
            Map<String, String> members = new LinkedHashMap<>();
            ws();
            if (s.charAt(i) == '}') {
                i++;
            } else {
                while (true) {
                    ws();
                    String key = string();
                    ws();
                    i++; // ':'
                    ws();
                    StringBuilder v = new StringBuilder();
                    value(v);
                    members.remove(key);
                    members.put(key, v.toString());
                    ws();
                    if (s.charAt(i++) == '}') {
                        break;
                    }
                }
            }
            List<String> keys = new ArrayList<>(members.keySet());
            keys.sort((a, b) -> {
                byte[] x = a.getBytes(StandardCharsets.UTF_8);
                byte[] y = b.getBytes(StandardCharsets.UTF_8);
                return x.length != y.length ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
            });
            out.append('{');
            for (int k = 0; k < keys.size(); k++) {
                if (k > 0) {
                    out.append(", ");
                }
                escape(keys.get(k), out);
                out.append(": ").append(members.get(keys.get(k)));
            }
            out.append('}');
        } else if (c == '[') {
            i++;
            out.append('[');
            ws();
            if (s.charAt(i) == ']') {
                i++;
            } else {
                boolean first = true;
                while (true) {
                    ws();
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    value(out);
                    ws();
                    if (s.charAt(i++) == ']') {
                        break;
                    }
                }
            }
            out.append(']');
        } else if (c == '"') {
            escape(string(), out);
        } else if (c == 't' || c == 'f' || c == 'n') {
            String word = c == 't' ? "true" : c == 'f' ? "false" : "null";
            i += word.length();
            out.append(word);
        } else {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            out.append(NumericType.text(NumericType.parse(s.substring(start, i))));
        }
    }

    /** The string at {@code i} with its escapes decoded. */
    private String string() {
        StringBuilder sb = new StringBuilder();
        i++; // '"'
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char u = (char) Integer.parseInt(s.substring(i, i + 4), 16);
                    i += 4;
                    if (u == 0) {
                        throw new AbiException("22P05", "unsupported Unicode escape sequence: the function returned jsonb with \\u0000");
                    }
                    sb.append(u);
                }
                default -> sb.append(e);
            }
        }
    }

    /** PostgreSQL's escape_json. */
    private static void escape(String v, StringBuilder out) {
        out.append('"');
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            switch (c) {
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
