package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Memory;
import io.wasmudf.engine.Table;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.WasmFunction;

/**
 * Base class of every generated module class: the per-instance state that generated code reads
 * through fields. Public only because generated classes live in their own class loader.
 */
public abstract class ModuleInstance {
    /** Memory 0, or null when the module has none. */
    public Memory memory;
    /** Every memory, imports first ({@code memories[0] == memory}); empty when the module has none. */
    public Memory[] memories;
    public Table[] tables;
    /** Exception tags ({@link io.wasmudf.engine.Tag}, imports first), compared by identity in handlers. */
    public Object[] tags;
    /** Function instances by function index, created lazily (see {@link #func(int)}). */
    public WasmFunction[] functions;
    /** Element segments; a dropped segment is an empty array. */
    public Object[][] elements;
    /** Data segments; a dropped segment is an empty array. */
    public byte[][] data;
    /** {@link #interruptFlags} bit: a cancel ({@code Instance.interrupt()}), consumed by the trap it causes. */
    public static final int CANCEL = 1;
    /** {@link #interruptFlags} bit: the deadline passed; stays set until the deadline is reset. */
    public static final int DEADLINE = 2;

    /**
     * {@link #CANCEL} and {@link #DEADLINE} bits, set by other threads, polled at function entries
     * and loop headers when the engine is interruptible. Zero on the fast path.
     */
    public volatile int interruptFlags;
    /**
     * Remaining fuel when the engine meters fuel; charged at function entries and loop headers.
     * Plain field: only the thread running the instance touches it during a call.
     */
    public long fuel = Long.MAX_VALUE;
    /**
     * Remaining call-stack budget when the engine limits call depth: each entry of a function that
     * makes calls takes its frame cost, each return puts back the value seen at entry. A trap skips
     * the put-back, so entry points into the instance restore it (see {@link GuestBoundary}).
     */
    public int stackBudget;
    /** The budget a host call starts with ({@code Engine.Builder.maxCallDepth}). */
    public int stackBudgetLimit;
    /** Host calls into this instance that are running now (nested when a host function re-enters). */
    public int activeHostCalls;
    /**
     * Counts outermost calls into the instance. A cancel remembers the call it was aimed at, so
     * one that arrives between calls is recognised as stale when it is finally seen, without a
     * volatile read on every call.
     */
    public int callEpoch;
    /** The {@link #callEpoch} a pending cancel was aimed at; guarded by this object's monitor. */
    private int cancelEpoch;
    /**
     * The tail call a function left to its caller's trampoline (see {@link TailCalls}): a handle
     * of type {@code (ModuleInstance) -> result} that takes its arguments from {@link #tailValues}
     * and {@link #tailRefs}; null when none is pending.
     */
    public java.lang.invoke.MethodHandle tailNext;
    /** Numeric arguments of the pending tail call (raw bits); grown on demand, never shrunk. */
    public long[] tailValues;
    /** Reference arguments of the pending tail call. */
    public Object[] tailRefs;
    /** Creates the function instance for a defined function on first use. */
    public FunctionFactory functionFactory;
    /** Runtime types of the module's defined types (3.0 GC), by type index; null without GC types. */
    public GcType[] gcTypes;
    /**
     * Bytes of GC objects the instance may still allocate: its memory limit, less its allocations
     * (a volume cap: the JVM collects unreachable objects, but their bytes are not given back).
     */
    public long gcBudget = Long.MAX_VALUE;

    /**
     * Calls defined function {@code index} with its arguments boxed exactly as its parameter types
     * ({@code Integer, Long, Float, Double}) and returns its boxed result (null for none), without
     * method handles. Generated classes override it for the functions {@code ExportCalls.covered}
     * names; callers must check that first and box the arguments exactly (the override casts them).
     */
    public Object callExport(int index, Object[] args) {
        throw new IllegalStateException("function " + index + " has no generated generic call");
    }

    /**
     * Whether the instance's own memory 0 must keep its array exactly as long as its size: the
     * generated code of a module with no {@code memory.grow} overrides this to say yes, and checks
     * its accesses against the array's length alone (see {@code Memory#keepExact}).
     */
    public boolean exactMemory() {
        return false;
    }

    /** Makes function instances for defined functions of a module instance. */
    public interface FunctionFactory {
        WasmFunction create(ModuleInstance instance, int functionIndex);
    }

    /**
     * Stores globals (typed fields for private ones, the cells themselves for shared ones) and the
     * raw handles of imported functions. Implemented by each generated class.
     */
    public abstract void init(io.wasmudf.engine.Global[] globals, java.lang.invoke.MethodHandle[] importHandles);

    /** The function instance for {@code index} (for {@code ref.func}, tables and exports). */
    public final WasmFunction func(int index) {
        WasmFunction f = functions[index];
        if (f == null) {
            f = functionFactory.create(this, index);
            functions[index] = f;
        }
        return f;
    }

    /** Compiled at function entries and loop headers of interruptible engines. */
    public final void checkInterrupt() {
        if (interruptFlags != 0) {
            interrupted();
        }
    }

    private void interrupted() {
        synchronized (this) {
            int f = interruptFlags;
            if ((f & DEADLINE) != 0) {
                throw new Trap(TrapKind.TIMEOUT);
            }
            if ((f & CANCEL) == 0) {
                return;
            }
            interruptFlags = f & ~CANCEL;
            if (cancelEpoch != callEpoch) {
                return; // aimed at a call that has ended: not for this one
            }
        }
        throw new Trap(TrapKind.INTERRUPTED);
    }

    /** Cancels the call running now (see {@code Instance.interrupt()}); any thread. */
    public final synchronized void requestCancel() {
        cancelEpoch = callEpoch;
        interruptFlags |= CANCEL;
    }

    /** Sets or clears interrupt bits; synchronized so concurrent updates of the two bits do not race. */
    public final synchronized void setInterruptBits(int bits, boolean on) {
        interruptFlags = on ? interruptFlags | bits : interruptFlags & ~bits;
    }

    /** Compiled at function entries and loop headers of fuel-metered engines; {@code cost} is the segment's instruction count. */
    public final void consumeFuel(int cost) {
        long f = fuel - cost;
        fuel = f;
        if (f < 0) {
            throw new Trap(TrapKind.OUT_OF_FUEL);
        }
    }

    /**
     * Takes {@code cost} units of call-stack budget, compiled around calls through method handles
     * ({@code call_indirect}, imports) of depth-limited engines; function entries update
     * {@link #stackBudget} inline.
     */
    public final void enterFrame(int cost) {
        int b = stackBudget - cost;
        stackBudget = b;
        if (b < 0) {
            throw new Trap(TrapKind.CALL_STACK_EXHAUSTED);
        }
    }

    /** Gives back what {@link #enterFrame(int)} took, after the call returns. */
    public final void leaveFrame(int cost) {
        stackBudget += cost;
    }

    /** {@link #tailValues}, at least {@code n} long. */
    public final long[] tailValues(int n) {
        long[] v = tailValues;
        if (v == null || v.length < n) {
            v = new long[Math.max(n, 8)];
            tailValues = v;
        }
        return v;
    }

    /** {@link #tailRefs}, at least {@code n} long. */
    public final Object[] tailRefs(int n) {
        Object[] v = tailRefs;
        if (v == null || v.length < n) {
            v = new Object[Math.max(n, 4)];
            tailRefs = v;
        }
        return v;
    }
}
