package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.EngineBugException;
import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.LinkException;
import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.ResourceLimitException;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.UnsupportedFeatureException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The one mapping from engine failures to SQLSTATEs: the same failure gets the same state on every path. */
class SqlErrorsTest {
    private static final SqlErrors.CallContext NONE = new SqlErrors.CallContext() {};

    private static void is(String state, SQLException e) {
        assertEquals(state, e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().startsWith("function f: "), e.getMessage());
    }

    @Test
    void modulesThatDoNotCompile() {
        is("42P13", SqlErrors.compileFailed("function f", "the module", new MalformedModuleException("unexpected end", 8)));
        is("42P13", SqlErrors.compileFailed("function f", "the module", new InvalidModuleException("type mismatch")));
        is("42P13", SqlErrors.compileFailed("function f", "the module", new UnsupportedFeatureException("SIMD not supported", 9)));
        is("54000", SqlErrors.compileFailed("function f", "the module", new ResourceLimitException("module is 9 bytes, over the limit of 8")));
        is("XX000", SqlErrors.compileFailed("function f", "the module", new EngineBugException("compiler crashed", new NullPointerException())));
        is("XX000", SqlErrors.compileFailed("function f", "the module", new IllegalStateException("unforeseen")));
    }

    @Test
    void aStartFunctionThatTrapsOrRunsOnIsAnInvalidDefinitionAtCreateAndAtFirstCallAlike() {
        SQLException trap = SqlErrors.instantiateFailed("function f", new Trap(TrapKind.UNREACHABLE), 10, null);
        is("42P13", trap);
        assertTrue(trap.getMessage().contains("it traps while instantiating: unreachable"), trap.getMessage());
        SQLException slow = SqlErrors.instantiateFailed("function f", new Trap(TrapKind.TIMEOUT), 10, null);
        is("42P13", slow);
        assertTrue(slow.getMessage().contains("did not finish within 10 s"), slow.getMessage());
        is("42P13", SqlErrors.instantiateFailed("function f", new LinkException("unknown import", "env", "log"), 10, null));
    }

    @Test
    void memoryLimitsAre53200AndOtherLimits54000WhereverTheyHit() {
        ResourceLimitException memory = new ResourceLimitException(ResourceLimitException.Resource.MEMORY, "memory of 9 pages does not fit", null);
        ResourceLimitException table = new ResourceLimitException(ResourceLimitException.Resource.TABLE, "table minimum of 20000000", null);
        is("53200", SqlErrors.instantiateFailed("function f", memory, 10, "wasm.memory_budget"));
        is("54000", SqlErrors.instantiateFailed("function f", table, 10, null));
        is("53200", SqlErrors.compileFailed("function f", "the module", memory));
        is("54000", SqlErrors.compileFailed("function f", "the module", table));
        is("53200", SqlErrors.callFailed("function f", memory, NONE));
        is("54000", SqlErrors.callFailed("function f", new Trap(TrapKind.OUT_OF_FUEL), NONE));
        is("53200", SqlErrors.callFailed("function f", new Trap(TrapKind.GC_MEMORY_EXHAUSTED), NONE));
    }

    @Test
    void callFailures() {
        is("57014", SqlErrors.callFailed("function f", new Trap(TrapKind.TIMEOUT), NONE));
        is("57014", SqlErrors.callFailed("function f", new Trap(TrapKind.INTERRUPTED), NONE));
        is("54001", SqlErrors.callFailed("function f", new Trap(TrapKind.CALL_STACK_EXHAUSTED), NONE));
        is("54001", SqlErrors.callFailed("function f", new StackOverflowError(), NONE));
        is("38000", SqlErrors.callFailed("function f", new Trap(TrapKind.INTEGER_DIVIDE_BY_ZERO), NONE));
        is("53200", SqlErrors.callFailed("function f", new Trap(TrapKind.UNREACHABLE), new SqlErrors.CallContext() {
            @Override
            public int memoryGrowRefusals() {
                return 1;
            }
        }));
        is("22021", SqlErrors.callFailed("function f", new AbiException(SqlStates.CHARACTER_NOT_IN_REPERTOIRE, "bad UTF-8"), NONE));
        SQLException bug = SqlErrors.callFailed("function f", new EngineBugException("the engine failed during a guest call", null), NONE);
        is("XX000", bug);
        assertEquals("function f: internal error in the wasm engine: the engine failed during a guest call", bug.getMessage());
        is("XX000", SqlErrors.callFailed("function f", new IllegalArgumentException("a bridge bug"), NONE));
        SQLException own = new SQLException("function f: canceling statement due to user request", "57014");
        assertSame(own, SqlErrors.callFailed("function f", own, NONE));
    }
}
