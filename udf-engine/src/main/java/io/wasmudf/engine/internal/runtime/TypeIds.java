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
        // not computeIfAbsent with a lambda: a young JVM spins a class for it on the first instantiation
        Integer id = IDS.get(type);
        if (id == null) {
            synchronized (IDS) {
                id = IDS.get(type);
                if (id == null) {
                    id = NEXT.getAndIncrement();
                    IDS.put(type, id);
                }
            }
        }
        return id;
    }
}
