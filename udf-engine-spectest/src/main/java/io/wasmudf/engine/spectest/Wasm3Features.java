package io.wasmudf.engine.spectest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Names the first WebAssembly 3.0 feature beyond 2.0 that a text module uses, read from its
 * tokens (strings and comments ignored), among those the engine does not compile yet (it compiles
 * 2.0, tail calls and extended constant expressions); its decoder reports their encodings as
 * malformed or invalid; the runner uses this to count a command that fails for
 * that reason as skipped ("3.0 feature X not compiled yet") instead of failed. It never turns a
 * pass into a skip, and binary modules are not inspected (their failures stay failures).
 */
final class Wasm3Features {
    static final String FUNCTION_REFERENCES = "typed function references";
    static final String GC = "GC";
    static final String EXCEPTIONS = "exception handling";
    static final String MEMORY64 = "memory64";
    static final String MULTI_MEMORY = "multi-memory";

    private static final Set<String> FUNCREF = Set.of("call_ref", "return_call_ref", "ref.as_non_null", "br_on_null", "br_on_non_null",
            "nullfuncref", "nullexternref", "nofunc", "noextern");
    private static final Set<String> GC_ATOMS = Set.of("struct", "array", "ref.i31", "ref.cast", "ref.test", "br_on_cast",
            "br_on_cast_fail", "any.convert_extern", "extern.convert_any", "anyref", "eqref", "i31ref", "structref", "arrayref",
            "nullref", "ref.eq", "rec", "any", "eq", "i31", "none", "final");
    private static final Set<String> EXN = Set.of("tag", "throw", "throw_ref", "try_table", "try", "catch", "catch_all",
            "catch_ref", "catch_all_ref", "delegate", "rethrow", "exnref", "exn", "noexn", "nullexnref");

    /**
     * Engine messages that, on a module of the 3.0 suite, mean a 2.0 rule the 3.0 core relaxed
     * (the module may use no new instruction at all): 64-bit limits and offsets, memory indexes,
     * typed references and table initializers.
     */
    private static final String[][] RELAXED_RULES = {
        {"integer too large", MEMORY64},
        {"malformed memop flags", MULTI_MEMORY},
        {"zero byte expected", MULTI_MEMORY},
        {"multiple memories", MULTI_MEMORY},
        {"malformed reference type", FUNCTION_REFERENCES},
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
        int memories = 0;
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
                    String parent = forms.peek();
                    forms.push(atom);
                    if (atom.equals("memory") && (parent == null || parent.equals("module") || parent.equals("import"))) {
                        memories++;
                        if (memories > 1) {
                            return MULTI_MEMORY;
                        }
                    }
                    if (atom.equals("ref") || atom.equals("sub")) {
                        return atom.equals("ref") ? FUNCTION_REFERENCES : GC;
                    }
                } else if (atom.equals("i64") && isAddressTypePosition(forms)) {
                    return MEMORY64;
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
        if (FUNCREF.contains(atom)) {
            return FUNCTION_REFERENCES;
        }
        if (GC_ATOMS.contains(atom) || atom.startsWith("struct.") || atom.startsWith("array.") || atom.startsWith("i31.")) {
            return GC;
        }
        if (EXN.contains(atom)) {
            return EXCEPTIONS;
        }
        return null;
    }

    /** {@code (memory $m? i64 …)} or {@code (table $t? i64 …)}: the atom right after the head (and id). */
    private static boolean isAddressTypePosition(Deque<String> forms) {
        String head = forms.peek();
        return "memory".equals(head) || "table".equals(head);
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
