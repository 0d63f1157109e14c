package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text forms PostgreSQL 15's input functions accept and refuse (checked with psql: SELECT 'text'::type). */
class TextInputTest {
    private static SqlType type(String name) {
        return SqlTypes.resolve(List.of(name.split(" ")), List.of());
    }

    @Test
    void parsesWhatPostgresAccepts() throws SQLException {
        assertEquals(-42, TextInput.parse(type("integer"), " -42 "));
        assertEquals(9223372036854775807L, TextInput.parse(type("bigint"), "9223372036854775807"));
        assertEquals((short) 7, TextInput.parse(type("smallint"), "+7"));
        assertEquals(1.5e3, TextInput.parse(type("double precision"), "1.5e3"));
        assertEquals(Double.NEGATIVE_INFINITY, TextInput.parse(type("double precision"), "-Infinity"));
        assertEquals(.5f, TextInput.parse(type("real"), ".5"));
        assertEquals(true, TextInput.parse(type("boolean"), "yes"));
        assertEquals(false, TextInput.parse(type("boolean"), "f"));
        assertEquals(" a b ", TextInput.parse(type("text"), " a b "));
        assertArrayEquals(new byte[] {1, (byte) 0xab}, (byte[]) TextInput.parse(type("bytea"), "\\x01AB"));
        assertArrayEquals(new byte[] {'a', '\\', 1}, (byte[]) TextInput.parse(type("bytea"), "a\\\\\\001"));
    }

    @Test
    void refusesWithPostgresStatesAndWording() {
        SQLException e = assertThrows(SQLException.class, () -> TextInput.parse(type("integer"), "abc"));
        assertEquals("22P02", e.getSQLState());
        assertEquals("invalid input syntax for type integer: \"abc\"", e.getMessage());
        e = assertThrows(SQLException.class, () -> TextInput.parse(type("integer"), "2147483648"));
        assertEquals("22003", e.getSQLState());
        assertEquals("value \"2147483648\" is out of range for type integer", e.getMessage());
        assertEquals("22P02", assertThrows(SQLException.class, () -> TextInput.parse(type("boolean"), "maybe")).getSQLState());
        assertEquals("22P02", assertThrows(SQLException.class, () -> TextInput.parse(type("double precision"), "1e")).getSQLState());
        assertEquals("22023", assertThrows(SQLException.class, () -> TextInput.parse(type("bytea"), "\\x0")).getSQLState());
    }
}
