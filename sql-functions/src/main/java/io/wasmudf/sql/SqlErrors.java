package io.wasmudf.sql;

import io.wasmudf.engine.EngineBugException;
import io.wasmudf.engine.GuestRaisedException;
import io.wasmudf.engine.LinkException;
import io.wasmudf.engine.ProcExitException;
import io.wasmudf.engine.ResourceLimitException;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.WasmException;
import java.sql.SQLException;

/**
 * The one mapping from engine, ABI and limit failures to SQLSTATE and PostgreSQL-style wording,
 * used at upload, CREATE FUNCTION, first call (instantiation) and every call, so the same failure
 * gets the same SQLSTATE wherever it happens. Every message names its subject, e.g.
 * {@code function f: …} or {@code module "m": …}.
 *
 * <ul>
 *   <li>not decodable, not valid, unsupported, an import that cannot be linked, a start function
 *       that traps or does not finish, a WASI {@code _initialize} or {@code _start} that exits:
 *       42P13 (invalid_function_definition);</li>
 *   <li>the guest raised an error ({@code wasmudf.raise_error}): the guest's SQLSTATE and message;
 *       it called {@code proc_exit}: 38000 naming the exit code; AssemblyScript's {@code abort}:
 *       38000 with its decoded message, file, line and column;</li>
 *   <li>memory limits: 53200 (out_of_memory); any other size, table or fuel limit: 54000
 *       (program_limit_exceeded); an exhausted call stack: 54001;</li>
 *   <li>a timeout or cancel while the guest runs: 57014; any other trap: 38000;</li>
 *   <li>an ABI violation by the guest: the {@link AbiException}'s own state;</li>
 *   <li>an engine defect ({@link EngineBugException}) or anything unforeseen: XX000 (internal_error).</li>
 * </ul>
 */
public final class SqlErrors {
    private SqlErrors() {}

