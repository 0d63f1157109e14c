package io.wasmudf.h2;

/** Java reference implementations of the C UDFs in wasm-udfs, written from their documentation. */
final class Reference {
    private Reference() {}

    static int levenshtein(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        int[] prev = new int[y.length + 1];
        int[] cur = new int[y.length + 1];
        for (int j = 0; j <= y.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= x.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= y.length; j++) {
                int sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length];
    }

    /** slugify for text without U+00C0..U+017F (whose letters are transliterated by a table). */
    static String slugifyWithoutLatinLetters(String s) {
        StringBuilder out = new StringBuilder();
        boolean pendingDash = false;
        for (int cp : s.codePoints().toArray()) {
            if (cp >= 0xC0 && cp <= 0x17F) {
                throw new IllegalArgumentException("input has a transliterated letter");
            }
            boolean keep = cp < 128 && Character.isLetterOrDigit(cp);
            if (keep) {
                if (pendingDash && out.length() > 0) {
                    out.append('-');
                }
                pendingDash = false;
                out.append((char) Character.toLowerCase(cp));
            } else {
                pendingDash = true;
            }
        }
        return out.toString();
    }

    /** A JSON string literal. */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
