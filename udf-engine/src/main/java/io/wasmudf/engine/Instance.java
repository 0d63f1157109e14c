package io.wasmudf.engine;

import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.runtime.GuestBoundary;
import io.wasmudf.engine.internal.runtime.ModuleInstance;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * An instantiated module: its own memory, tables and globals. Not thread-safe: one thread calls
 * into it at a time; only {@link #interrupt()}, {@link #setDeadline(long)} and
 * {@link #clearDeadline()} may be called from other threads.
 *
 * <p>After a {@link Trap} the instance's state is whatever the guest left half-done; callers that
 * cannot reason about that (SQL functions) should {@link #close()} it and make a new one.
 */
public final class Instance implements AutoCloseable {
    private final CompiledModule module;
    private final ModuleInstance state;
    private final Global[] globals;
    /** The memories this instance defined (not imported ones), released by {@link #close()}. */
    private final Memory[] ownMemories;
    /** Guarded by {@code state}'s monitor, like its interrupt bits. */
    private ScheduledFuture<?> deadlineTask;
    private long deadlineGeneration;

    Instance(CompiledModule module, ModuleInstance state, Global[] globals, Memory[] ownMemories) {
        this.module = module;
        this.state = state;
        this.globals = globals;
        this.ownMemories = ownMemories;
    }

    ModuleInstance state() {
        return state;
    }

    public CompiledModule module() {
        return module;
    }

    /**
     * Begins a unit of calls made through {@link CompiledModule#exportHandleForCalls} handles: the
     * calls that follow start with the full call-stack budget, and an {@link #interrupt()} request
     * made before now is ignored, while one made during the unit, even between two of its calls,
     * stops the next call that polls. Same thread as the calls, with none running.
     */
    public void beginCalls() {
        GuestBoundary.begin(state);
    }

    /** The export's value ({@link WasmFunction}, {@link Memory}, {@link Table}, {@link Global} or {@link Tag}), or null. */
    public Object export(String name) {
        for (Export e : module.module().exports()) {
            if (e.name().equals(name)) {
                switch (e.kind()) {
                    case FUNC: return state.func(e.index());
                    case TABLE: return state.tables[e.index()];
                    case MEMORY: return state.memories[e.index()];
                    case TAG: return state.tags[e.index()];
                    default: return globals[e.index()];
                }
            }
        }
        return null;
    }

    /** The exported function {@code name}; throws IllegalArgumentException when absent. */
    public WasmFunction function(String name) {
        Object e = export(name);
        if (e instanceof WasmFunction f) {
            return f;
        }
        throw new IllegalArgumentException("no exported function named \"" + name + "\"");
    }

    /** The exported memory {@code name}, or null. */
    public Memory memory(String name) {
        return export(name) instanceof Memory m ? m : null;
    }

    /** The exported global {@code name}, or null. */
    public Global global(String name) {
        return export(name) instanceof Global g ? g : null;
    }

    /** The exported table {@code name}, or null. */
    public Table table(String name) {
        return export(name) instanceof Table t ? t : null;
    }

    /**
     * Stops the call running in this instance with an {@link TrapKind#INTERRUPTED} trap at its next
     * loop iteration or function entry (cancellation). Safe to call from any thread. The request is
     * consumed by the trap it causes; a request made while no call is running is ignored by the
     * next call, so it never stops an unrelated later call. (Use a deadline to stop calls that have
     * not started yet.)
     *
     * @throws IllegalStateException if the engine was not built {@link Engine.Builder#interruptible(boolean) interruptible}
     */
    public void interrupt() {
        requireInterruptible();
        state.requestCancel();
    }

    /**
     * Sets the instance's deadline, in {@link System#nanoTime()} time, replacing any earlier one:
     * once it passes, the running call and every later call traps with {@link TrapKind#TIMEOUT}
     * (at its next loop iteration or function entry) until the deadline is set again or cleared.
     * Meant per statement or per call: a shared watchdog thread raises a flag that compiled code
     * polls, so there is no thread per call and no clock read in loops. Safe to call from any thread.
     *
     * @throws IllegalStateException if the engine was not built {@link Engine.Builder#interruptible(boolean) interruptible}
     */
    public void setDeadline(long deadlineNanoTime) {
        requireInterruptible();
        synchronized (state) {
            cancelDeadline();
            long generation = ++deadlineGeneration;
            if (deadlineNanoTime - System.nanoTime() <= 0) {
                state.setInterruptBits(ModuleInstance.DEADLINE, true);
            } else {
                deadlineTask = Watchdog.schedule(() -> deadlinePassed(generation), deadlineNanoTime);
            }
        }
    }

    /** {@link #setDeadline(long)} at {@code timeout} from now. */
    public void setTimeout(Duration timeout) {
        setDeadline(System.nanoTime() + timeout.toNanos());
    }

    /** Removes the deadline, including one that already passed. Safe to call from any thread. */
    public void clearDeadline() {
        synchronized (state) {
            cancelDeadline();
            deadlineGeneration++;
        }
    }

    private void cancelDeadline() {
        if (deadlineTask != null) {
            deadlineTask.cancel(false);
            deadlineTask = null;
        }
        state.setInterruptBits(ModuleInstance.DEADLINE, false);
    }

    /** Run by the watchdog; a deadline replaced in the meantime must not fire. */
    private void deadlinePassed(long generation) {
        synchronized (state) {
            if (generation == deadlineGeneration) {
                state.setInterruptBits(ModuleInstance.DEADLINE, true);
                deadlineTask = null;
            }
        }
    }

    private void requireInterruptible() {
        if (!module.engine().options().interruptible()) {
            throw new IllegalStateException("the engine was not built interruptible(true); running code cannot be stopped");
        }
    }

    /**
     * Sets the fuel left: compiled code charges about one unit per Wasm instruction (each loop
     * iteration and function entry is charged its instruction count up front; see
     * {@code Engine.Builder#fuel}), and a call that needs more than is left traps with
     * {@link TrapKind#OUT_OF_FUEL}. Deterministic: the same calls with the same fuel stop at the
     * same point. Set it before each call for a per-call budget, or once for a per-statement one.
     * Same thread as the calls.
     *
     * @throws IllegalStateException if the engine was not built with {@link Engine.Builder#fuel(boolean) fuel(true)}
     */
    public void setFuel(long fuel) {
        requireFuel();
        if (fuel < 0) {
            throw new IllegalArgumentException("fuel must not be negative");
        }
        state.fuel = fuel;
    }

    /** The fuel left (0 after an {@link TrapKind#OUT_OF_FUEL} trap). */
    public long fuelRemaining() {
        requireFuel();
        return Math.max(0, state.fuel);
    }

    private void requireFuel() {
        if (!module.engine().options().fuel()) {
            throw new IllegalStateException("the engine was not built with fuel(true)");
        }
    }

    /**
     * Discards the instance: gives the memory it defined back to its {@link MemoryBudget} (an
     * exported memory imported elsewhere becomes empty there too) and drops its deadline. The
     * instance must not be called afterwards; if it is, memory accesses trap. Idempotent. Without
     * close, the budget is given back when the memory is garbage collected.
     */
    @Override
    public void close() {
        clearDeadline();
        for (Memory m : ownMemories) {
            m.release();
        }
    }
}
