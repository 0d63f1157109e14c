package io.wasmudf.bench;

/**
 * The per-row functions as H2 Java aliases: the same logic as the wasm UDFs in sqlbench.c.
 * A primitive parameter makes H2 return NULL for NULL without calling (STRICT); a boxed one
 * receives NULL (CALLED ON NULL INPUT).
 */
public final class JavaAliases {
    private JavaAliases() {}

    public static int inc(int x) {
        return x + 1;
    }

    public static Integer incNullable(Integer x) {
        return x == null ? null : x + 1;
    }

    public static int charLen(String s) {
        return s.codePointCount(0, s.length());
    }

    public static Integer charLenNullable(String s) {
        return s == null ? null : s.codePointCount(0, s.length());
    }
}
