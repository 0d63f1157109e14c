package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.FuncType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Interns function types to small ints, so {@code call_indirect} compares signatures with one int compare. */
public final class TypeIds {
    private static final ConcurrentHashMap<FuncType, Integer> IDS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TypeIds() {}

    public static int of(FuncType type) {
        return IDS.computeIfAbsent(type, t -> NEXT.getAndIncrement());
    }
}
