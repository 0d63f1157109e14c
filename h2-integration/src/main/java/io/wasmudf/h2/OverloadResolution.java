package io.wasmudf.h2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL's choice among functions of one name and arity (parse_func.c: exact match, then
 * the candidates every argument can reach by an implicit cast, then func_select_candidate's
 * most-exact-matches, preferred-types and unknown-literal rules), over the types wasm functions
 * support. Types are canonical names ({@code integer}, {@code double precision}, {@code text[]});
 * a null input is {@code unknown}, as an untyped NULL literal is in PostgreSQL.
 */
final class OverloadResolution {
    /** The input type of an argument whose type is not known (a NULL). */
    static final String UNKNOWN = "unknown";

    /** The result: the chosen candidate's index, or none (42883), or several (42725, with those that remain). */
    record Choice(int index, List<Integer> remaining) {
        boolean found() {
            return index >= 0;
        }

        boolean ambiguous() {
            return index < 0 && remaining.size() > 1;
        }
    }

    private static final Map<String, Character> CATEGORY = Map.ofEntries(
            Map.entry("smallint", 'N'), Map.entry("integer", 'N'), Map.entry("bigint", 'N'), Map.entry("real", 'N'),
            Map.entry("double precision", 'N'), Map.entry("numeric", 'N'), Map.entry("text", 'S'), Map.entry("bpchar", 'S'),
            Map.entry("boolean", 'B'), Map.entry("date", 'D'), Map.entry("time", 'D'), Map.entry("timestamp", 'D'),
            Map.entry("timestamptz", 'D'), Map.entry("interval", 'T'), Map.entry("bytea", 'U'), Map.entry("uuid", 'U'),
            Map.entry("json", 'U'), Map.entry("jsonb", 'U'));
    private static final Set<String> PREFERRED = Set.of("double precision", "text", "boolean", "timestamptz", "interval");
    /** pg_cast's implicit casts among the supported types. */
    private static final Map<String, Set<String>> IMPLICIT = Map.of(
            "smallint", Set.of("integer", "bigint", "real", "double precision", "numeric"),
            "integer", Set.of("bigint", "real", "double precision", "numeric"),
            "bigint", Set.of("real", "double precision", "numeric"),
            "real", Set.of("double precision"),
            "numeric", Set.of("real", "double precision"),
            "text", Set.of("bpchar"),
            "bpchar", Set.of("text"),
            "date", Set.of("timestamp", "timestamptz"),
            "timestamp", Set.of("timestamptz"),
            "time", Set.of("interval"));

    private OverloadResolution() {}

    /** The type name without its modifiers: {@code numeric(10,2)} is {@code numeric}, {@code bpchar(3)[]} is {@code bpchar[]}. */
    static String base(String sqlName) {
        String s = sqlName.replaceAll("\\([^)]*\\)", "").trim();
        return s.startsWith("character") && !s.startsWith("character varying") ? "bpchar" + s.substring("character".length()) : s;
    }

    static char category(String type) {
        if (type.endsWith("[]")) {
            return 'A';
        }
        return CATEGORY.getOrDefault(type, 'X');
    }

    static boolean preferred(String type) {
        return PREFERRED.contains(type);
    }

    /** Whether a value of type {@code from} reaches a parameter of type {@code to} without an explicit cast. */
    static boolean coercible(String from, String to) {
        if (from.equals(UNKNOWN) || from.equals(to) || (from.equals("json") && to.equals("jsonb"))) {
            return true; // H2 has one JSON type for both
        }
        if (from.endsWith("[]") && to.endsWith("[]")) {
            return coercible(from.substring(0, from.length() - 2), to.substring(0, to.length() - 2));
        }
        return IMPLICIT.getOrDefault(from, Set.of()).contains(to);
    }

    private static boolean exact(String input, String param) {
        return input.equals(param) || (input.equals("json") && param.equals("jsonb"));
    }

