package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wasmudf.engine.Engine;
import io.wasmudf.udfs.UdfModules;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A bridge's call sites (export, {@code cabi_realloc}, {@code cabi_post_*}) link directly to the
 * compiled module of the first call; an instance of another compilation of the same module (here:
 * the metered one a database with a fuel default uses) must go through the fallback and still
 * marshal text and bytea arguments, NULL included, correctly.
 */
class BridgeCallSiteTest {
    @Test
    void sameBridgeServesTwoCompilationsOfOneModule() throws SQLException {
        try (Connection plain = connect(memUrl()); Connection metered = connect(memUrl() + ";WASM_FUEL=100000000")) {
            for (Connection c : new Connection[] {plain, metered}) {
                upload(c, "strings", UdfModules.bytes("strings"));
                upload(c, "hash", UdfModules.bytes("hash"));
                exec(c, "CREATE FUNCTION slugify(s text) RETURNS text LANGUAGE wasm STRICT AS 'strings', 'slugify'");
                exec(c, "CREATE FUNCTION hex_encode(data bytea) RETURNS text LANGUAGE wasm STRICT AS 'hash', 'hex_encode'");
                exec(c, "CREATE FUNCTION json_get(doc text, key text) RETURNS text LANGUAGE wasm CALLED ON NULL INPUT AS 'strings', 'json_get'");
            }
            String sha = Engine.sha256(UdfModules.bytes("strings"));
            assertNotSame(Engines.cached(sha, false), Engines.cached(sha, true),
                    "the metered database runs another compilation of the module");
            // alternate, so each database's calls run after the other's have linked the call sites
            for (int round = 0; round < 3; round++) {
                for (Connection c : new Connection[] {metered, plain}) {
                    assertEquals("hello-wasm-cafe-" + round, one(c, "SELECT slugify(?)", "Hello, Wasm Café " + round));
                    assertEquals("00ff10", one(c, "SELECT hex_encode(X'00FF10')"));
                    assertEquals("1", one(c, "SELECT json_get('{\"a\": 1}', 'a')"));
                    assertNull(one(c, "SELECT json_get(NULL, 'a')"));
                    assertNull(one(c, "SELECT json_get('{\"a\": 1}', NULL)"));
                }
            }
        }
    }
}
