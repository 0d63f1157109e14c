package io.wasmudf.engine.internal.compile;

import io.wasmudf.engine.ValType;
import java.util.List;

/**
 * The branch types of the labels around a region, innermost first: the compiling method's
 * frames, then the labels around that method. A view, not a copy (copying made each call site
 * O(nesting depth), and Go and Rust functions nest thousands of blocks); valid while the region is
 * compiled and its call site emitted, during which the method's frames stay as they are.
 */
final class OuterLabels extends java.util.AbstractList<List<ValType>> {
    /** A control frame, as far as a branch to it is concerned. */
    interface Labelled {
        List<ValType> branchTypes();
    }

    private final List<? extends Labelled> frames;
    private final int count;
    private final List<List<ValType>> around;

    OuterLabels(List<? extends Labelled> frames, int count, List<List<ValType>> around) {
        this.frames = frames;
        this.count = count;
        this.around = around;
    }

    @Override
    public List<ValType> get(int depth) {
        return depth < count ? frames.get(count - 1 - depth).branchTypes() : around.get(depth - count);
    }

    @Override
    public int size() {
        return count + around.size();
    }
}
