package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import org.junit.jupiter.api.Test;

/** The SIMD instruction table and its runtime helpers agree (the compiler finds helpers by name). */
class SimdEmitterTest {

    @Test
    void everyVectorInstructionHasItsHelper() {
        assertNull(SimdEmitter.missingHelper());
    }

    @Test
    void tableCountsAndKinds() {
        int assigned = 0;
        for (int s = 0; s < SimdOpcodes.LIMIT; s++) {
            if (SimdOpcodes.isAssigned(s)) {
                assigned++;
            }
        }
        assertEquals(236 + 20, assigned, "2.0 SIMD and relaxed SIMD instructions");
        int load8x8 = SimdOpcodes.BASE + 1;
        assertEquals(SimdOpcodes.Kind.LOAD, SimdOpcodes.kind(load8x8));
        assertEquals(3, SimdOpcodes.widthLog2(load8x8));
        int store16Lane = SimdOpcodes.BASE + 89;
        assertEquals(SimdOpcodes.Kind.STORE_LANE, SimdOpcodes.kind(store16Lane));
        assertEquals(8, SimdOpcodes.lanes(store16Lane));
        int f64Replace = SimdOpcodes.BASE + 34;
        assertEquals(SimdOpcodes.Kind.REPLACE, SimdOpcodes.kind(f64Replace));
        assertEquals(ValType.F64, SimdOpcodes.scalar(f64Replace));
        assertEquals(2, SimdOpcodes.lanes(f64Replace));
        assertEquals(SimdOpcodes.Kind.TERNARY, SimdOpcodes.kind(SimdOpcodes.BASE + 275)); // relaxed dot-add
        assertEquals(SimdOpcodes.Kind.SHIFT, SimdOpcodes.kind(SimdOpcodes.BASE + 107)); // i8x16.shl
        assertEquals(SimdOpcodes.Kind.TEST, SimdOpcodes.kind(SimdOpcodes.BASE + 100)); // i8x16.bitmask
    }
}
