package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.engine.Wat;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/** {@link Internals#install}: only {@link WasmFunction}'s own implementation gets in, once. */
class InternalsTest {
    /** An implementation from outside WasmFunction, as another class on the class path could write. */
    private static final class Foreign implements Internals.Access {
        @Override
        public int typeId(WasmFunction f) {
            return 42;
        }

        @Override
        public MethodHandle rawHandle(WasmFunction f) {
            return null;
        }

        @Override
        public int directIndex(WasmFunction f, Object instance) {
            return 0;
        }
    }

    @Test
    void onlyWasmFunctionsOwnImplementationIsAccepted() throws Exception {
        assertFalse(Internals.ownedByWasmFunction(new Foreign()));
        assertFalse(Internals.ownedByWasmFunction(null));
        // WasmFunction's static initialiser installs its own (an anonymous class nested in it)
        Class.forName(WasmFunction.class.getName(), true, WasmFunction.class.getClassLoader());
        long own = java.util.Arrays.stream(WasmFunction.class.getNestMembers())
                .filter(c -> c != WasmFunction.class && Internals.Access.class.isAssignableFrom(c)).count();
        assertEquals(1, own);
        assertThrows(IllegalStateException.class, () -> Internals.install(new Foreign()));
    }

    @Test
    void theInstalledAccessIsWasmFunctionsAfterARefusedInstall() {
        assertThrows(IllegalStateException.class, () -> Internals.install(new Foreign()));
        var f = Engine.create().compile(Wat.toBinary("(module (func (export \"f\") (result i32) i32.const 7))"))
                .instantiate().function("f");
        // the foreign implementation would answer 42 for every function
        assertEquals(TypeIds.of(f.type()), Internals.typeId(f));
        assertEquals(7, f.call()[0]);
    }
}
