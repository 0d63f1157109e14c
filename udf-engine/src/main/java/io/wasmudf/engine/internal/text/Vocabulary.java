package io.wasmudf.engine.internal.text;

import java.util.Set;

/**
 * The keywords of the text and script formats. A keyword outside this set is reported as
 * "unknown operator", as the reference interpreter's lexer does; a known one in the wrong place
 * as "unexpected token".
 */
final class Vocabulary {
    private static final Set<String> STRUCTURAL = Set.of(
            "module", "binary", "quote", "definition", "instance", "type", "rec", "sub", "final",
            "func", "struct", "array", "field", "mut", "param", "result", "local", "import", "export",
            "table", "memory", "global", "tag", "elem", "data", "start", "offset", "item", "declare",
            "then", "do", "i32", "i64", "f32", "f64", "v128", "i8", "i16", "ref", "null",
            "funcref", "externref", "anyref", "eqref", "i31ref", "structref", "arrayref", "nullref",
            "nullfuncref", "nullexternref", "exnref", "nullexnref", "extern", "any", "eq", "i31",
            "none", "nofunc", "noextern", "exn", "noexn", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4",
            "f64x2", "catch_ref", "catch_all_ref", "register", "invoke", "get", "assert_return",
            "assert_trap", "assert_exhaustion", "assert_exception", "assert_invalid",
            "assert_malformed", "assert_unlinkable", "assert_uninstantiable", "either",
            "ref.extern", "ref.host", "ref.any", "ref.struct", "ref.array", "ref.exn",
            "nan:canonical", "nan:arithmetic", "inf", "nan", "pagesize", "shared", "unshared",
            "thread", "wait");

    private Vocabulary() {}

    static boolean isKnown(String word) {
        return STRUCTURAL.contains(word) || Instructions.get(word) != null
                || word.startsWith("offset=") || word.startsWith("align=")
                || word.startsWith("nan:0x");
    }
}
