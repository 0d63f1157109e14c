package io.wasmudf.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's choice among overloads, case by case as PostgreSQL 15 made it for SQL functions of
 * these signatures (checked with psql against 127.0.0.1:5432; PgOverloadTest compares live).
 */
class OverloadResolutionTest {
    private static final String U = OverloadResolution.UNKNOWN;

    private static int choose(List<List<String>> candidates, String... inputs) {
        return OverloadResolution.choose(candidates, List.of(inputs)).index();
    }

    @Test
    void exactMatchAndImplicitPromotion() {
        List<List<String>> f = List.of(List.of("integer"), List.of("text"));
        assertEquals(0, choose(f, "integer"));
        assertEquals(1, choose(f, "text"));
        assertEquals(0, choose(f, "smallint"), "smallint -> integer");
        assertEquals(-1, choose(f, "bigint"), "no cast down to integer");
        assertEquals(-1, choose(f, "boolean"));
        assertEquals(-1, choose(f, "numeric"));
        assertEquals(1, choose(f, U), "an untyped NULL: the string category wins");
    }

    @Test
    void preferredTypesAndTies() {
        List<List<String>> k = List.of(List.of("numeric"), List.of("double precision"));
        assertEquals(1, choose(k, "integer"), "double precision is the preferred numeric type");
        assertEquals(0, choose(k, "numeric"));
        assertEquals(1, choose(k, "bigint"));
        assertEquals(1, choose(k, "real"));
        List<List<String>> g = List.of(List.of("integer"), List.of("bigint"));
        OverloadResolution.Choice tie = OverloadResolution.choose(g, List.of("smallint"));
        assertTrue(tie.ambiguous(), "g(smallint) is not unique");
        assertTrue(OverloadResolution.choose(g, List.of(U)).ambiguous(), "g(unknown) is not unique");
        assertEquals(-1, choose(g, "numeric"));
        List<List<String>> h = List.of(List.of("bigint"), List.of("boolean"));
        assertTrue(OverloadResolution.choose(h, List.of(U)).ambiguous(), "h(unknown): numeric and boolean categories conflict");
        assertEquals(0, choose(h, "integer"));
    }

    @Test
    void severalArgumentsAndUnknownsTakeTheKnownType() {
        List<List<String>> p = List.of(List.of("integer", "integer"), List.of("text", "text"));
        assertEquals(0, choose(p, "integer", U), "the unknown is taken as the other argument's integer");
        assertEquals(1, choose(p, "text", U));
        assertEquals(-1, choose(p, "integer", "text"));
        List<List<String>> d = List.of(List.of("timestamp"), List.of("timestamptz"));
        assertEquals(0, choose(d, "timestamp"));
        assertEquals(1, choose(d, "date"), "timestamptz is the preferred datetime type");
        assertEquals(0, choose(List.of(List.of("bigint[]"), List.of("text[]")), "integer[]"), "arrays element-wise");
        assertEquals(0, choose(List.of(List.of("jsonb"), List.of("text")), "json"), "H2 has one JSON type for json and jsonb");
    }

    @Test
    void baseNamesDropModifiers() {
        assertEquals("numeric", OverloadResolution.base("numeric(10,2)"));
        assertEquals("bpchar", OverloadResolution.base("character(3)"));
        assertEquals("text[]", OverloadResolution.base("text[]"));
    }
}
