package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Calls of an instance's exports by name, for the memory tests. */
final class GuestCalls {
    private GuestCalls() {}

    /** The export's first result, or null when it returns none. */
    static Object call(Instance instance, String name, Object... args) {
        Object[] results = instance.function(name).call(args);
        return results.length == 0 ? null : results[0];
    }

    /** Asserts that the call traps with an out-of-bounds memory access. */
    static void trapsOutOfBounds(Instance instance, String name, Object... args) {
        Trap t = assertThrows(Trap.class, () -> call(instance, name, args), name);
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind(), name);
    }
}
