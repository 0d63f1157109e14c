package io.wasmudf.engine;

import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Generates random valid modules: one memory page, a table over the functions, and functions of
 * type {@code (i32, i32) -> i32} whose bodies are random typed expression trees (arithmetic,
 * comparisons, memory loads and stores, if/else, blocks with br_if, counted loops, direct calls to
 * earlier functions, call_indirect, memory.grow). Every function terminates: loops are counted and
 * calls only go to lower indices (call_indirect rarely recurses, which traps or meets the limits).
 * Division may trap, so callers compare trap kinds as well as results.
 */
public final class RandomModules {
    private final Random random;
    private final int functions;
    /** Fuel for the current expression tree, so bodies stay small. */
    private int budget;
    private int loopDepth;

    public RandomModules(Random random, int functions) {
        this.random = random;
        this.functions = functions;
    }

    public byte[] module() {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        section(m, 1, bytes(1, 0x60, 2, 0x7F, 0x7F, 1, 0x7F)); // type 0: (i32 i32) -> i32
        ByteArrayOutputStream funcs = new ByteArrayOutputStream();
        u32(funcs, functions);
        for (int i = 0; i < functions; i++) {
            funcs.write(0);
        }
        section(m, 3, funcs.toByteArray());
        section(m, 4, bytes(1, 0x70, 0, functions)); // table funcref, min = functions
        section(m, 5, bytes(1, 1, 1, 8)); // memory min 1, max 8: growth in deep recursion stays cheap
        ByteArrayOutputStream exports = new ByteArrayOutputStream();
        u32(exports, functions);
        for (int i = 0; i < functions; i++) {
            byte[] name = ("f" + i).getBytes();
            u32(exports, name.length);
            exports.writeBytes(name);
            exports.write(0);
            u32(exports, i);
        }
        section(m, 7, exports.toByteArray());
        ByteArrayOutputStream elems = new ByteArrayOutputStream();
        elems.writeBytes(bytes(1, 0, 0x41, 0, 0x0B));
        u32(elems, functions);
        for (int i = 0; i < functions; i++) {
            u32(elems, i);
        }
        section(m, 9, elems.toByteArray());
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        u32(code, functions);
        for (int i = 0; i < functions; i++) {
            byte[] body = body(i);
            u32(code, body.length);
            code.writeBytes(body);
        }
        section(m, 10, code.toByteArray());
        return m.toByteArray();
    }

    /** Locals: 0, 1 = params; 2 = scratch i32; 3.. = loop counters, one per nesting level. */
    private byte[] body(int index) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes(1, 6, 0x7F)); // 6 extra i32 locals
        budget = 40 + random.nextInt(60);
        loopDepth = 0;
        expr(b, index, 0);
        b.write(0x0B);
        return b.toByteArray();
    }

    /** Emits code that pushes one i32. */
    private void expr(ByteArrayOutputStream b, int self, int depth) {
        budget--;
        int choice = budget <= 0 || depth > 8 ? random.nextInt(2) : random.nextInt(15);
        switch (choice) {
            case 0:
                b.write(0x41);
                s32(b, random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(64) - 16);
                return;
            case 1:
                b.write(0x20);
                u32(b, random.nextInt(3));
                return;
            case 2:
            case 3:
            case 4: { // binary arithmetic, comparison, division
                expr(b, self, depth + 1);
                expr(b, self, depth + 1);
                int[] ops = {0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x76, 0x77, 0x46, 0x48, 0x4B, 0x6D, 0x6E, 0x70};
                b.write(ops[random.nextInt(ops.length)]);
                return;
            }
            case 5: // load from a masked address
                address(b, self, depth);
                b.writeBytes(bytes(0x28, 2, random.nextInt(16)));
                return;
            case 6: // store, then the stored value via the scratch local
                address(b, self, depth);
                expr(b, self, depth + 1);
                b.writeBytes(bytes(0x22, 2, 0x36, 2, random.nextInt(16), 0x20, 2));
                return;
            case 7: // if/else with a result
                expr(b, self, depth + 1);
                b.writeBytes(bytes(0x04, 0x7F));
                expr(b, self, depth + 1);
                b.write(0x05);
                expr(b, self, depth + 1);
                b.write(0x0B);
                return;
            case 8: // block whose br_if leaves early with a value
                b.writeBytes(bytes(0x02, 0x7F));
                expr(b, self, depth + 1);
                expr(b, self, depth + 1);
                b.writeBytes(bytes(0x0D, 0, 0x1A));
                expr(b, self, depth + 1);
                b.write(0x0B);
                return;
            case 9:
                loop(b, self, depth);
                return;
            case 10:
            case 11:
                if (self > 0) { // direct call to an earlier function
                    expr(b, self, depth + 1);
                    expr(b, self, depth + 1);
                    b.write(0x10);
                    u32(b, random.nextInt(self));
                    return;
                }
                b.writeBytes(bytes(0x41, 7));
                return;
            case 12: // call_indirect through the table: mostly to an earlier function; rarely any
                // index up to one past the table (recursion, which meets the stack limits, or a trap)
                expr(b, self, depth + 1);
                expr(b, self, depth + 1);
                b.write(0x41);
                s32(b, self > 0 && random.nextInt(30) != 0 ? random.nextInt(self) : random.nextInt(functions + 1));
                b.writeBytes(bytes(0x11, 0, 0));
                return;
            case 13: // memory.grow by 0 or 1 page
                b.writeBytes(bytes(0x41, random.nextInt(2), 0x40, 0));
                return;
            default: // unary
                expr(b, self, depth + 1);
                int[] ops = {0x45, 0x67, 0x68, 0x69, 0xC0, 0xC1};
                b.write(ops[random.nextInt(ops.length)]);
        }
    }

    /** A loop counted down from a small constant, accumulating into the scratch local. */
    private void loop(ByteArrayOutputStream b, int self, int depth) {
        if (loopDepth >= 3) {
            b.writeBytes(bytes(0x41, 3));
            return;
        }
        int counter = 3 + loopDepth++;
        b.writeBytes(bytes(0x41, 1 + random.nextInt(8), 0x21, counter)); // counter = n
        b.writeBytes(bytes(0x03, 0x40)); // loop
        expr(b, self, depth + 1);
        b.writeBytes(bytes(0x20, 2, 0x6A, 0x21, 2)); // scratch += expr
        b.writeBytes(bytes(0x20, counter, 0x41, 1, 0x6B, 0x22, counter, 0x0D, 0, 0x0B)); // br_if while --counter
        b.writeBytes(bytes(0x20, 2));
        loopDepth--;
    }

    /** An address in [0, 65532): always in bounds of the first page. */
    private void address(ByteArrayOutputStream b, int self, int depth) {
        expr(b, self, depth + 1);
        b.writeBytes(bytes(0x41, 0xFC, 0xFF, 0x03, 0x71)); // & 0xFFFC
    }

    private static void section(ByteArrayOutputStream m, int id, byte[] contents) {
        m.write(id);
        u32(m, contents.length);
        m.writeBytes(contents);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static void u32(ByteArrayOutputStream b, long v) {
        do {
            int x = (int) (v & 0x7F);
            v >>>= 7;
            b.write(v != 0 ? x | 0x80 : x);
        } while (v != 0);
    }

    private static void s32(ByteArrayOutputStream b, int v) {
        ModuleBytes.writeS32(b, v);
    }
}
