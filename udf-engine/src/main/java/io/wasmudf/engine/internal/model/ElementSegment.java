package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;
import java.util.List;

/**
 * An element segment. {@code init} holds one constant expression per element (each without its
 * {@code end}); the function-index encodings are decoded into {@code ref.func} expressions.
 * {@code offset} and {@code tableIndex} are meaningful only for active segments.
 */
public record ElementSegment(Mode mode, int tableIndex, List<Instruction> offset, ValType type,
                             List<List<Instruction>> init) {
    /** How the segment is applied. */
    public enum Mode { ACTIVE, PASSIVE, DECLARATIVE }
}