    /** Chooses among {@code candidates} (each a list of parameter base types, all of the inputs' arity) for {@code inputs}. */
    static Choice choose(List<List<String>> candidates, List<String> inputs) {
        int n = inputs.size();
        for (int c = 0; c < candidates.size(); c++) {
            if (candidates.get(c).equals(inputs)) {
                return new Choice(c, List.of(c));
            }
        }
        List<Integer> live = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                ok = coercible(inputs.get(i), candidates.get(c).get(i));
            }
            if (ok) {
                live.add(c);
            }
        }
        if (live.size() <= 1) {
            return new Choice(live.isEmpty() ? -1 : live.get(0), live);
        }
        // most exact matches among the known inputs
        live = keepBest(live, c -> {
            int m = 0;
            for (int i = 0; i < n; i++) {
                m += !inputs.get(i).equals(UNKNOWN) && exact(inputs.get(i), candidates.get(c).get(i)) ? 1 : 0;
            }
            return m;
        });
        if (live.size() == 1) {
            return new Choice(live.get(0), live);
        }
        // most exact-or-preferred (in the input's category) matches
        live = keepBest(live, c -> {
            int m = 0;
            for (int i = 0; i < n; i++) {
                String in = inputs.get(i);
                String p = candidates.get(c).get(i);
                m += !in.equals(UNKNOWN) && (exact(in, p) || (preferred(p) && category(p) == category(in))) ? 1 : 0;
            }
            return m;
        });
        if (live.size() == 1 || !inputs.contains(UNKNOWN)) {
            return new Choice(live.size() == 1 ? live.get(0) : -1, live);
        }
        // unknown inputs: the string category wins at a position where any candidate takes it, else the one category all take
        List<Integer> kept = new ArrayList<>(live);
        for (int i = 0; i < n; i++) {
            if (!inputs.get(i).equals(UNKNOWN)) {
                continue;
            }
            char slot = 0;
            boolean slotPreferred = false;
            boolean conflict = false;
            for (int c : live) {
                String p = candidates.get(c).get(i);
                char cat = category(p);
                if (slot == 0) {
                    slot = cat;
                    slotPreferred = preferred(p);
                } else if (cat == slot) {
                    slotPreferred |= preferred(p);
                } else if (cat == 'S') {
                    slot = 'S';
                    slotPreferred = preferred(p);
                } else if (slot != 'S') {
                    conflict = true;
                    break;
                }
            }
            if (conflict) {
                return new Choice(-1, live);
            }
            char s = slot;
            boolean sp = slotPreferred;
            int pos = i;
            kept.removeIf(c -> category(candidates.get(c).get(pos)) != s || (sp && !preferred(candidates.get(c).get(pos))));
        }
        if (kept.size() == 1) {
            return new Choice(kept.get(0), kept);
        }
        live = kept.isEmpty() ? live : kept;
        // known inputs all of one type: the unknowns are taken to be of that type too
        String common = null;
        boolean same = true;
        for (String in : inputs) {
            if (!in.equals(UNKNOWN)) {
                same &= common == null || common.equals(in);
                common = in;
            }
        }
        if (common != null && same) {
            List<Integer> fit = new ArrayList<>();
            for (int c : live) {
                boolean ok = true;
                for (int i = 0; i < n && ok; i++) {
                    ok = !inputs.get(i).equals(UNKNOWN) || coercible(common, candidates.get(c).get(i));
                }
                if (ok) {
                    fit.add(c);
                }
            }
            if (fit.size() == 1) {
                return new Choice(fit.get(0), fit);
            }
        }
        return new Choice(-1, live);
    }

    private interface Score {
        int of(int candidate);
    }

    private static List<Integer> keepBest(List<Integer> live, Score score) {
        int best = -1;
        List<Integer> out = new ArrayList<>();
        for (int c : live) {
            int s = score.of(c);
            if (s > best) {
                best = s;
                out.clear();
            }
            if (s == best) {
                out.add(c);
            }
        }
        return out;
    }
}
