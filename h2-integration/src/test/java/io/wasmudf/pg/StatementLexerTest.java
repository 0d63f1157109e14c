package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classifier's lexer against H2 2.4.240's own tokenizer (reached by reflection: a test pinned
 * to the H2 version, which fails loudly if H2 changes): every identifier and string H2 sees must be
 * seen at the same place with the same value, on hand-written traps and on random text.
 */
class StatementLexerTest {
    private static Connection h2;
    private static Object tokenizer;
    private static Method tokenize;

    @BeforeAll
    static void h2Tokenizer() throws Exception {
        h2 = DriverManager.getConnection("jdbc:h2:mem:lexer;MODE=PostgreSQL");
        Object session = ((org.h2.jdbc.JdbcConnection) h2).getSession();
        Class<?> cls = Class.forName("org.h2.command.Tokenizer");
        Constructor<?> c = cls.getDeclaredConstructor(Class.forName("org.h2.engine.CastDataProvider"), boolean.class, boolean.class, BitSet.class);
        c.setAccessible(true);
        tokenizer = c.newInstance(session, true, false, null);
        tokenize = cls.getDeclaredMethod("tokenize", String.class, boolean.class, BitSet.class);
        tokenize.setAccessible(true);
    }

    @AfterAll
    static void close() throws Exception {
        h2.close();
    }

    /** H2's identifiers and strings as "ID@start=value" / "STR@start=value", or null when H2 refuses the text. */
    private static List<String> h2Tokens(String sql) throws Exception {
        List<?> tokens;
        try {
            tokens = (List<?>) tokenize.invoke(tokenizer, sql, false, new BitSet());
        } catch (java.lang.reflect.InvocationTargetException e) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object t : tokens) {
            String cls = t.getClass().getSimpleName();
            int start = (int) call(t, "start");
            if (cls.equals("CharacterStringToken")) {
                Field f = t.getClass().getDeclaredField("string");
                f.setAccessible(true);
                out.add("STR@" + start + "=" + f.get(t));
            } else if (!cls.equals("ParameterToken") && !cls.equals("EndOfInputToken")) {
                String id = (String) call(t, "asIdentifier");
                if (id != null && (cls.startsWith("Identifier") || cls.startsWith("KeywordOr") || id.matches("[A-Z_]+"))) {
                    out.add("ID@" + start + "=" + id);
                }
            }
        }
        return out;
    }

    private static Object call(Object target, String method) throws Exception {
        Class<?> c = target.getClass();
        while (true) {
            try {
                Method m = c.getDeclaredMethod(method);
                m.setAccessible(true);
                return m.invoke(target);
            } catch (NoSuchMethodException e) {
                c = c.getSuperclass();
            }
        }
    }

    private static List<String> ours(String sql) throws StatementLexer.LexException {
        return StatementLexer.lex(sql).stream()
                .filter(t -> t.isIdentifier() || t.kind() == StatementLexer.Kind.STRING)
                .map(t -> (t.kind() == StatementLexer.Kind.STRING ? "STR@" : "ID@") + t.start() + "=" + t.value())
                .collect(Collectors.toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select E'\\'' , file_read('/etc/passwd') --'",
        "select $a$ , file_read('/etc/passwd'), $a$",
        "select /* /* */ file_read('x') */ 1",
        "select 1 // comment file_read('x')\n, 2",
        "select `file_read`('x'), \"FILE_READ\"('y')",
        "select U&\"FILE\\005fREAD\"('x')",
        "select U&\"FILE!005fREAD\" UESCAPE '!' ('x')",
        "select 'a' /* c */ 'b' // d\n 'c', 'x' -- 'y'\n 'z'",
        "select 1FILE_READ('x')", "select 1LCSVREAD('z')", "select 1.e5x, .5e-3y", "select 1..2", "select 1_000, 0x1fL, 0b101",
        "select N'it''s', X'00 ff', x'0102' 'ab', $$ a ' b $$, $1, ?2, ??(1??)",
        "SELECT * FROM pg_catalog.pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default",
        "select a$b, _x, é, \u00a0y, z\u2003w from t",
    })
    void tokensMatchH2(String sql) throws Exception {
        List<String> expected = h2Tokens(sql);
        assertNotNull(expected, "H2 refuses " + sql);
        assertEquals(expected, ours(sql), sql);
    }

    @Test
    void unterminatedTextIsAnError() {
        for (String sql : List.of("select 'abc", "select \"abc", "select $$ abc", "select /* abc", "select /* /* */", "select `x")) {
            assertThrows(StatementLexer.LexException.class, () -> StatementLexer.lex(sql), sql);
        }
    }

    /** Random text over the characters where lexers disagree: whatever H2 tokenizes, we must tokenize the same way. */
    @Test
    void randomTextTokenizesAsInH2() throws Exception {
        String[] pieces = {"'", "''", "\"", "`", "$$", "$", "$1", "$a$", "--", "/*", "*/", "//", "/", "*", "\n", "\r", " ", "\t", "E", "e", "U&",
            "UESCAPE", "N", "X", "0x", "0b", "1", "9", ".", "e5", "L", "_", "FILE_READ", "(", ")", ";", "\\", "a", "?", "??(", "é", "\u00a0",
            ",", "::", "<>", "!", "#", "[", "]", "SELECT", "-"};
        Random r = new Random(20261207);
        int compared = 0;
        for (int k = 0; k < 40_000; k++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + r.nextInt(14);
            for (int i = 0; i < len; i++) {
                sb.append(pieces[r.nextInt(pieces.length)]);
            }
            String sql = sb.toString();
            List<String> expected = h2Tokens(sql);
            if (expected == null) {
                continue; // H2 refuses the text: nothing of it runs
            }
            compared++;
            List<String> actual;
            try {
                actual = ours(sql);
            } catch (StatementLexer.LexException e) {
                throw new AssertionError("H2 tokenizes what we refuse: " + sql, e);
            }
            assertEquals(expected, actual, () -> "for: " + sql.replace("\n", "\\n"));
        }
        System.out.println("StatementLexerTest: " + compared + " random texts tokenized as by H2");
    }
}
