package io.wasmudf.engine;

/** The kind of an import or export, with its binary-format byte. */
public enum ExternKind {
    FUNC, TABLE, MEMORY, GLOBAL,
    /** An exception tag (3.0 exception handling). */
    TAG;

    public static ExternKind fromCode(int code) {
        return code >= 0 && code < 5 ? values()[code] : null;
    }
}
