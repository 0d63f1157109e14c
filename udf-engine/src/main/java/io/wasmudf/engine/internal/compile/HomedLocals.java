package io.wasmudf.engine.internal.compile;

/**
 * Which methods of a function cut into methods keep every Wasm local in the function's frame
 * arrays ({@link Region}) instead of JVM locals: those that hold a piece of an interpreter
 * loop's switch nest (a block a large {@code br_table} leaves, see {@link SwitchNests}) and
 * the function's own method when it calls one. When the nest is too large for one method it is
 * a chain of nested block regions, and every iteration of the loop (every VDBE instruction of
 * SQLite, every bytecode of QuickJS) calls down the whole chain and returns up with an exit
 * code. With JVM locals, each of those calls passed 14-21 locals as arguments, stored the rest
 * into the arrays before and reloaded every written one after (about 60 loads and stores a
 * level, measured in SQLite's {@code f955}); with the locals homed in the arrays a chain call
 * passes only the arrays and the instance, and the written locals are already where the next
 * reader looks. The cost moves to the chain's own code, whose local accesses become array
 * accesses: it is the skeleton of the loop (dispatch, small arms), the arms' chunks still take
 * their locals as arguments. Functions without such a nest compile as before.
 */
final class HomedLocals {
    /** Bytecode bytes a local access costs over {@link Outliner#cost} when the local is homed (aload, index, laload, convert; a store needs a temporary too). */
    static final int EXTRA_ACCESS_COST = 6;
    /** Whether homing is on ({@code -Dwasmudf.compile.homedLocals=false} turns it off, for comparisons). */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("wasmudf.compile.homedLocals"));

    /**
     * The size target of a homed method, in percent of the function's ({@code -Dwasmudf.compile.homedLimitPercent}).
     * Its estimate counts each call site at its measured size (see {@code Outliner.HOMED_CALL_OVERHEAD})
     * and came out at or above the real size in SQLite and QuickJS, so the skeleton may use more of
     * HotSpot's 8,000 bytes than the default 6,000 allows, and each level of the nest it saves is a
     * call down and an exit code up for every iteration of the loop.
     */
    static final int LIMIT_PERCENT = Integer.getInteger("wasmudf.compile.homedLimitPercent", 120);

    private HomedLocals() {}

    /** The size target of a homed method when the function's is {@code limit}. */
    static int limit(int limit) {
        return limit >= Integer.MAX_VALUE / LIMIT_PERCENT ? limit : limit * LIMIT_PERCENT / 100;
    }

    /** Whether the block or loop region starting at {@code start} (a chunk never) keeps its locals in the arrays. */
    static boolean region(BodyFacts facts, int start, boolean chunk) {
        return ENABLED && !chunk && facts.switchNests != null && facts.switchNests[start];
    }

    /** Whether a function's own method whose plan is {@code plan} calls a homed region, and so homes its locals too. */
    static boolean function(BodyFacts facts, Outliner.Plan plan) {
        if (!ENABLED || facts.switchNests == null) {
            return false;
        }
        for (int b : plan.blocks()) {
            if (facts.switchNests[b]) {
                return true;
            }
        }
        return false;
    }

    /** The planner's prefix sums for a homed method: each local access costs {@link #EXTRA_ACCESS_COST} more (read only). */
    static int[] sums(BodyFacts facts) {
        if (facts.homedSums == null) {
            int[] s = facts.sums.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] += EXTRA_ACCESS_COST * facts.localOps[i];
            }
            facts.homedSums = s;
        }
        return facts.homedSums;
    }

    /** A method's plan and whether it homes its locals. */
    record Planned(Outliner.Plan plan, boolean homed) {}

    /**
     * Plans the method holding {@code region} (null: the function's own method) over
     * {@code [innerStart, innerEnd)}: a homed region with the homed costs; a function's method
     * again with them when its first plan calls a homed region.
     */
    static Planned plan(java.util.List<io.wasmudf.engine.internal.model.Instruction> code, BodyFacts facts, Region region,
                        int innerStart, int innerEnd, int frameHeight, int locals) {
        boolean home = region != null && region.homed;
        Outliner.Plan p = Outliner.plan(code, home ? sums(facts) : facts.sums, facts.heights, facts.bases, facts.localOps,
                facts.switchNests, innerStart, innerEnd, frameHeight, home ? limit(facts.limit) : facts.limit, locals, home);
        if (region == null && function(facts, p)) {
            home = true;
            p = Outliner.plan(code, sums(facts), facts.heights, facts.bases, facts.localOps, facts.switchNests,
                    innerStart, innerEnd, frameHeight, limit(facts.limit), locals, true);
        }
        return new Planned(p, home);
    }
}
