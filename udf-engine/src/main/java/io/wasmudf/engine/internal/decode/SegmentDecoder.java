package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.ByteReader.malformed;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.DataSegment;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.ElementSegment.Mode;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.TypeCode;
import io.wasmudf.engine.internal.model.Opcodes;
import java.util.ArrayList;
import java.util.List;

/** Reads element and data segments in all their Wasm 2.0 encodings. */
final class SegmentDecoder {
    private final ByteReader r;
    private final CodeDecoder code;

    private final DecodedTypes families;

    SegmentDecoder(ByteReader r, CodeDecoder code, DecodedTypes families) {
        this.r = r;
        this.code = code;
        this.families = families;
    }

    /**
     * An element segment. The flags value's bits mean: 1 = passive or declarative, 2 = explicit
     * table index (active) or declarative (otherwise), 4 = elements are expressions rather than
     * function indices.
     */
    ElementSegment element() {
        int at = r.pos();
        long flags = r.varU(32);
        if (flags > 7) {
            throw malformed("malformed elements segment kind", at);
        }
        boolean passiveOrDeclarative = (flags & 1) != 0;
        boolean explicit = (flags & 2) != 0;
        boolean expressions = (flags & 4) != 0;

        Mode mode = Mode.ACTIVE;
        int table = 0;
        List<Instruction> offset = List.of();
        if (passiveOrDeclarative) {
            mode = explicit ? Mode.DECLARATIVE : Mode.PASSIVE;
        } else {
            if (explicit) {
                table = r.index();
            }
            offset = code.constExpr();
        }

        // Flags 0 and 4 have an implicit funcref type; the others spell out an elemkind or reftype.
        // 3.0: function indices are (ref func); flag 4's implicit type is funcref, (ref null func)
        int type = expressions ? ValType.FUNCREF.code() : TypeCode.ref(false, TypeCode.FUNC);
        if (flags != 0 && flags != 4) {
            type = expressions ? TypeDecoder.refType(r) : elemKind();
        }

        int n = r.len();
        List<List<Instruction>> init = new ArrayList<>(ByteReader.initialCapacity(n));
        for (int i = 0; i < n; i++) {
            if (expressions) {
                init.add(code.constExpr());
            } else {
                init.add(List.of(new Instruction(Opcodes.REF_FUNC, r.index(), 0, 0, null)));
            }
        }
        return new ElementSegment(mode, table, offset, families.jvm(type), init, type);
    }

    private int elemKind() {
        int at = r.pos();
        if (r.u8() != 0x00) {
            throw malformed("malformed element kind", at);
        }
        return TypeCode.ref(false, TypeCode.FUNC);
    }

    /** A data segment: 0 = active in memory 0, 1 = passive, 2 = active with a memory index. */
    DataSegment data() {
        int at = r.pos();
        long flags = r.varU(32);
        switch ((int) Math.min(flags, 3)) {
            case 0: {
                List<Instruction> offset = code.constExpr();
                return new DataSegment(true, 0, offset, bytes());
            }
            case 1:
                return new DataSegment(false, 0, List.of(), bytes());
            case 2: {
                int memory = r.index();
                List<Instruction> offset = code.constExpr();
                return new DataSegment(true, memory, offset, bytes());
            }
            default:
                throw malformed("malformed data segment kind", at);
        }
    }

    private byte[] bytes() {
        return r.bytes(r.len());
    }
}
