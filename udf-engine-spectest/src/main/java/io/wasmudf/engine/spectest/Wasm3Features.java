package io.wasmudf.engine.spectest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Names the first WebAssembly 3.0 feature beyond 2.0 that a text module uses (typed function
 * references, GC, exception handling, tail calls and extended constants excepted:
 * they are compiled), read from its tokens (strings and comments
 * ignored). The engine's decoder reports the other features' 3.0 encodings as malformed or
 * invalid; the runner uses this to count a command that fails for that reason as skipped ("3.0 feature X not compiled yet") instead of failed. It never turns a
 * pass into a skip, and binary modules are not inspected (their failures stay failures).
 */
final class Wasm3Features {
    /**
     * Engine messages that, on a module of the 3.0 suite, mean a 2.0 rule the 3.0 core relaxed
     * (the module may use no new instruction at all); none left since typed references and GC compile.
     */
    private static final String[][] RELAXED_RULES = {
    };

    private Wasm3Features() {}

    /** The 3.0 feature whose 2.0 restriction a failure message names, or null. */
    static String ofFailure(String message) {
        if (message != null) {
            for (String[] rule : RELAXED_RULES) {
                if (message.contains(rule[0])) {
                    return rule[1];
                }
            }
        }
        return null;
    }

    /** The feature {@code source} (module text, UTF-8) uses, or null for none (or no text). */
    static String of(byte[] source) {
        return source == null ? null : of(new String(source, StandardCharsets.UTF_8));
    }

    static String of(String s) {
        Deque<String> forms = new ArrayDeque<>();
        boolean afterOpen = false;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (s.startsWith(";;", i)) {
                int eol = s.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (s.startsWith("(;", i)) {
                i = skipBlockComment(s, i);
            } else if (c == '"') {
                i = skipString(s, i);
                afterOpen = false;
            } else if (c == '(') {
                afterOpen = true;
                forms.push("");
                i++;
            } else if (c == ')') {
                if (!forms.isEmpty()) {
                    forms.pop();
                }
                afterOpen = false;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                int end = i + 1;
                while (end < n && !Character.isWhitespace(s.charAt(end)) && "()\"".indexOf(s.charAt(end)) < 0 && !s.startsWith(";;", end)) {
                    end++;
                }
                String atom = s.substring(i, end);
                i = end;
                if (afterOpen && !forms.isEmpty()) {
                    forms.pop();
                    forms.push(atom);
                }
                afterOpen = false;
                String feature = feature(atom, forms);
                if (feature != null) {
                    return feature;
                }
            }
        }
        return null;
    }

    private static String feature(String atom, Deque<String> forms) {
        return null;
    }

    private static int skipString(String s, int i) {
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static int skipBlockComment(String s, int i) {
        int depth = 0;
        while (i < s.length()) {
            if (s.startsWith("(;", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith(";)", i)) {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }
}
