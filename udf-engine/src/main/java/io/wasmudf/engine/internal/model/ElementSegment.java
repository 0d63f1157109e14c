package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;
import java.util.List;

/**
 * An element segment. {@code init} holds one constant expression per element (each without its
 * {@code end}); the function-index encodings are decoded into {@code ref.func} expressions.
 * {@code offset} and {@code tableIndex} are meaningful only for active segments.
 */
public record ElementSegment(Mode mode, int tableIndex, List<Instruction> offset, ValType type,
                             List<List<Instruction>> init, int typeCode) {
    /** A segment of a 2.0 reference type. */
    public ElementSegment(Mode mode, int tableIndex, List<Instruction> offset, ValType type, List<List<Instruction>> init) {
        this(mode, tableIndex, offset, type, init, type.code());
    }

    /** How the segment is applied. */
    public enum Mode { ACTIVE, PASSIVE, DECLARATIVE }
}
