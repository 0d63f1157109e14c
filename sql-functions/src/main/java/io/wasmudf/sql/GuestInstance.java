package io.wasmudf.sql;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.InstanceLimits;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * One instance of a module plus the canonical-ABI marshalling over its memory: copying text and
 * bytea arguments in through {@code cabi_realloc} and reading results out of return areas. Not
 * thread-safe: it belongs to one session at a time, and is discarded after a trap.
 */
public final class GuestInstance {
    private final Instance instance;
    private final Memory memory;
    private final MethodHandle realloc;
    /** The module declared {@code latin1+utf16} text arguments ({@link ModuleCheck#LATIN1_UTF16_ARGS}). */
    private final boolean latin1Utf16;
    private boolean discarded;

    private GuestInstance(Instance instance) {
        this.instance = instance;
        this.memory = instance.memory(ModuleCheck.MEMORY);
        this.latin1Utf16 = ModuleCheck.declaresLatin1Utf16Args(instance.module());
        Object r = instance.export(ModuleCheck.REALLOC);
        this.realloc = r instanceof io.wasmudf.engine.WasmFunction f && f.type().equals(ModuleCheck.REALLOC_TYPE) ? f.handle() : null;
    }

    /** Instantiates {@code module} (no imports); traps in its start function propagate. */
    public static GuestInstance instantiate(CompiledModule module) {
        return new GuestInstance(module.instantiate());
    }

    /**
     * Instantiates {@code module} without imports under {@code limits} (memory cap and budget);
     * {@code ResourceLimitException} and traps in the start function propagate.
     */
    public static GuestInstance instantiate(CompiledModule module, InstanceLimits limits) {
        return new GuestInstance(module.instantiate(Imports.empty(), limits));
    }

    public Instance instance() {
        return instance;
    }

    /**
     * Marks this instance unusable (after a trap its memory and globals may be inconsistent) and
     * closes it, which gives its memory back to its budget. Idempotent.
     */
    public void discard() {
        discarded = true;
        instance.close();
    }

    public boolean isDiscarded() {
        return discarded;
    }

    /** How often the guest's {@code memory.grow} was refused by a limit (0 without an exported memory). */
    public int memoryGrowRefusals() {
        return memory == null ? 0 : memory.growRefusals();
    }

    // ---- arguments -------------------------------------------------------------------------

    /** Copies {@code s} into guest memory in the module's text encoding; returns {@code (ptr << 32) | len}. */
    public long lowerText(String s) throws Throwable {
        long plan = planText(s);
        return writeText(s, plan, allocate(textAlign(plan), textAllocation(plan)));
    }

    /** Copies {@code b} into guest memory; returns {@code (ptr << 32) | len}. */
    public long lowerBytes(byte[] b) throws Throwable {
        return writeBytes(b, allocate(1, b.length));
    }

    // The bridges' fast path: the bridge plans, calls cabi_realloc itself through a constant call
    // site (which the JIT inlines into the guest's allocator), then has the bytes written here.

    // A text plan: the bytes to allocate, shifted left by two, and how to write them.
    private static final int UTF8_ASCII = 0;
    private static final int UTF8 = 1;
    private static final int LATIN1 = 2;
    private static final int UTF16 = 3;

    /**
     * How {@code s} is passed (for {@link #textAlign}, {@link #textAllocation} and
     * {@link #writeText}). UTF-8: short strings get UTF-8's worst case of 3 bytes per char without
     * being measured, longer ones their exact length. {@code latin1+utf16}: one byte per char if
     * every char fits, two otherwise.
     */
    public long planText(String s) {
        if (latin1Utf16) {
            if (Latin1Utf16.isLatin1(s)) {
                return (long) s.length() << 2 | LATIN1;
            }
            if (s.length() > Integer.MAX_VALUE / 2) {
                throw new AbiException(SqlStates.INVALID_PARAMETER_VALUE, "string too long for a 32-bit guest");
            }
            return (long) s.length() << 3 | UTF16;
        }
        long utf8 = Utf8.plan(s);
        return (long) Utf8.allocation(utf8) << 2 | ((utf8 & 1) == 0 ? UTF8_ASCII : UTF8);
    }

    /** The alignment to ask {@code cabi_realloc} for: 2 for {@code latin1+utf16}, as the canonical ABI does. */
    public static int textAlign(long plan) {
        return (plan & 2) != 0 ? 2 : 1;
    }

    /** The bytes to ask {@code cabi_realloc} for, for a {@link #planText} result. */
    public static int textAllocation(long plan) {
        return (int) (plan >>> 2);
    }

    /** Writes {@code s} as planned to {@code ptr}, which {@code cabi_realloc} returned for {@link #textAllocation} bytes; returns {@code (ptr << 32) | len}. */
    public long writeText(String s, long plan, int ptr) {
        checkAllocation(ptr, textAllocation(plan));
        int mode = (int) plan & 3;
        int len = mode >= LATIN1 ? Latin1Utf16.write(s, mode == LATIN1, memory.buffer(), ptr)
                : Utf8.write(s, mode == UTF8, memory.buffer(), ptr);
        return (long) ptr << 32 | (len & 0xFFFFFFFFL);
    }

