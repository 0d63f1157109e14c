package io.wasmudf.sql;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.HostedInstance;
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
 * pointer the guest hands back goes through, and for a module with imports (or a WASI reactor or
 * command) the {@link HostedInstance} its host functions share. Not thread-safe: it belongs to one session at a
 * time, and is discarded after a trap.
 */
public final class GuestInstance {
    private final Instance instance;
    /** The host state of a module that needs one ({@link ModuleCheck#needsHost}); null otherwise. */
    private final HostedInstance hosted;
    private final Memory memory;
    private final MethodHandle realloc;
    /** The module declared {@code latin1+utf16} text arguments ({@link ModuleCheck#LATIN1_UTF16_ARGS}). */
    private final boolean latin1Utf16;
    private boolean discarded;
    /** See {@link #scratch}; grown on demand, never shrunk. */
    private byte[] scratch = new byte[0];

    private GuestInstance(Instance instance, HostedInstance hosted) {
        this.instance = instance;
        this.hosted = hosted;
        this.memory = instance.memory(ModuleCheck.MEMORY);
        this.latin1Utf16 = ModuleCheck.declaresLatin1Utf16Args(instance.module());
        Object r = instance.export(ModuleCheck.REALLOC);
        this.realloc = r instanceof io.wasmudf.engine.WasmFunction f && f.type().equals(ModuleCheck.REALLOC_TYPE) ? f.handle() : null;
    }

    /** Instantiates {@code module} (no imports); traps in its start function propagate. */
    public static GuestInstance instantiate(CompiledModule module) {
        return new GuestInstance(module.instantiate(), null);
    }

    /**
     * Instantiates {@code module} without imports under {@code limits} (memory cap and budget);
     * {@code ResourceLimitException} and traps in the start function propagate.
     */
    public static GuestInstance instantiate(CompiledModule module, InstanceLimits limits) {
        return new GuestInstance(module.instantiate(Imports.empty(), limits), null);
    }

    /**
     * Instantiates {@code module} under {@code limits}: in {@code host} when it {@link
     * ModuleCheck#needsHost needs the host} (imports linked, {@code _initialize} or {@code _start}
     * run once), else without imports. {@code ProcExitException}, {@code UnsatisfiedImportsException},
     * {@code ResourceLimitException} and traps of the initialisation propagate.
     */
    public static GuestInstance instantiate(CompiledModule module, InstanceLimits limits, HostEnvironment host) {
        if (!ModuleCheck.needsHost(module)) {
            return instantiate(module, limits);
        }
        HostedInstance h = host.instantiate(module, limits);
        return new GuestInstance(h.instance(), h);
    }

    /** The host state, or null for a module instantiated without the host environment. */
    public HostedInstance hosted() {
        return hosted;
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
        if (hosted != null) {
            hosted.close(); // delivers the guest's unfinished output line first
        } else {
            instance.close();
        }
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

    /**
     * Checks a block {@code cabi_realloc} returned for {@code len} bytes: 0 for a non-empty block is
     * the allocator's "out of memory" (C's {@code malloc} returning NULL), and a block must lie
     * inside memory; either is 53200, and the caller discards the instance. Without this check a
     * leaking allocator's NULL had the argument written at address 0, over the guest's own data.
     */
    public void checkAllocation(int ptr, int len) {
        if (len != 0 && ptr == 0) {
            throw new AbiException(SqlStates.OUT_OF_MEMORY, "out of memory: the module's " + ModuleCheck.REALLOC + " returned 0 (NULL) for "
                    + Integer.toUnsignedString(len) + " bytes of argument");
        }
        if (Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(len) > memory.byteSize()) {
            throw new AbiException(SqlStates.OUT_OF_MEMORY, "out of memory: the module's " + ModuleCheck.REALLOC + " returned "
                    + Integer.toUnsignedString(ptr) + " for " + Integer.toUnsignedString(len) + " bytes of argument, a block outside its "
                    + memory.byteSize() + " bytes of memory");
        }
    }

    // ---- results ---------------------------------------------------------------------------

    /**
     * A work array of at least {@code n} bytes for a codec that stages a value before copying it
     * into its Java form (no allocation per row); reused by the next caller, so its contents are
     * valid only until then. Callers bound {@code n} (a few KiB), since the array is kept.
     */
    public byte[] scratch(int n) {
        byte[] s = scratch;
        if (s.length < n) {
            s = new byte[Math.max(n, 64)];
            scratch = s;
        }
        return s;
    }

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
