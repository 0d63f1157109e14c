package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.ByteReader.malformed;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import java.util.List;

/** The immediates of the exception-handling instructions (3.0 and legacy) that are more than an index. */
final class ExceptionDecoder {
    private ExceptionDecoder() {}

    /** {@code try_table}'s catch clauses after its block type {@code head}: (kind, tag, label) triples in {@code labels}. */
    static Instruction tryTable(Instruction head, ByteReader r) {
        int at = r.pos();
        int n = r.len();
        if (n > 1 << 16) {
            throw malformed("too many catch clauses", at);
        }
        int[] clauses = new int[3 * n];
        for (int i = 0; i < n; i++) {
            int kindAt = r.pos();
            int kind = r.u8();
            if (kind > 3) {
                throw malformed("malformed catch clause", kindAt);
            }
            clauses[3 * i] = kind;
            clauses[3 * i + 1] = kind < 2 ? r.index() : 0;
            clauses[3 * i + 2] = r.index();
        }
        return new Instruction(Opcodes.TRY_TABLE, head.a(), head.b(), 0, clauses);
    }

    /** The indices of the {@code catch}/{@code catch_all} clauses of the (legacy) {@code try} at {@code start}, at its own nesting level. */
    static int[] catches(List<Instruction> code, int start) {
        int count = 0;
        int[] out = new int[4];
        for (int i = start + 1; i < code.size(); i++) {
            int op = code.get(i).opcode();
            if (op == Opcodes.BLOCK || op == Opcodes.LOOP || op == Opcodes.IF || op == Opcodes.TRY_TABLE || op == Opcodes.TRY) {
                // a nested construct: its end is linked already (it closed before this try), so skip it
                i = (int) code.get(i).c();
            } else if (op == Opcodes.CATCH || op == Opcodes.CATCH_ALL) {
                if (count == out.length) {
                    out = java.util.Arrays.copyOf(out, count * 2);
                }
                out[count++] = i;
            }
        }
        return java.util.Arrays.copyOf(out, count);
    }
}
