package io.wasmudf.engine.difffuzz;

import java.util.List;
import java.util.Objects;

/**
 * How one engine configuration's run compares with V8's: {@link #AGREE}, {@link #LIMITED} (a
 * resource limit stopped one side, after which the states are not comparable: stack depth, fuel),
 * or a mismatch with its class (what kind of difference; the key failures are grouped by) and a
 * precise description (step, both sides' observations).
 */
record Verdict(Kind kind, String failureClass, String detail, boolean nanBitsOnly) {
    enum Kind { AGREE, LIMITED, MISMATCH }

    static final Verdict AGREE = new Verdict(Kind.AGREE, null, null, false);

    static Verdict mismatch(String failureClass, String detail) {
        return new Verdict(Kind.MISMATCH, failureClass, detail, false);
    }

    boolean failed() {
        return kind == Kind.MISMATCH;
    }

    /**
     * Compares step by step (0 is the instantiation, then the plan's calls). Memory that differs
     * only in words holding NaN bit patterns is not a mismatch (NaN payloads are nondeterministic
     * in the spec) but is noted in {@link #nanBitsOnly}.
     */
    static Verdict compare(List<Observation> v8, EngineRun.Result engine, List<CallPlan.Call> calls) {
        if (engine.compileFailure() != null) {
            return mismatch("compile: " + normalise(engine.compileFailure()),
                    "V8 compiles and instantiates the module; the engine's compile failed: " + engine.compileFailure());
        }
        boolean nanBits = false;
        List<Observation> ours = engine.steps();
        for (int i = 0; i < v8.size(); i++) {
            String step = i == 0 ? "instantiation" : "call " + i + " " + calls.get(i - 1).export() + calls.get(i - 1).args();
            if (i >= ours.size()) {
                return mismatch("missing step", step + ": the engine stopped after " + ours.size() + " steps");
            }
            Observation a = v8.get(i);
            Observation b = ours.get(i);
            boolean limitA = a.outcome().equals("stack-exhausted");
            boolean limitB = b.outcome().equals("stack-exhausted") || b.outcome().startsWith("limit");
            if (b.outcome().equals("limit timeout")) {
                return mismatch("timeout", step + ": the engine passed the call deadline; V8 ran the whole module in less");
            }
            if (b.outcome().startsWith("error")) {
                // not a trap: an engine defect (VerifyError, NullPointerException...), whatever V8 did
                return mismatch("outcome: " + outcomeClass(a.outcome(), b.outcome()), differs(step, "outcome", a.outcome(), b.outcome()));
            }
            if (limitA || limitB) {
                return new Verdict(Kind.LIMITED, null, step + ": V8 " + a.outcome() + ", engine " + b.outcome(), nanBits);
            }
            if (!a.outcome().equals(b.outcome())) {
                return mismatch("outcome: " + outcomeClass(a.outcome(), b.outcome()), differs(step, "outcome", a.outcome(), b.outcome()));
            }
            if (!a.log().equals(b.log())) {
                return mismatch("host calls", differs(step, "host calls", a.log(), b.log()));
            }
            if (!Objects.equals(a.globals(), b.globals())) {
                return mismatch("globals", differs(step, "globals", a.globals(), b.globals()));
            }
            if (!Objects.equals(a.mem(), b.mem())) {
                if (!Objects.equals(a.memNan(), b.memNan())) {
                    return mismatch("memory", differs(step, "memory hash", a.mem(), b.mem()));
                }
                nanBits = true;
            }
        }
        return nanBits ? new Verdict(Kind.AGREE, null, null, true) : AGREE;
    }

    private static String differs(String step, String what, Object v8, Object engine) {
        return step + ": " + what + " differ:\n      V8:     " + v8 + "\n      engine: " + engine;
    }

    /** A difference's class: which kinds of outcome met, without the values. */
    private static String outcomeClass(String v8, String engine) {
        return kind(v8) + " vs " + kind(engine);
    }

    private static String kind(String outcome) {
        if (outcome.startsWith("ok")) {
            return "value";
        }
        if (outcome.startsWith("error")) {
            return normalise(outcome);
        }
        return outcome;
    }

    /** A failure message without the numbers and names that vary between modules. */
    static String normalise(String message) {
        String m = message.replaceAll("\\d+", "#");
        return m.length() > 240 ? m.substring(0, 240) + "…" : m;
    }
}
