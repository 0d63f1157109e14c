package io.wasmudf.engine;

/** The kind of an import or export, with its binary-format byte. */
public enum ExternKind {
    FUNC, TABLE, MEMORY, GLOBAL;

    public static ExternKind fromCode(int code) {
        return code >= 0 && code < 4 ? values()[code] : null;
    }
}
