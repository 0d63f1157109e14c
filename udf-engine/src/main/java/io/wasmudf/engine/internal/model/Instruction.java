package io.wasmudf.engine.internal.model;

/**
 * One decoded instruction. Immediates by opcode (see {@link Opcodes}):
 * <ul>
 * <li>{@code block/loop/if}: {@code a} = block type: a type index when {@code >= 0},
 *     {@link #BLOCK_EMPTY} for no params/results, {@link #BLOCK_VALUE} with {@code b} = the result's
 *     value-type byte; {@code c} = index (in the body's instruction list) of the matching {@code end};
 *     for {@code if}, {@code labels[0]} = index of the matching {@code else}, or -1.</li>
 * <li>{@code br, br_if}: {@code a} = label depth. {@code br_table}: {@code labels} = the targets,
 *     {@code a} = the default.</li>
 * <li>{@code call, return_call}: {@code a} = function index. {@code call_indirect,
 *     return_call_indirect}: {@code a} = type index, {@code b} = table index.</li>
 * <li>{@code select t}: {@code labels} = the declared value-type bytes (valid only with length 1).</li>
 * <li>{@code local.*, global.*}: {@code a} = index. {@code table.get/set/size/grow/fill}:
 *     {@code a} = table index.</li>
 * <li>loads/stores: {@code a} = alignment exponent, {@code b} = memory index, {@code c} = offset
 *     (unsigned 64-bit; at most 2^32-1 for a memory with i32 addresses). Vector loads/stores:
 *     {@code b} = lane (lane forms), the memory index in {@code labels[0]} when not 0
 *     ({@link SimdOpcodes#memory}).</li>
 * <li>{@code memory.size/grow/fill}: {@code a} = memory index; {@code memory.copy}: {@code a} =
 *     destination, {@code b} = source memory.</li>
 * <li>{@code i32.const}: {@code c} = value; {@code i64.const}: {@code c} = value;
 *     {@code f32.const}: {@code c} = raw int bits; {@code f64.const}: {@code c} = raw long bits.</li>
 * <li>{@code ref.null}: {@code a} = reference-type byte; {@code ref.func}: {@code a} = function index.</li>
 * <li>{@code memory.init}: {@code a} = data index, {@code b} = memory index; {@code data.drop}: {@code a} = data index;
 *     {@code table.init}: {@code a} = element index, {@code b} = table index; {@code elem.drop}:
 *     {@code a} = element index; {@code table.copy}: {@code a} = destination, {@code b} = source table.</li>
 * </ul>
 * Unused fields are 0 and {@code labels} is null where not listed.
 */
public record Instruction(int opcode, int a, int b, long c, int[] labels) {
    public static final int BLOCK_EMPTY = -1;
    public static final int BLOCK_VALUE = -2;

    /** Immediate-free single-byte instructions are values: one shared instance each. */
    private static final Instruction[] SHARED = new Instruction[256];

    static {
        for (int op = 0; op < SHARED.length; op++) {
            SHARED[op] = new Instruction(op, 0, 0, 0, null);
        }
    }

    /**
     * An instruction without immediates. Single-byte ones are shared (most instructions of a body
     * are such), which saves an allocation each and keeps a body's instructions compact in memory.
     */
    public static Instruction of(int opcode) {
        return opcode >= 0 && opcode < SHARED.length ? SHARED[opcode] : new Instruction(opcode, 0, 0, 0, null);
    }

    @Override
    public String toString() {
        return Opcodes.name(opcode) + (a != 0 ? " a=" + a : "") + (b != 0 ? " b=" + b : "") + (c != 0 ? " c=" + c : "");
    }
}