    /** Copies {@code b} to {@code ptr}, which {@code cabi_realloc} returned for {@code b.length} bytes; returns {@code (ptr << 32) | len}. */
    public long writeBytes(byte[] b, int ptr) {
        checkAllocation(ptr, b.length);
        System.arraycopy(b, 0, memory.buffer(), ptr, b.length);
        return (long) ptr << 32 | (b.length & 0xFFFFFFFFL);
    }

    /** This instance's {@code cabi_realloc}, exact-typed {@code (i32, i32, i32, i32) -> i32}. */
    public MethodHandle realloc() {
        if (realloc == null) {
            throw new AbiException(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, "module does not export " + ModuleCheck.REALLOC);
        }
        return realloc;
    }

    /** {@link #lowerText} for an {@code option<string>} payload: NULL is {@code (0, 0)} and allocates nothing. */
    public long lowerOptionalText(String s) throws Throwable {
        return s == null ? 0L : lowerText(s);
    }

    /** {@link #lowerBytes} for an {@code option<list<u8>>} payload. */
    public long lowerOptionalBytes(byte[] b) throws Throwable {
        return b == null ? 0L : lowerBytes(b);
    }

    private int allocate(int align, int len) throws Throwable {
        return (int) realloc().invokeExact(0, 0, align, len);
    }

    private void checkAllocation(int ptr, int len) {
        if (Integer.toUnsignedLong(ptr) + len > memory.buffer().length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, ModuleCheck.REALLOC + " returned " + Integer.toUnsignedString(ptr)
                    + " for " + len + " bytes, outside memory");
        }
    }

    // ---- results ---------------------------------------------------------------------------

    /** The string a return area {@code (ptr, len)} at {@code retptr} points to. */
    public String liftText(int retptr) {
        return text(memory.readInt(retptr), memory.readInt(retptr + 4));
    }

    /** The bytes a return area {@code (ptr, len)} at {@code retptr} points to. */
    public byte[] liftBytes(int retptr) {
        int ptr = memory.readInt(retptr);
        int len = memory.readInt(retptr + 4);
        checkRange(ptr, len, "result bytes");
        return memory.read(ptr, len);
    }

    public Boolean liftOptionalBoolean(int retptr) {
        return isSome(retptr) ? AbiValues.toBoolean(memory.readInt(retptr + 4)) : null;
    }

    public Short liftOptionalSmallint(int retptr) {
        return isSome(retptr) ? AbiValues.toSmallint(memory.readInt(retptr + 4)) : null;
    }

    public Integer liftOptionalInteger(int retptr) {
        return isSome(retptr) ? memory.readInt(retptr + 4) : null;
    }

    public Long liftOptionalBigint(int retptr) {
        return isSome(retptr) ? memory.readLong(retptr + 8) : null;
    }

    public Float liftOptionalReal(int retptr) {
        return isSome(retptr) ? Float.intBitsToFloat(memory.readInt(retptr + 4)) : null;
    }

    public Double liftOptionalDouble(int retptr) {
        return isSome(retptr) ? Double.longBitsToDouble(memory.readLong(retptr + 8)) : null;
    }

    public String liftOptionalText(int retptr) {
        return isSome(retptr) ? liftText(retptr + 4) : null;
    }

    public byte[] liftOptionalBytes(int retptr) {
        return isSome(retptr) ? liftBytes(retptr + 4) : null;
    }

    private boolean isSome(int retptr) {
        byte tag = memory.readByte(retptr);
        if (tag == 0) {
            return false;
        }
        if (tag == 1) {
            return true;
        }
        throw AbiValues.invalidDiscriminant(tag & 0xFF, "in the return area at " + Integer.toUnsignedString(retptr));
    }

    /** Checks a guest (ptr, len) before anything is allocated for it: a bogus length must not cost a 2 GiB array. */
    private void checkRange(int ptr, int len, String what) {
        if (Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(len) > memory.buffer().length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, what + " (" + Integer.toUnsignedString(ptr) + ", "
                    + Integer.toUnsignedString(len) + ") are outside memory");
        }
    }

    private String text(int ptr, int len) {
        checkRange(ptr, len, "result text");
        byte[] buf = memory.buffer();
        int p = ptr;
        boolean ascii = true;
        for (int i = p, end = p + len; i < end; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(buf, p, len, StandardCharsets.ISO_8859_1);
        }
        if (!Utf8.isValid(buf, p, len)) {
            throw new AbiException(SqlStates.CHARACTER_NOT_IN_REPERTOIRE, "the function returned text that is not valid UTF-8");
        }
        return new String(buf, p, len, StandardCharsets.UTF_8);
    }
}
