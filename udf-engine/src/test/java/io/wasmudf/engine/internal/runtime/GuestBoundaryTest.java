package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which function bodies {@link GuestBoundary#needed} lets run without the boundary. */
class GuestBoundaryTest {
    private static Instruction op(int opcode) {
        return new Instruction(opcode, 0, 0, 0, null);
    }

    private static FunctionBody body(Instruction... code) {
        return new FunctionBody(List.of(), List.of(code), 0);
    }

    @Test
    void straightLineCodeWithoutCallsNeedsNoBoundary() {
        assertFalse(GuestBoundary.needed(body(op(Opcodes.LOCAL_GET), op(Opcodes.I32_CONST), op(Opcodes.I32_ADD), op(Opcodes.END))));
        assertFalse(GuestBoundary.needed(body(op(Opcodes.BLOCK), op(Opcodes.BR_IF), op(Opcodes.END), op(Opcodes.END))),
                "forward branches cannot repeat code");
    }

    @Test
    void loopsAndCallsNeedIt() {
        assertTrue(GuestBoundary.needed(body(op(Opcodes.LOOP), op(Opcodes.BR), op(Opcodes.END), op(Opcodes.END))));
        assertTrue(GuestBoundary.needed(body(op(Opcodes.CALL), op(Opcodes.END))));
        assertTrue(GuestBoundary.needed(body(op(Opcodes.CALL_INDIRECT), op(Opcodes.END))));
    }
}
