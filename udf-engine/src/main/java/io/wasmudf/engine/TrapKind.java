package io.wasmudf.engine;

/**
 * Why a guest stopped. The spec's traps use the spec suite's wording; the others are this
 * engine's resource limits ({@link #INTERRUPTED}, {@link #TIMEOUT}, {@link #OUT_OF_FUEL}).
 */
public enum TrapKind {
    UNREACHABLE("unreachable"),
    INTEGER_DIVIDE_BY_ZERO("integer divide by zero"),
    INTEGER_OVERFLOW("integer overflow"),
    INVALID_CONVERSION_TO_INTEGER("invalid conversion to integer"),
    OUT_OF_BOUNDS_MEMORY_ACCESS("out of bounds memory access"),
    OUT_OF_BOUNDS_TABLE_ACCESS("out of bounds table access"),
    UNDEFINED_ELEMENT("undefined element"),
    UNINITIALIZED_ELEMENT("uninitialized element"),
    INDIRECT_CALL_TYPE_MISMATCH("indirect call type mismatch"),
    CALL_STACK_EXHAUSTED("call stack exhausted"),
    /** {@code ref.as_non_null} of null (3.0), or a GC access through a null reference. */
    NULL_REFERENCE("null reference"),
    /** {@code call_ref} of null (3.0). */
    NULL_FUNCTION_REFERENCE("null function reference"),
    NULL_STRUCTURE_REFERENCE("null structure reference"),
    NULL_ARRAY_REFERENCE("null array reference"),
    NULL_I31_REFERENCE("null i31 reference"),
    /** {@code throw_ref} of null (3.0 exception handling). */
    NULL_EXCEPTION_REFERENCE("null exception reference"),
    /**
     * A WebAssembly exception (3.0 exception handling) left the guest uncaught; the message names
     * its tag (the defining module's export name, else its index there).
     */
    UNCAUGHT_EXCEPTION("uncaught exception"),
    OUT_OF_BOUNDS_ARRAY_ACCESS("out of bounds array access"),
    /** {@code ref.cast} of a value not of the target type (3.0 GC). */
    CAST_FAILURE("cast failure"),
    /** GC allocations (3.0) of the instance went over its memory limit. */
    GC_MEMORY_EXHAUSTED("GC allocations exceed the instance's memory limit"),
    /** {@link Instance#interrupt()} stopped the call. */
    INTERRUPTED("interrupted"),
    /** The instance's deadline ({@link Instance#setDeadline(long)}) passed. */
    TIMEOUT("execution deadline exceeded"),
    /** The instance's fuel ({@link Instance#setFuel(long)}) ran out. */
    OUT_OF_FUEL("fuel exhausted"),
    /** The guest called an abort import (AssemblyScript's {@code env.abort}): its message follows. */
    ABORT("abort"),
    HOST_ERROR("host function failed");

    private final String message;

    TrapKind(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
