package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.sql.FunctionKind;
import io.wasmudf.sql.FunctionLimits;
import io.wasmudf.sql.FunctionParameter;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import io.wasmudf.sql.Volatility;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.h2.util.JdbcUtils;
import org.junit.jupiter.api.Test;

/** Bridge classes have the exact Java signature H2 needs and load through H2's class lookup by id. */
class BridgeGeneratorTest {
    private static final String SHA = "ab".repeat(32);
    /** A database id no open database has: the bridges below initialise to bindings that refuse calls. */
    private static final String NO_DATABASE = "00000000000000ff";
    private static int nextId = 1;

    static {
        WasmDriver.load();
    }

    private static FunctionDef def(List<SqlType> params, SqlType result, boolean strict, boolean packed) {
        List<FunctionParameter> ps = new ArrayList<>();
        params.forEach(t -> ps.add(new FunctionParameter(null, t)));
        return new FunctionDef(nextId++, 1, "PUBLIC", "F", "f", FunctionKind.SCALAR, "SA", ps, result, strict, Volatility.IMMUTABLE, "m", SHA,
                "export \u00e9", FunctionLimits.NONE, packed, false, null);
    }

    /** Generates, defines and initialises (so verifies) the bridge of {@code d}; returns its {@code call}. */
    private static Method load(FunctionDef d) throws Exception {
        String name = BridgeNames.className(NO_DATABASE, d.id(), d.version());
        Class<?> c = BridgeClassFactory.define(name, BridgeGenerator.generate(name, d));
        Class.forName(c.getName(), true, c.getClassLoader());
        Method call = null;
        for (Method m : c.getMethods()) {
            if (m.getName().equals(BridgeNames.METHOD)) {
                call = m;
            }
        }
        assertEquals(Modifier.PUBLIC | Modifier.STATIC, call.getModifiers() & (Modifier.PUBLIC | Modifier.STATIC));
        return call;
    }

    @Test
    void everyTypeStrictAndNullable() throws Exception {
        for (SqlType result : SqlTypes.all()) {
            for (boolean strict : new boolean[] {true, false}) {
                List<SqlType> params = new ArrayList<>(SqlTypes.all());
                Method m = load(def(params, result, strict, false));
                Class<?>[] pt = m.getParameterTypes();
                assertEquals(Connection.class, pt[0]);
                for (int i = 0; i < params.size(); i++) {
                    assertEquals(strict ? params.get(i).javaType() : params.get(i).boxedType(), pt[i + 1], result + " " + strict);
                }
                // NULL can come back even when strict: a NULL text/bytea argument returns NULL without a call
                assertEquals(result.boxedType(), m.getReturnType(), result + " " + strict);
            }
        }
    }

    @Test
    void strictNumericBridgesArePrimitive() throws Exception {
        Method m = load(def(List.of(SqlTypes.INTEGER, SqlTypes.DOUBLE_PRECISION, SqlTypes.BOOLEAN, SqlTypes.SMALLINT), SqlTypes.BIGINT, true, false));
        assertEquals(List.of(Connection.class, int.class, double.class, boolean.class, short.class), List.of(m.getParameterTypes()));
        assertEquals(long.class, m.getReturnType());
        assertEquals(SQLException.class, m.getExceptionTypes()[0]);
    }

    @Test
    void strictNullTextArgumentReturnsNullWithoutTouchingTheGuest() throws Exception {
        Method m = load(def(List.of(SqlTypes.TEXT), SqlTypes.INTEGER, true, false));
        assertEquals(Integer.class, m.getReturnType());
        // no connection, no module: the null check comes before anything else
        assertNull(m.invoke(null, null, null));
    }

    @Test
    void aBridgeWhoseFunctionIsGoneRefusesCallsWith42883() throws Exception {
        Method m = load(def(List.of(SqlTypes.INTEGER), SqlTypes.INTEGER, true, false));
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> m.invoke(null, null, 1));
        assertEquals("42883", ((SQLException) e.getCause()).getSQLState());
    }

    @Test
    void packedOptionResultsGetOtherBridgeCodeAndTheBoxedType() throws Exception {
        for (SqlType result : List.of(SqlTypes.BOOLEAN, SqlTypes.SMALLINT, SqlTypes.INTEGER, SqlTypes.REAL)) {
            FunctionDef packed = def(List.of(SqlTypes.TEXT), result, false, true);
            FunctionDef area = def(List.of(SqlTypes.TEXT), result, false, false);
            assertTrue(packed.abi().packedOption());
            assertFalse(Arrays.equals(BridgeGenerator.generate("W", packed), BridgeGenerator.generate("W", area)),
                    "the two forms need different bridge code");
            assertEquals(result.boxedType(), load(packed).getReturnType());
        }
    }

    @Test
    void bridgesLoadThroughH2ByIdOnceAndOnlyForFunctionsInForce() throws Exception {
        try (Connection c = connect(memUrl())) {
            upload(c, "abi", wasm("abi"));
            exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            String cls = BridgeNames.classOfTarget((String) one(c, "SELECT bridge FROM wasm.functions"));
            BridgeNames.Parsed p = BridgeNames.parse(cls);
            assertEquals(1, p.version());
            assertSame(JdbcUtils.loadUserClass(cls), JdbcUtils.loadUserClass(cls));
            exec(c, "CREATE OR REPLACE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            String replaced = BridgeNames.classOfTarget((String) one(c, "SELECT bridge FROM wasm.functions"));
            assertEquals(new BridgeNames.Parsed(p.databaseId(), p.functionId(), 2), BridgeNames.parse(replaced), "same id, next version");
            assertThrows(RuntimeException.class, () -> JdbcUtils.loadUserClass(cls), "the replaced version is gone");
            assertEquals(5, one(c, "SELECT plus(2, 3)"));
        }
        assertThrows(RuntimeException.class, () -> JdbcUtils.loadUserClass(BridgeNames.PREFIX + "zz"));
        assertThrows(RuntimeException.class, () -> JdbcUtils.loadUserClass(BridgeNames.className(NO_DATABASE, 1, 1)));
    }
}