    /**
     * Decoding, validating or compiling {@code what} (e.g. {@code the module}, {@code module "m"})
     * failed for {@code subject} (e.g. {@code function f}; null when {@code what} is the subject,
     * as for an upload).
     */
    public static SQLException compileFailed(String subject, String what, RuntimeException e) {
        String prefix = subject == null ? what : subject + ": " + what;
        if (e instanceof ResourceLimitException r) {
            return limit(prefix + " exceeds a " + (r.resource() == ResourceLimitException.Resource.MEMORY
                    ? "memory" : "size") + " limit: " + r.getMessage(), r);
        }
        if (e instanceof EngineBugException || !(e instanceof WasmException)) {
            return internal(subject == null ? what : subject, e);
        }
        return SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, prefix + " is not a valid WebAssembly module: " + e.getMessage(), e);
    }

    /**
     * Instantiating the module of {@code subject} failed; the same at CREATE FUNCTION's trial
     * instantiation and at a session's first call. {@code instantiationTimeoutSeconds} bounds the
     * start function; {@code memoryLimits} says which settings bound memory (for 53200).
     */
    public static SQLException instantiateFailed(String subject, Throwable e, long instantiationTimeoutSeconds, String memoryLimits) {
        if (e instanceof Trap t) {
            String why = t.kind() == TrapKind.TIMEOUT ? "its start function did not finish within " + instantiationTimeoutSeconds + " s"
                    : "it traps while instantiating: " + t.getMessage();
            return SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, subject + ": the module cannot be used: " + why, t);
        }
        if (e instanceof ProcExitException x) {
            return SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, subject + ": the module cannot be used: it exits while initialising ("
                    + x.getMessage() + ")", x);
        }
        if (e instanceof ResourceLimitException r) {
            if (r.resource() == ResourceLimitException.Resource.MEMORY) {
                return SqlStates.error(SqlStates.OUT_OF_MEMORY, subject + ": out of memory: " + r.getMessage()
                        + (memoryLimits == null ? "" : " (" + memoryLimits + ")"), r);
            }
            return limit(subject + ": the module exceeds a limit: " + r.getMessage(), r);
        }
        if (e instanceof LinkException) {
            return SqlStates.error(SqlStates.INVALID_FUNCTION_DEFINITION, subject + ": cannot instantiate the module: " + e.getMessage(), e);
        }
        if (e instanceof OutOfMemoryError) {
            return SqlStates.error(SqlStates.OUT_OF_MEMORY, subject + ": out of memory while instantiating the module", e);
        }
        return internal(subject, e);
    }

    /** What {@link #callFailed} says about the call that failed. */
    public interface CallContext {
        /** Why a {@link TrapKind#TIMEOUT} happened, in PostgreSQL's words. */
        default String timeoutReason() {
            return "canceling statement due to statement timeout";
        }

        /** The fuel per call in force, for an {@link TrapKind#OUT_OF_FUEL} message ("?" if unknown). */
        default String fuel() {
            return "?";
        }

        /** How often the guest's {@code memory.grow} was refused (a trap then is really out of memory). */
        default int memoryGrowRefusals() {
            return 0;
        }

        /** The settings that bound memory, for a 53200 message. */
        default String memoryLimits() {
            return "memory limit reached";
        }
    }

    /** A call of {@code subject} failed with {@code t}. */
    public static SQLException callFailed(String subject, Throwable t, CallContext ctx) {
        if (t instanceof SQLException s) {
            return s;
        }
        if (t instanceof AbiException a) {
            return SqlStates.error(a.sqlState(), subject + ": " + a.getMessage(), a);
        }
        if (t instanceof GuestRaisedException g) {
            return SqlStates.error(g.sqlState(), subject + ": " + g.guestMessage(), g);
        }
        if (t instanceof ProcExitException x) {
            return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, subject + ": the module exited with code "
                    + Integer.toUnsignedString(x.exitCode()) + " (proc_exit)", x);
        }
        if (t instanceof Trap trap) {
            switch (trap.kind()) {
                case TIMEOUT:
                    return SqlStates.error(SqlStates.QUERY_CANCELED, subject + ": " + trap.getMessage() + " (" + ctx.timeoutReason() + ")", trap);
                case INTERRUPTED:
                    return SqlStates.error(SqlStates.QUERY_CANCELED, subject + ": " + trap.getMessage()
                            + " (canceling statement due to user request)", trap);
                case OUT_OF_FUEL:
                    return SqlStates.error(SqlStates.PROGRAM_LIMIT_EXCEEDED, subject + ": " + trap.getMessage() + " ("
                            + FunctionLimits.FUEL + " = " + ctx.fuel() + " instructions per call)", trap);
                case CALL_STACK_EXHAUSTED:
                    return stackExhausted(subject, trap);
                case GC_MEMORY_EXHAUSTED:
                    // GC allocations (Wasm 3.0) are charged against the same limit as linear memory
                    return SqlStates.error(SqlStates.OUT_OF_MEMORY, subject + ": out of memory: wasm trap: " + trap.getMessage()
                            + " (" + ctx.memoryLimits() + ")", trap);
                case ABORT:
                    // the guest's own words ("abort: <message> at <file>:<line>:<column>"), not a wasm fault
                    return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, subject + ": " + trap.getMessage(), trap);
                default:
                    if (ctx.memoryGrowRefusals() > 0) {
                        // the guest asked for memory, was refused, and gave up: report what it ran into
                        return SqlStates.error(SqlStates.OUT_OF_MEMORY, subject + ": out of memory: wasm trap: " + trap.getMessage()
                                + " after memory.grow was refused (" + ctx.memoryLimits() + ")", trap);
                    }
                    return SqlStates.error(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, subject + ": wasm trap: " + trap.getMessage(), trap);
            }
        }
        if (t instanceof StackOverflowError) {
            return stackExhausted(subject, t);
        }
        if (t instanceof OutOfMemoryError) {
            return SqlStates.error(SqlStates.OUT_OF_MEMORY, subject + ": out of memory while running the guest", t);
        }
        if (t instanceof ResourceLimitException r) {
            return limit(subject + ": " + r.getMessage(), r);
        }
        return internal(subject, t);
    }

    /** A defect of ours: XX000, naming the subject and the cause. */
    public static SQLException internal(String subject, Throwable e) {
        String what = e instanceof WasmException ? e.getMessage() : e.toString();
        return SqlStates.error(SqlStates.INTERNAL_ERROR, subject + ": internal error in the wasm engine: " + what, e);
    }

    private static SQLException limit(String message, ResourceLimitException r) {
        return SqlStates.error(r.resource() == ResourceLimitException.Resource.MEMORY ? SqlStates.OUT_OF_MEMORY
                : SqlStates.PROGRAM_LIMIT_EXCEEDED, message, r);
    }

    private static SQLException stackExhausted(String subject, Throwable t) {
        return SqlStates.error(SqlStates.STATEMENT_TOO_COMPLEX, subject + ": call stack exhausted (recursion too deep)", t);
    }
}
