package io.wasmudf.engine;

/** A module needs more than the engine's configured limits allow (memory, table size, code size). */
public class ResourceLimitException extends WasmException {
    /** Which kind of limit was hit; embedders report memory differently from the other limits. */
    public enum Resource {
        /** Linear memory: an instance's cap or a shared {@link MemoryBudget}, or the JVM heap. */
        MEMORY,
        /** A table's size. */
        TABLE,
        /** The module's size, function count, a function body, or what the JVM can hold of the compiled code. */
        CODE
    }

    private final Resource resource;

    /** A {@link Resource#CODE} limit. */
    public ResourceLimitException(String message) {
        this(Resource.CODE, message, null);
    }

    /** A {@link Resource#CODE} limit. */
    public ResourceLimitException(String message, Throwable cause) {
        this(Resource.CODE, message, cause);
    }

    public ResourceLimitException(Resource resource, String message, Throwable cause) {
        super(message, cause);
        this.resource = resource;
    }

    /** The kind of limit that was hit. */
    public Resource resource() {
        return resource;
    }
}
