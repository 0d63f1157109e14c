package io.wasmudf.bench;

import org.h2.api.Aggregate;
import org.h2.value.Value;

/**
 * The Java peer of the wasm aggregate {@code wsum(integer)} (SFUNC int4_sum_acc of aggs.wasm,
 * STYPE bigint, INITCOND '0'): the same sum, as a plain {@link Aggregate} H2 calls per row.
 */
public final class JavaSumAggregate implements Aggregate {
    private long sum;

    @Override
    public int getInternalType(int[] inputTypes) {
        return Value.BIGINT;
    }

    @Override
    public void add(Object value) {
        if (value != null) {
            sum += ((Number) value).intValue();
        }
    }

    @Override
    public Object getResult() {
        return sum;
    }
}
