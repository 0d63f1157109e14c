package io.wasmudf.engine.spectest;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists the top-level commands of a {@code .wast} script without parsing them, so scripts that have
 * no JSON form can still be reported command by command (as skipped).
 */
final class WastOutline {

    /** A top-level form: its 1-based line and its head keyword, e.g. {@code assert_return}. */
    record Form(int line, String head) {}

    private WastOutline() {}

    static List<Form> topLevelForms(String text) {
        List<Form> forms = new ArrayList<>();
        int depth = 0;
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == ';' && i + 1 < n && text.charAt(i + 1) == ';') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '(' && i + 1 < n && text.charAt(i + 1) == ';') {
                // Block comments nest.
                int nesting = 0;
                do {
                    if (text.startsWith("(;", i)) {
                        nesting++;
                        i += 2;
                    } else if (text.startsWith(";)", i)) {
                        nesting--;
                        i += 2;
                    } else {
                        line += text.charAt(i) == '\n' ? 1 : 0;
                        i++;
                    }
                } while (nesting > 0 && i < n);
            } else if (c == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    line += text.charAt(i) == '\n' ? 1 : 0;
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else if (c == '(') {
                if (depth == 0) {
                    int start = i + 1;
                    int end = start;
                    while (end < n && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '(' && text.charAt(end) != ')') {
                        end++;
                    }
                    forms.add(new Form(line, text.substring(start, end)));
                }
                depth++;
                i++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                i++;
            } else {
                i++;
            }
        }
        return forms;
    }
}
