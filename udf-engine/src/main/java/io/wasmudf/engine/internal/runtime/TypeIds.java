package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Interns function types to small ints, so {@code call_indirect} compares signatures with one int compare. */
public final class TypeIds {
    private static final ConcurrentHashMap<FuncType, Integer> IDS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TypeIds() {}

    /** A fresh id, for the 3.0 types {@code TypeCanon} interns: one id space with the plain function types'. */
    public static int next() {
        return NEXT.getAndIncrement();
    }

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

    /**
     * {@code type} as a string {@link #ofEncoded} reads back: one char per parameter's binary type
     * code, {@code '>'}, one per result. Generated classes carry this, not the id, which is only
     * valid in the JVM that interned it (classes may come from the code cache of another).
     */
    public static String encode(FuncType type) {
        StringBuilder b = new StringBuilder(type.params().size() + type.results().size() + 1);
        for (ValType t : type.params()) {
            b.append((char) t.code());
        }
        b.append('>');
        for (ValType t : type.results()) {
            b.append((char) t.code());
        }
        return b.toString();
    }

    /** The id of the type {@link #encode} wrote as {@code encoded}. */
    public static int ofEncoded(String encoded) {
        int sep = encoded.indexOf('>');
        List<ValType> params = new ArrayList<>(sep);
        for (int i = 0; i < sep; i++) {
            params.add(ValType.fromCode(encoded.charAt(i)));
        }
        List<ValType> results = new ArrayList<>(encoded.length() - sep - 1);
        for (int i = sep + 1; i < encoded.length(); i++) {
            results.add(ValType.fromCode(encoded.charAt(i)));
        }
        return of(FuncType.of(params, results));
    }
}
