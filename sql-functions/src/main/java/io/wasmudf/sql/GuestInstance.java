package io.wasmudf.sql;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Imports;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.InstanceLimits;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import java.lang.invoke.MethodHandle;

/**
 * One instance of a module plus what the codecs ({@link SqlType}) need to marshal over its memory:
 * the memory, {@code cabi_realloc}, the module's text-argument encoding, and the checks every
 * pointer the guest hands back goes through. Not thread-safe: it belongs to one session at a
 * time, and is discarded after a trap.
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

    /** The exported {@code memory} (null when the module exports none). */
    public Memory memory() {
        return memory;
    }

    /** Whether the module takes text arguments as {@code latin1+utf16} instead of UTF-8. */
    public boolean latin1Utf16() {
        return latin1Utf16;
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

    /** This instance's {@code cabi_realloc}, exact-typed {@code (i32, i32, i32, i32) -> i32}. */
    public MethodHandle realloc() {
        if (realloc == null) {
            throw new AbiException(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, "module does not export " + ModuleCheck.REALLOC);
        }
        return realloc;
    }

    /**
     * Copies {@code value} of a type that {@link SqlType#lowersIntoMemory() lowers into memory} into
     * guest memory through {@code cabi_realloc}; returns {@code (ptr << 32) | len}, 0 for NULL.
     * The generic (slow) path of what generated bridges do inline.
     */
    public long lowerIntoMemory(SqlType type, Object value) throws Throwable {
        if (value == null) {
            return 0L;
        }
        SqlType.Lowering.Allocated a = (SqlType.Lowering.Allocated) type.lowering();
        long plan = (long) a.plan().handle().invoke(this, value);
        int ptr = (int) realloc().invokeExact(0, 0, (int) a.align().handle().invoke(plan), (int) a.size().handle().invoke(plan));
        return (long) a.write().handle().invoke(this, value, plan, ptr);
    }

    /** Checks a block {@code cabi_realloc} returned for {@code len} bytes: it must lie inside memory. */
    public void checkAllocation(int ptr, int len) {
        if (Integer.toUnsignedLong(ptr) + len > memory.byteSize()) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, ModuleCheck.REALLOC + " returned " + Integer.toUnsignedString(ptr)
                    + " for " + len + " bytes, outside memory");
        }
    }

    // ---- results ---------------------------------------------------------------------------

    /** The {@code option<T>} discriminant at {@code retptr}: 0 none, 1 some, anything else an error (38000). */
    public boolean isSome(int retptr) {
        byte tag = memory.readByte(retptr);
        if (tag == 0) {
            return false;
        }
        if (tag == 1) {
            return true;
        }
        throw AbiValues.invalidDiscriminant(tag & 0xFF, "in the return area at " + Integer.toUnsignedString(retptr));
    }

    /** Checks a guest {@code (ptr, len)} before anything is allocated for it: a bogus length must not cost a 2 GiB array. */
    public void checkRange(int ptr, int len, String what) {
        if (Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(len) > memory.byteSize()) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, what + " (" + Integer.toUnsignedString(ptr) + ", "
                    + Integer.toUnsignedString(len) + ") are outside memory");
        }
    }
}
