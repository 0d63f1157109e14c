package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void roundTrips() throws SQLException {
        Random r = new Random(1);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            assertArrayEquals(b, Hex.decode(Hex.encode(b), "x"));
            assertArrayEquals(b, Hex.decode(Hex.encode(b).toUpperCase(), "x"));
        }
        assertArrayEquals(new byte[] {(byte) 0xAB, 0x01}, Hex.decode(" ab\n01 ", "x"));
    }

    @Test
    void rejectsBadInput() {
        assertEquals("22023", assertThrows(SQLException.class, () -> Hex.decode("abc", "x")).getSQLState());
        assertEquals("22023", assertThrows(SQLException.class, () -> Hex.decode("0x", "x")).getSQLState());
        assertEquals("22023", assertThrows(SQLException.class, () -> Hex.decode("a b", "x")).getSQLState());
    }
}
