package io.wasmudf.engine.spectest;

import java.util.List;
import java.util.stream.Collectors;

/** The outcomes of running one spec script, in command order. */
record ScriptResult(String name, List<Outcome> outcomes) {

    ScriptResult {
        outcomes = List.copyOf(outcomes);
    }

    long passed() {
        return count(Outcome.Status.PASSED);
    }

    long failed() {
        return count(Outcome.Status.FAILED);
    }

    long skipped() {
        return count(Outcome.Status.SKIPPED);
    }

    List<Outcome> failures() {
        return outcomes.stream().filter(o -> o.status() == Outcome.Status.FAILED).collect(Collectors.toList());
    }

    List<Outcome> warnings() {
        return outcomes.stream().filter(o -> o.warning() != null).collect(Collectors.toList());
    }

    /** True when every command was skipped (a SIMD script). */
    boolean allSkipped() {
        return skipped() == outcomes.size();
    }

    /** {@code name: P passed, F failed, S skipped}. */
    String summaryLine() {
        return name + ": " + passed() + " passed, " + failed() + " failed, " + skipped() + " skipped";
    }

    /** One row of the per-script table: name, then passed, failed and skipped in columns. */
    String tableLine() {
        return String.format("%-28s %7d %7d %7d", name, passed(), failed(), skipped());
    }

    private long count(Outcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }
}
