package io.wasmudf.engine.spectest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Names the first WebAssembly 3.0 feature beyond 2.0 that a text module uses (typed function
 * references and GC excepted: they are compiled), read from its tokens (strings and comments
 * ignored). The engine's decoder reports the other features' 3.0 encodings as malformed or
 * invalid; the runner uses this to count a command that fails for that reason as skipped ("3.0 feature X not compiled yet") instead of failed. It never turns a
 * pass into a skip, and binary modules are not inspected (their failures stay failures).
 */
final class Wasm3Features {
    static final String TAIL_CALLS = "tail calls";
    static final String EXCEPTIONS = "exception handling";
    static final String EXTENDED_CONST = "extended constant expressions";

    private static final Set<String> TAIL = Set.of("return_call", "return_call_indirect", "return_call_ref");
    private static final Set<String> EXN = Set.of("tag", "throw", "throw_ref", "try_table", "try", "catch", "catch_all",
            "catch_ref", "catch_all_ref", "delegate", "rethrow", "exnref", "exn", "noexn", "nullexnref");
    private static final Set<String> EXTENDED = Set.of("i32.add", "i32.sub", "i32.mul", "i64.add", "i64.sub", "i64.mul");
    private static final Set<String> CONST_CONTEXTS = Set.of("global", "offset", "data", "elem", "item");

    /**
     * Engine messages that, on a module of the 3.0 suite, mean a 2.0 rule the 3.0 core relaxed
     * (the module may use no new instruction at all); none left since typed references and GC compile.
     */
    private static final String[][] RELAXED_RULES = {
    };

    /**
     * The reason given for a 2.0 assertion that the 3.0 core contradicts: a 2.0 script expecting
     * a restriction multi-memory, memory64 or GC lifted (the 3.0 suite has the updated assertion,
     * and passes it). Counted as skipped, never as passed.
     */
    static final String SUPERSEDED = "2.0 rule superseded by 3.0 multi-memory/memory64/GC";

    /** What {@link #superseded(String, String)} is told when the engine accepted the module. */
    static final String ACCEPTED = "(accepted)";

    /**
     * Expected messages of those 2.0 rules, each with what the engine's outcome may say for the
     * rule to apply (none listed: anything): a second memory or a memory index where 2.0 wants a
     * zero byte ("multiple memories", "zero byte expected"), memarg flags with the memory-index bit
     * ("malformed memop flags"), limits and offsets past u32, which 3.0 encodes as u64 and
     * validates instead ("integer too large", "integer representation too long", "i32 constant"),
     * limits flags 3.0 reads as one byte ("malformed limits flags" where 2.0 read a LEB128); and
     * constant expressions reading the module's own immutable globals, which 3.0 (with GC) allows
     * ("unknown global" where the engine now accepts the module; a truly unknown one is still refused).
     */
    private static final String[][] SUPERSEDED_RULES = {
        {"unknown global", ACCEPTED},
        {"multiple memories"},
        {"zero byte expected"},
        {"malformed memop flags"},
        {"i32 constant out of range", " size must be at most "},
        {"i32 constant", "offset out of range"},
        {"integer too large", "memory size must be at most ", "malformed limits flags", ACCEPTED},
        {"integer representation too long", "malformed limits flags", "integer too large", ACCEPTED},
    };

    /**
     * Whether a 2.0 assertion expecting {@code expected} is one 3.0's multi-memory or memory64
     * contradicts, given the engine's message ({@link #ACCEPTED} when it took the module).
     */
    static boolean superseded(String expected, String engineMessage) {
        for (String[] rule : SUPERSEDED_RULES) {
            if (rule[0].equals(expected)) {
                if (rule.length == 1) {
                    return true;
                }
                for (int i = 1; i < rule.length; i++) {
                    if (engineMessage.contains(rule[i])) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** {@link #SUPERSEDED} when a runner failure is a 2.0 assertion 3.0's multi-memory or memory64 contradicts, else null. */
    static String superseded(String failure) {
        if (failure == null) {
            return null;
        }
        String message = failure.contains("compiled successfully but must be") ? ACCEPTED : failure;
        for (String[] rule : SUPERSEDED_RULES) {
            if (failure.contains("\"" + rule[0] + "\"") && superseded(rule[0], message)) {
                return SUPERSEDED;
            }
        }
        return null;
    }

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
        if (TAIL.contains(atom)) {
            return TAIL_CALLS;
        }
        if (EXN.contains(atom)) {
            return EXCEPTIONS;
        }
        if (EXTENDED.contains(atom) && !forms.contains("func")) {
            for (String f : forms) {
                if (CONST_CONTEXTS.contains(f)) {
                    return EXTENDED_CONST;
                }
            }
        }
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
