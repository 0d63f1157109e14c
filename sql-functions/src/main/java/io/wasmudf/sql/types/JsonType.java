package io.wasmudf.sql.types;

import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.StaticCall;
import java.util.List;

/**
 * {@code json} and {@code jsonb}: the document's text, as a string (UTF-8, or {@code latin1+utf16}
 * arguments like text for modules that ask). Results are checked to be one JSON value (RFC 8259,
 * as PostgreSQL's json input accepts), else 22P02; they reach H2 as character strings, since a
 * Java function cannot return H2's JSON type. A jsonb result is printed as PostgreSQL prints
 * jsonb (sorted unique keys, its spacing, numbers as numeric prints them).
 */
public final class JsonType extends ListType {
    /** {@code json}. */
    public static final JsonType JSON = new JsonType("json");
    /** {@code jsonb} (the same text: H2 has one JSON type). */
    public static final JsonType JSONB = new JsonType("jsonb");

    private JsonType(String name) {
        super(name, List.of(), String.class);
    }

    @Override
    public Lowering lowering() {
        return TextType.TEXT.lowering();
    }

    @Override
    public StaticCall liftArea() {
        return StaticCall.of(JsonType.class, this == JSONB ? "liftJsonb" : "lift", String.class, GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(JsonType.class, this == JSONB ? "liftOptionalJsonb" : "liftOptional", String.class, GuestInstance.class,
                int.class);
    }

    /** The JSON text a return area {@code (ptr, len)} at {@code retptr} points to, checked. */
    public static String lift(GuestInstance g, int retptr) {
        return check(TextType.lift(g, retptr));
    }

    public static String liftOptional(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? lift(g, retptr + 4) : null;
    }

    /** A jsonb result: checked, then in jsonb's canonical text as PostgreSQL prints it ({@link JsonbText}). */
    public static String liftJsonb(GuestInstance g, int retptr) {
        return JsonbText.normalize(lift(g, retptr));
    }

    public static String liftOptionalJsonb(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? liftJsonb(g, retptr + 4) : null;
    }

    /** {@code s} if it is one JSON value with optional whitespace around it. */
    static String check(String s) {
        int end = new JsonSyntax(s).document();
        if (end < 0) {
            String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
            throw new AbiException(SqlStates.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type json: the function returned \"" + shown + "\" (at character " + (-end) + ")");
        }
        return s;
    }

    /** A recursive-descent check of RFC 8259 syntax; nesting is bounded so a hostile document cannot overflow the stack. */
    private static final class JsonSyntax {
        private static final int MAX_DEPTH = 6400; // PostgreSQL's default max_stack_depth allows about this many
        private final String s;
        private int i;

        JsonSyntax(String s) {
            this.s = s;
        }

        /** The end position, or minus the 1-based position of the first error. */
        int document() {
            ws();
            if (!value(0)) {
                return -(i + 1);
            }
            ws();
            return i == s.length() ? i : -(i + 1);
        }

        private void ws() {
            while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private boolean value(int depth) {
            if (i >= s.length() || depth > MAX_DEPTH) {
                return false;
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    i++;
                    ws();
                    if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return true;
                    }
                    while (true) {
                        if (!string()) {
                            return false;
                        }
                        ws();
                        if (!expect(':')) {
                            return false;
                        }
                        ws();
                        if (!value(depth + 1)) {
                            return false;
                        }
                        ws();
                        if (expect('}')) {
                            return true;
                        }
                        if (!expect(',')) {
                            return false;
                        }
                        ws();
                    }
                case '[':
                    i++;
                    ws();
                    if (i < s.length() && s.charAt(i) == ']') {
                        i++;
                        return true;
                    }
                    while (true) {
                        if (!value(depth + 1)) {
                            return false;
                        }
                        ws();
                        if (expect(']')) {
                            return true;
                        }
                        if (!expect(',')) {
                            return false;
                        }
                        ws();
                    }
                case '"':
                    return string();
                case 't':
                    return literal("true");
                case 'f':
                    return literal("false");
                case 'n':
                    return literal("null");
                default:
                    return number();
            }
        }

        private boolean expect(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private boolean literal(String word) {
            if (s.startsWith(word, i)) {
                i += word.length();
                return true;
            }
            return false;
        }

        private boolean string() {
            if (!expect('"')) {
                return false;
            }
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return true;
                }
                if (c < 0x20) {
                    i--;
                    return false;
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        return false;
                    }
                    char e = s.charAt(i++);
                    if (e == 'u') {
                        for (int k = 0; k < 4; k++) {
                            if (i >= s.length() || Character.digit(s.charAt(i), 16) < 0) {
                                return false;
                            }
                            i++;
                        }
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        i--;
                        return false;
                    }
                }
            }
            return false;
        }

        private boolean number() {
            expect('-');
            if (expect('0')) {
                // no leading zeros
            } else if (!digits()) {
                return false;
            }
            if (expect('.') && !digits()) {
                return false;
            }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
                if (!expect('+')) {
                    expect('-');
                }
                return digits();
            }
            return true;
        }

        private boolean digits() {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            return i > start;
        }
    }
}
