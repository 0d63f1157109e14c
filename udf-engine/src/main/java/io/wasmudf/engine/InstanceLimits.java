package io.wasmudf.engine;

import java.time.Duration;

/**
 * Limits chosen per instantiation, so one engine can serve callers with different settings (for
 * example a per-function memory cap and a per-database {@link MemoryBudget}). Start from
 * {@link Engine#defaultLimits()} and change what differs.
 *
 * @param maxMemoryPages        cap on the instance's own memory, in 64 KiB pages: a larger declared
 *                              minimum fails instantiation, {@code memory.grow} beyond returns -1
 * @param memoryBudget          shared budget the instance's memory is reserved from, or null
 * @param fuel                  initial fuel (engines built with {@code fuel(true)}; {@link Long#MAX_VALUE} = unlimited)
 * @param instantiationTimeout  time allowed for instantiation including the start function
 *                              (interruptible engines), or null for none
 */
public record InstanceLimits(int maxMemoryPages, MemoryBudget memoryBudget, long fuel, Duration instantiationTimeout) {
    public InstanceLimits {
        if (maxMemoryPages < 0 || maxMemoryPages > Memory.MAX_PAGES) {
            throw new IllegalArgumentException("maxMemoryPages must be in [0, " + Memory.MAX_PAGES + "]");
        }
        if (fuel < 0) {
            throw new IllegalArgumentException("fuel must not be negative");
        }
    }

    public InstanceLimits withMaxMemoryPages(int pages) {
        return new InstanceLimits(pages, memoryBudget, fuel, instantiationTimeout);
    }

    public InstanceLimits withMemoryBudget(MemoryBudget budget) {
        return new InstanceLimits(maxMemoryPages, budget, fuel, instantiationTimeout);
    }

    public InstanceLimits withFuel(long initialFuel) {
        return new InstanceLimits(maxMemoryPages, memoryBudget, initialFuel, instantiationTimeout);
    }

    public InstanceLimits withInstantiationTimeout(Duration timeout) {
        return new InstanceLimits(maxMemoryPages, memoryBudget, fuel, timeout);
    }
}
