package io.wasmudf.sql;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A public static method that generated bridge code calls (an {@code INVOKESTATIC} target): how a
 * {@link SqlType} codec names its lowering and lifting routines without the bridge generator
 * knowing any type. The methods are tiny, so the JIT inlines them into the bridge.
 */
public record StaticCall(Class<?> owner, String name, MethodType type) {

    /** {@code owner.name} with return type {@code returns} and the given parameter types. */
    public static StaticCall of(Class<?> owner, String name, Class<?> returns, Class<?>... params) {
        return new StaticCall(owner, name, MethodType.methodType(returns, params));
    }

    /** The owner's internal name, as {@code INVOKESTATIC} wants it. */
    public String ownerInternalName() {
        return owner.getName().replace('.', '/');
    }

    /** The JVM method descriptor. */
    public String descriptor() {
        return type.toMethodDescriptorString();
    }

    /** The method as a handle, for the generic path and for tests. */
    public MethodHandle handle() {
        try {
            return MethodHandles.publicLookup().findStatic(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("codec method " + this + " does not exist", e);
        }
    }

    @Override
    public String toString() {
        return owner.getSimpleName() + "." + name + type;
    }
}
