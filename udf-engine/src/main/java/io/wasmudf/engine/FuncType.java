package io.wasmudf.engine;

import java.lang.invoke.MethodType;
import java.util.List;

/**
 * A function signature. Compiled code and typed entry points map it to a JVM {@link MethodType}:
 * parameters by {@link ValType#javaType()}, no result → {@code void}, one result → its type, several
 * results → {@code Object[]} holding the boxed values.
 */
public record FuncType(List<ValType> params, List<ValType> results) {

    public FuncType {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    public static FuncType of(List<ValType> params, List<ValType> results) {
        return new FuncType(params, results);
    }

    /** The JVM method type of a function with this signature (no trailing instance parameter). */
    public MethodType methodType() {
        Class<?>[] p = new Class<?>[params.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = params.get(i).javaType();
        }
        return MethodType.methodType(returnClass(), p);
    }

    /** The JVM return type: void, the single result's type, or Object[] for multiple results. */
    public Class<?> returnClass() {
        switch (results.size()) {
            case 0: return void.class;
            case 1: return results.get(0).javaType();
            default: return Object[].class;
        }
    }

    // written out rather than the record's generated ones, whose first call bootstraps
    // invokedynamic machinery: milliseconds in a young JVM, on the path of the first instantiation
    @Override
    public boolean equals(Object o) {
        return o instanceof FuncType t && params.equals(t.params) && results.equals(t.results);
    }

    @Override
    public int hashCode() {
        return 31 * params.hashCode() + results.hashCode();
    }

    @Override
    public String toString() {
        return "func " + params + " -> " + results;
    }
}
