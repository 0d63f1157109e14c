package io.wasmudf.engine;

import java.util.List;

/** The module imports names the host does not provide: all of them are listed, each with why. */
public final class UnsatisfiedImportsException extends LinkException {
    private final List<Unsatisfied> imports;

    /** One import that cannot be satisfied, and why (e.g. "unknown import", "declared as … but provided as …"). */
    public record Unsatisfied(ImportInfo info, String why) {
        @Override
        public String toString() {
            return info.module() + "." + info.name() + " (" + why + ")";
        }
    }

    public UnsatisfiedImportsException(List<Unsatisfied> imports) {
        super(imports.stream().allMatch(u -> u.why().startsWith("unknown")) ? "unknown import" : "incompatible import type",
                message(imports));
        this.imports = List.copyOf(imports);
    }

    private static String message(List<Unsatisfied> imports) {
        StringBuilder b = new StringBuilder("module imports ").append(imports.size())
                .append(imports.size() == 1 ? " name" : " names").append(" the host does not provide: ");
        for (int i = 0; i < imports.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(imports.get(i));
        }
        return b.toString();
    }

    /** Every unsatisfied import, in the module's order. */
    public List<Unsatisfied> imports() {
        return imports;
    }
}
