package io.wasmudf.engine;

/**
 * An exception tag (WebAssembly 3.0 exception handling): an identity that a module defines,
 * exports and imports; a {@code catch} of it catches exactly the exceptions thrown with it. Its
 * type is a function type without results (the exception's payload). Host code can pass tags
 * between instances but cannot throw Wasm exceptions.
 */
public final class Tag {
    private final FuncType type;
    private final String name;
    /** The canonical id of the tag's defined type (see the engine's {@code TypeCanon}): what import matching compares. */
    final int typeId;

    Tag(FuncType type, int typeId, String name) {
        this.type = type;
        this.typeId = typeId;
        this.name = name;
    }

    /** The payload's types ({@code params}); {@code results} is empty. */
    public FuncType type() {
        return type;
    }

    /** How traps name the tag: its export name in the defining module, else {@code tag N} (its index there). */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
