package io.wasmudf.engine.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesObjectsArraysAndScalarsInSourceOrder() {
        Object value = Json.parse(" {\"b\": [1, -2, 3.5, 1e3], \"a\": {\"t\": true, \"f\": false, \"n\": null}, \"s\": \"x\"} ");
        Map<?, ?> root = (Map<?, ?>) value;
        assertEquals(List.of("b", "a", "s"), List.copyOf(root.keySet()));
        assertEquals(List.of(1L, -2L, 3.5, 1000.0), root.get("b"));
        Map<?, ?> a = (Map<?, ?>) root.get("a");
        assertEquals(Boolean.TRUE, a.get("t"));
        assertEquals(Boolean.FALSE, a.get("f"));
        assertTrue(a.containsKey("n"));
        assertNull(a.get("n"));
        assertEquals("x", root.get("s"));
    }

    @Test
    void parsesEmptyContainers() {
        assertEquals(List.of(), Json.parse("[]"));
        assertEquals(Map.of(), Json.parse("{ }"));
        assertEquals(List.of(List.of(), Map.of()), Json.parse("[[],{}]"));
    }

    @Test
    void decodesEscapesLikeWast2jsonWritesThem() {
        // names.wast exports fields such as "\u0000" and "\u005c:\u0022"
        assertEquals("\u0000\u001f\\:\"", Json.parse("\"\\u0000\\u001f\\u005c:\\u0022\""));
        assertEquals("a\"b\\c/d\b\f\n\r\t", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""));
        assertEquals("\ud83d\ude00", Json.parse("\"\\ud83d\\ude00\""));
        assertEquals("é€", Json.parse("\"é€\""));
    }

    @Test
    void largeIntegersFallBackToDouble() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(1.8446744073709552E19, Json.parse("18446744073709551616"));
    }

    @Test
    void rejectsMalformedInputWithPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n  \"a\": 1,\n}"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"unterminated"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("tru"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"bad \\q escape\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\u12G4\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("-"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1."));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"raw\nnewline\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
    }
}
