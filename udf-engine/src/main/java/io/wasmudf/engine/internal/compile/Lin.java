package io.wasmudf.engine.internal.compile;

import java.util.Map;
import java.util.TreeMap;

/**
 * An i32 value a loop recogniser ({@link ScanLoopShape}, {@link DotLoopShape}) evaluates
 * symbolically: {@code c + sum(coef[l] * l)} over the values locals l hold at the start of an
 * iteration, mod 2^32; {@code terms} maps a local to its non-zero coefficient.
 */
record Lin(Map<Integer, Integer> terms, int c) {
    static Lin constant(int c) {
        return new Lin(Map.of(), c);
    }

    static Lin local(int l) {
        return new Lin(Map.of(l, 1), 0);
    }

    boolean isConstant() {
        return terms.isEmpty();
    }

    Lin plus(Lin o, int sign) {
        Map<Integer, Integer> t = new TreeMap<>(terms);
        o.terms.forEach((l, k) -> t.merge(l, sign * k, (a, b) -> a + b == 0 ? null : a + b));
        return new Lin(t, c + sign * o.c);
    }

    /** How much the value grows per iteration, given each local's step. */
    int delta(Map<Integer, Integer> steps) {
        int d = 0;
        for (Map.Entry<Integer, Integer> e : terms.entrySet()) {
            d += e.getValue() * steps.getOrDefault(e.getKey(), 0);
        }
        return d;
    }

    /** Whether {@code local}'s write in {@code writes} is the local itself plus a constant (an induction). */
    static boolean induction(Map<Integer, Lin> writes, int local) {
        Lin w = writes.get(local);
        return w.terms.size() == 1 && w.terms.getOrDefault(local, 0) == 1;
    }
}
